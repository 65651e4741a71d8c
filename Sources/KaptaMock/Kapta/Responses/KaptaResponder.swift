/// Builds the responses of one request: negotiated error bodies, the headers IIS and
/// ASP.NET put on every Web API response, and the fake's warning header.
struct KaptaResponder {
    let head: HTTPRequestHead
    let fidelity: FidelitySettings
    var warnings: [String] = []

    init(head: HTTPRequestHead, fidelity: FidelitySettings) {
        self.head = head
        self.fidelity = fidelity
    }

    /// Builds an `HttpError` response with only a `Message`, negotiated from the request's headers.
    func error(_ status: HTTPStatus, message: String, reason: String, tenantID: String?,
               allowsPut: Bool = false) -> KaptaOutcome {
        error(status, body: HTTPErrorBody(message: message), reason: reason, tenantID: tenantID, allowsPut: allowsPut)
    }

    func error(_ status: HTTPStatus, body: HTTPErrorBody, reason: String, tenantID: String?,
               allowsPut: Bool = false) -> KaptaOutcome {
        let negotiated = ContentNegotiator.negotiate(head.fields)
        let fields = responseFields(contentType: negotiated.contentType, allowsPut: allowsPut)
        return KaptaOutcome(response: HTTPResponse(status: status, fields: fields, body: body.encoded(as: negotiated)),
                            reason: reason, warnings: warnings, tenantID: tenantID)
    }

    /// Builds a response without content (`Ok()`, `NotFound()`): no `Content-Type`, and the
    /// transport sends `Content-Length: 0`.
    func empty(_ status: HTTPStatus, reason: String, tenantID: String?) -> KaptaOutcome {
        KaptaOutcome(response: HTTPResponse(status: status, fields: responseFields(contentType: nil, allowsPut: false)),
                     reason: reason, warnings: warnings, tenantID: tenantID)
    }

    /// HTTP.sys rejects a URL with invalid percent-encoding before IIS or ASP.NET see it,
    /// with its own HTML page and none of ASP.NET's headers.
    func invalidURL() -> KaptaOutcome {
        var fields = HTTPFields()
        fields.append(name: "Content-Type", value: "text/html; charset=us-ascii")
        if fidelity.iisHeaders {
            fields.append(name: "Server", value: "Microsoft-HTTPAPI/2.0")
        }
        appendWarnings(to: &fields)
        let page = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"\"http://www.w3.org/TR/html4/strict.dtd\">\r\n"
            + "<HTML><HEAD><TITLE>Bad Request</TITLE>\r\n"
            + "<META HTTP-EQUIV=\"Content-Type\" Content=\"text/html; charset=us-ascii\"></HEAD>\r\n"
            + "<BODY><h2>Bad Request - Invalid URL</h2>\r\n"
            + "<hr><p>HTTP Error 400. The request URL is invalid.</p>\r\n"
            + "</BODY></HTML>\r\n"
        return KaptaOutcome(response: HTTPResponse(status: .badRequest, fields: fields, body: Array(page.utf8)),
                            reason: "the path has invalid percent-encoding", warnings: warnings, tenantID: nil)
    }

    /// Returns the fields IIS writes, in its order, before the transport adds `Date` and
    /// `Content-Length`: those of `ServiceResponseFields` and the warnings.
    func responseFields(contentType: String?, allowsPut: Bool) -> HTTPFields {
        if contentType == nil && !allowsPut && warnings.isEmpty {
            // The fields of a 200 are the same every time; building them costs allocations.
            return fidelity.iisHeaders ? Self.emptyResponseFieldsWithIIS : Self.emptyResponseFields
        }
        return buildFields(contentType: contentType, allowsPut: allowsPut)
    }

    private func buildFields(contentType: String?, allowsPut: Bool) -> HTTPFields {
        var fields = ServiceResponseFields.fields(allow: allowsPut ? "PUT" : nil, contentType: contentType,
                                                  fidelity: fidelity)
        appendWarnings(to: &fields)
        return fields
    }

    private static let emptyResponseFieldsWithIIS = KaptaResponder(
        head: HTTPRequestHead(method: "PUT", target: "/", version: .http1_1, fields: HTTPFields()),
        fidelity: FidelitySettings(iisHeaders: true)
    ).buildFields(contentType: nil, allowsPut: false)

    private static let emptyResponseFields = KaptaResponder(
        head: HTTPRequestHead(method: "PUT", target: "/", version: .http1_1, fields: HTTPFields()),
        fidelity: FidelitySettings(iisHeaders: false)
    ).buildFields(contentType: nil, allowsPut: false)

    /// Most `X-Kapta-Mock-Warning` fields per response, and the longest value of one. Warnings
    /// quote client input (an element name, a property name), and clients reject header lines
    /// of megabytes. The request journal keeps every warning in full.
    static let maxWarningFields = 20
    static let maxWarningLength = 512

    /// Appends one `X-Kapta-Mock-Warning` field per warning, up to the limits above. Bytes that
    /// a field value cannot carry (controls, non-ASCII) become `?`.
    private func appendWarnings(to fields: inout HTTPFields) {
        for warning in warnings.prefix(Self.maxWarningFields) {
            var bytes = warning.utf8.prefix(Self.maxWarningLength).map {
                $0 < 0x20 || $0 >= 0x7F ? UInt8(ascii: "?") : $0
            }
            if warning.utf8.count > Self.maxWarningLength {
                bytes.append(contentsOf: "...".utf8)
            }
            fields.append(name: "X-Kapta-Mock-Warning", value: String(decoding: bytes, as: UTF8.self))
        }
        if warnings.count > Self.maxWarningFields {
            fields.append(name: "X-Kapta-Mock-Warning",
                          value: "\(warnings.count - Self.maxWarningFields) more warnings are in the request journal")
        }
    }
}
