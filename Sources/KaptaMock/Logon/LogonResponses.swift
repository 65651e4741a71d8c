/// Responses of the logon endpoints, with the headers every response of the service's
/// routes carries.
enum LogonResponses {
    static func json(_ status: HTTPStatus, _ body: [UInt8], fidelity: FidelitySettings) -> HTTPResponse {
        var fields = ServiceResponseFields.fields(fidelity: fidelity)
        fields.append(name: "Content-Type", value: "application/json; charset=utf-8")
        return HTTPResponse(status: status, fields: fields, body: body)
    }

    static func redirect(to location: String, fidelity: FidelitySettings) -> HTTPResponse {
        var fields = ServiceResponseFields.fields(fidelity: fidelity)
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
}
