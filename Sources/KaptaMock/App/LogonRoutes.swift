/// The `/auth/login` prefix of the logon endpoints (OAuth password and code flows).
enum LogonRoutes {
    static let prefix = "/auth/login"

    /// Returns whether the path is `/auth/login` or below it, compared case-insensitively
    /// as ASP.NET routes are.
    static func owns(path: Substring) -> Bool {
        path.hasPrefixIgnoringASCIICase(prefix)
            && (path.utf8.count == prefix.utf8.count || path.utf8.dropFirst(prefix.utf8.count).first == ASCII.slash)
    }

    /// TODO: the logon endpoints are not implemented yet. Until they are, every request
    /// under the prefix gets the 404 that ASP.NET Web API sends for an unknown route.
    static func placeholder(_ request: HTTPRequest) -> KaptaOutcome {
        let host = request.head.authority ?? "localhost"
        let uri = request.head.target.hasPrefix("/") ? "http://\(host)\(request.head.target)" : request.head.target
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("Message", "No HTTP resource was found that matches the request URI '\(uri)'.")
        writer.endObject()
        let fields: HTTPFields = ["Content-Type": "application/json; charset=utf-8"]
        return KaptaOutcome(response: HTTPResponse(status: .notFound, fields: fields, body: writer.bytes),
                            reason: "the logon endpoints are not implemented yet")
    }
}
