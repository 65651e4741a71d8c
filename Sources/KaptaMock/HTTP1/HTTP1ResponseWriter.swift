/// Serializes responses into HTTP/1.1 bytes (RFC 9112, 4 and 6).
enum HTTP1ResponseWriter {
    /// Framing fields the writer sets itself; a handler's copies are dropped so a response
    /// can never carry two conflicting lengths.
    private static func isTransportField(_ name: String) -> Bool {
        // The length decides which single name could match, so most fields cost one compare.
        switch name.utf8.count {
        case 4: return name.equalsIgnoringASCIICase("Date")
        case 10: return name.equalsIgnoringASCIICase("Connection")
        case 14: return name.equalsIgnoringASCIICase("Content-Length")
        case 17: return name.equalsIgnoringASCIICase("Transfer-Encoding")
        default: return false
        }
    }

    /// Appends `response` to `output`.
    ///
    /// - Parameters:
    ///   - requestMethod: a response to HEAD carries the length of the body but not the body.
    ///   - keepAlive: false adds `Connection: close`; true on an HTTP/1.0 request adds
    ///     `Connection: keep-alive`, because HTTP/1.0 connections close by default.
    static func write(_ response: HTTPResponse, requestMethod: String, requestVersion: HTTPVersion,
                      keepAlive: Bool, date: String, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + 256 + response.body.count)
        appendStatusLine(response.status, to: &output)
        for field in response.fields where isSafe(field) && !isTransportField(field.name) {
            appendField(field.name, field.value, to: &output)
        }
        appendField("Date", date, to: &output)
        let code = response.status.code
        // RFC 9110, 8.6: no Content-Length on 1xx and 204; 304 may omit it.
        let hasBody = !(100..<200).contains(code) && code != 204 && code != 304
        if hasBody {
            appendField("Content-Length", String(response.body.count), to: &output)
        }
        if !keepAlive {
            appendField("Connection", "close", to: &output)
        } else if requestVersion == .http1_0 {
            appendField("Connection", "keep-alive", to: &output)
        }
        output.append(ASCII.carriageReturn)
        output.append(ASCII.lineFeed)
        if hasBody && requestMethod != "HEAD" {
            output.append(contentsOf: response.body)
        }
    }

    /// The bytes of an interim `100 Continue` (RFC 9110, 15.2.1).
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static func appendStatusLine(_ status: HTTPStatus, to output: inout [UInt8]) {
        if (100..<600).contains(status.code) {
            output.append(contentsOf: statusLines[status.code - 100])
        } else {
            output.append(contentsOf: statusLine(status))
        }
    }

    /// Status lines of every three-digit code, built once.
    private static let statusLines: [[UInt8]] = (100..<600).map { statusLine(HTTPStatus(code: $0)) }

    private static func statusLine(_ status: HTTPStatus) -> [UInt8] {
        Array("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n".utf8)
    }

    static func appendField(_ name: String, _ value: String, to output: inout [UInt8]) {
        name.withUTF8Buffer { output.append(contentsOf: $0) }
        output.append(ASCII.colon)
        output.append(ASCII.space)
        value.withUTF8Buffer { output.append(contentsOf: $0) }
        output.append(ASCII.carriageReturn)
        output.append(ASCII.lineFeed)
    }

    /// Rejects names and values that could split the response: fields set through the admin
    /// API come from users, and CR or LF in them would inject lines.
    private static func isSafe(_ field: HTTPField) -> Bool {
        let isValidName = field.name.withUTF8Buffer { name in
            !name.isEmpty && name.allSatisfy(ASCII.isTokenCharacter)
        }
        return isValidName && field.value.withUTF8Buffer { $0.allSatisfy(ASCII.isFieldValueCharacter) }
    }
}

/// Connection persistence of RFC 9112, 9.3.
enum HTTP1Persistence {
    /// True when the connection may carry another request after this one: HTTP/1.1 unless
    /// `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    static func isPersistent(_ head: HTTPRequestHead) -> Bool {
        var sawClose = false
        var sawKeepAlive = false
        for field in head.fields where field.name.equalsIgnoringASCIICase("Connection") {
            for option in field.value.utf8.split(separator: ASCII.comma) {
                let token = Substring(option).trimmingOptionalWhitespace()
                if token.equalsIgnoringASCIICase("close") {
                    sawClose = true
                } else if token.equalsIgnoringASCIICase("keep-alive") {
                    sawKeepAlive = true
                }
            }
        }
        if sawClose {
            return false
        }
        return head.version == .http1_0 ? sawKeepAlive : true
    }

    /// The options listed in `Connection` fields, lower-cased.
    static func connectionOptions(_ head: HTTPRequestHead) -> [String] {
        head.fields.values(for: "Connection").flatMap { value in
            value.split(separator: ",").map { $0.trimmingOptionalWhitespace().lowercased() }
        }
    }
}
