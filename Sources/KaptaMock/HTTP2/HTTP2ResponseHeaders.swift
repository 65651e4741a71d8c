/// The header list of a response sent over HTTP/2, built from the same `HTTPResponse` the
/// HTTP/1.1 writer serializes, so both protocols carry the same fields.
struct HTTP2ResponseHeaders {
    /// Field names in lower case (RFC 9113, 8.2.1), `:status` first (RFC 9113, 8.3.2).
    private(set) var fields: [(name: String, value: String)]
    /// Whether DATA frames follow the HEADERS frame.
    let sendsBody: Bool

    /// Connection-specific fields, which HTTP/2 forbids (RFC 9113, 8.2.2), and the framing
    /// fields the transport sets itself, as the HTTP/1.1 writer does.
    private static let excludedNames: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "content-length", "date",
    ]

    init(_ response: HTTPResponse, requestMethod: String, date: String) {
        let code = response.status.code
        fields = [(":status", String(code))]
        fields.reserveCapacity(response.fields.count + 3)
        // RFC 9110, 7.6.1: fields named in `Connection` are connection-specific as well.
        var excluded = Self.excludedNames
        for value in response.fields.values(for: "Connection") {
            for option in value.split(separator: ",") {
                excluded.insert(option.trimmingOptionalWhitespace().lowercased())
            }
        }
        for field in response.fields where Self.isValid(field) {
            let name = field.name.lowercased()
            if !excluded.contains(name) {
                fields.append((name, field.value))
            }
        }
        fields.append(("date", date))
        // RFC 9110, 8.6: no content-length on 1xx and 204; 304 may omit it.
        let hasBody = !(100..<200).contains(code) && code != 204 && code != 304
        if hasBody {
            fields.append(("content-length", String(response.body.count)))
        }
        sendsBody = hasBody && requestMethod != "HEAD" && !response.body.isEmpty
    }

    /// Drops fields that are not valid HTTP fields, as the HTTP/1.1 writer does: fields set
    /// through the admin API come from users. nghttp2 sends whatever it is given.
    private static func isValid(_ field: HTTPField) -> Bool {
        !field.name.isEmpty && field.name.utf8.allSatisfy(ASCII.isTokenCharacter)
            && field.value.utf8.allSatisfy(ASCII.isFieldValueCharacter)
    }
}
