/// What the Kapta API decided for one request, with what the request journal records.
struct KaptaOutcome: Sendable {
    var response: HTTPResponse
    /// Why the fake answered as it did, in a short sentence (`stage 'foo' is not defined`).
    var reason: String
    /// Input the real service accepts but that is almost certainly a client bug.
    var warnings: [String] = []
    /// The authenticated caller's tenant, once known.
    var tenantID: String?
}

/// The emulated Kapta REST API: every path that is neither `/__admin` nor `/auth/login`.
final class KaptaAPI: Sendable {
    let store: TenantStore
    let fidelity: FidelitySettings

    init(store: TenantStore, fidelity: FidelitySettings) {
        self.store = store
        self.fidelity = fidelity
    }

    /// Decides a request from its head alone when that is possible (authentication,
    /// routing, media type), for `Expect: 100-continue`; nil means the body is needed.
    func responseBeforeBody(to head: HTTPRequestHead) -> KaptaOutcome? {
        nil
    }

    func handle(_ request: HTTPRequest) -> KaptaOutcome {
        let message = "No HTTP resource was found that matches the request URI '\(request.head.target)'."
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("Message", message)
        writer.endObject()
        let fields: HTTPFields = ["Content-Type": "application/json; charset=utf-8"]
        return KaptaOutcome(response: HTTPResponse(status: .notFound, fields: fields, body: writer.bytes),
                            reason: "no route matches \(request.head.path)")
    }
}
