/// Responses of the logon endpoints, with the headers every response of the service's
/// routes carries.
enum LogonResponses {
    static func json(_ status: HTTPStatus, _ body: [UInt8], fidelity: FidelitySettings) -> HTTPResponse {
        var fields = standardFields(fidelity)
        fields.append(name: "Content-Type", value: "application/json; charset=utf-8")
        return HTTPResponse(status: status, fields: fields, body: body)
    }

    static func redirect(to location: String, fidelity: FidelitySettings) -> HTTPResponse {
        var fields = standardFields(fidelity)
        fields.append(name: "Location", value: location)
        return HTTPResponse(status: .found, fields: fields)
    }

    static func notFound(_ head: HTTPRequestHead, fidelity: FidelitySettings) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("Message", "No HTTP resource was found that matches the request URI '\(head.target)'.")
        writer.endObject()
        return json(.notFound, writer.bytes, fidelity: fidelity)
    }

    static func methodNotAllowed(_ method: String, allow: String, fidelity: FidelitySettings) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("Message", "The requested resource does not support http method '\(method)'.")
        writer.endObject()
        var response = json(.methodNotAllowed, writer.bytes, fidelity: fidelity)
        response.fields.append(name: "Allow", value: allow)
        return response
    }

    /// `Cache-Control`, `Pragma` and `Expires` as ASP.NET Web API sets them, and IIS's own
    /// headers when `fidelity.iisHeaders` is on.
    static func standardFields(_ fidelity: FidelitySettings) -> HTTPFields {
        var fields: HTTPFields = ["Cache-Control": "no-cache", "Pragma": "no-cache", "Expires": "-1"]
        if fidelity.iisHeaders {
            fields.append(name: "Server", value: "Microsoft-IIS/10.0")
            fields.append(name: "X-AspNet-Version", value: "4.0.30319")
            fields.append(name: "X-Powered-By", value: "ASP.NET")
        }
        return fields
    }
}
