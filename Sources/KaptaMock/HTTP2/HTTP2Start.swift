/// How an HTTP/2 connection begins.
enum HTTP2Start {
    /// The client sent the connection preface first (RFC 9113, 3.3); the bytes include it.
    case priorKnowledge(initialBytes: [UInt8])
    /// An HTTP/1.1 request with `Upgrade: h2c` was answered with 101 (RFC 7540, 3.2). The
    /// request becomes stream 1; `settings` is the decoded `HTTP2-Settings` payload and
    /// `remainingBytes` what the client sent after the request.
    case upgrade(request: HTTPRequest, settings: [UInt8], remainingBytes: [UInt8])
}

/// A valid request to upgrade to h2c (RFC 7540, 3.2): HTTP/1.1, `Upgrade: h2c`, exactly
/// one `HTTP2-Settings` holding base64url SETTINGS, and both named in `Connection`.
struct HTTP2Upgrade {
    let settings: [UInt8]

    init?(request: HTTPRequest, settings options: HTTP2Settings) {
        let head = request.head
        guard options.upgrade, head.version == .http1_1,
              head.fields.values(for: "Upgrade").contains(where: { value in
                  value.split(separator: ",").contains { $0.trimmingOptionalWhitespace().equalsIgnoringASCIICase("h2c") }
              }) else {
            return nil
        }
        let connectionOptions = HTTP1Persistence.connectionOptions(head)
        let settingsFields = head.fields.values(for: "HTTP2-Settings")
        guard connectionOptions.contains("upgrade"), connectionOptions.contains("http2-settings"),
              settingsFields.count == 1, let decoded = Base64.decodeURLSafe(settingsFields[0]),
              decoded.count % 6 == 0 else {
            return nil
        }
        self.settings = decoded
    }
}
