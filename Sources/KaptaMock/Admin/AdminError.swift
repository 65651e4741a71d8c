/// Every way an admin request can fail. `response` is the one place that maps them to HTTP.
enum AdminError: Error, Sendable {
    /// Invalid input; `path` locates the problem in the JSON body when it is there.
    case badRequest(String, path: JSONPath? = nil)
    case unauthorized
    case notFound(String)
    case methodNotAllowed(method: String, allowed: [String])
    case conflict(String)

    init(_ issue: ConfigIssue) {
        self = .badRequest(issue.message, path: issue.path)
    }

    init(_ syntaxError: JSONSyntaxError) {
        let location = "line \(syntaxError.line), column \(syntaxError.column)"
        self = .badRequest("\(location): invalid JSON: \(syntaxError.message)", path: syntaxError.path)
    }

    /// The text the journal and the debug log show.
    var message: String {
        switch self {
        case .badRequest(let message, let path):
            path.map { "\($0): \(message)" } ?? message
        case .unauthorized:
            "the admin API requires Authorization: Bearer <admin token>"
        case .notFound(let message), .conflict(let message):
            message
        case .methodNotAllowed(let method, let allowed):
            "method \(method) is not allowed here; allowed: \(allowed.joined(separator: ", "))"
        }
    }

    var response: HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        switch self {
        case .badRequest(let message, let path):
            writer.member("error", message)
            if let path {
                writer.member("path", path.description)
            }
        default:
            writer.member("error", message)
        }
        writer.endObject()
        var response = AdminResponse.json(status: status, body: writer.bytes)
        switch self {
        case .unauthorized:
            response.fields.append(name: "WWW-Authenticate", value: #"Bearer realm="kapta-mock admin""#)
        case .methodNotAllowed(_, let allowed):
            response.fields.append(name: "Allow", value: allowed.joined(separator: ", "))
        default:
            break
        }
        return response
    }

    private var status: HTTPStatus {
        switch self {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: HTTPStatus(code: 409)
        }
    }
}

enum AdminResponse {
    /// Admin responses are always JSON in UTF-8 and never cached: they describe live state.
    static func json(status: HTTPStatus, body: [UInt8]) -> HTTPResponse {
        let fields: HTTPFields = [
            "Content-Type": "application/json; charset=utf-8",
            "Cache-Control": "no-store",
        ]
        return HTTPResponse(status: status, fields: fields, body: body)
    }

    static func json(status: HTTPStatus = .ok, _ write: (inout JSONWriter) -> Void) -> HTTPResponse {
        var writer = JSONWriter()
        write(&writer)
        return json(status: status, body: writer.bytes)
    }

    static let noContent = HTTPResponse(status: .noContent, fields: ["Cache-Control": "no-store"])
}
