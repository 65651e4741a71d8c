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
/// one `HTTP2-Settings` holding base64url SETTINGS with acceptable values, and both named
/// in `Connection`. Anything else is served as plain HTTP/1.1 without switching.
struct HTTP2Upgrade {
    let settings: [UInt8]

    init?(request: HTTPRequest, settings options: HTTP2Settings) {
        let head = request.head
        // Almost no request asks to upgrade; deciding that must not allocate.
        guard options.upgrade, head.version == .http1_1, head.fields.contains("Upgrade"),
              head.fields.values(for: "Upgrade").contains(where: { value in
                  value.split(separator: ",").contains { $0.trimmingOptionalWhitespace().equalsIgnoringASCIICase("h2c") }
              }) else {
            return nil
        }
        let connectionOptions = HTTP1Persistence.connectionOptions(head)
        let settingsFields = head.fields.values(for: "HTTP2-Settings")
        guard connectionOptions.contains("upgrade"), connectionOptions.contains("http2-settings"),
              settingsFields.count == 1, let decoded = Base64.decodeURLSafe(settingsFields[0]),
              HTTP2SettingsPayload.isAcceptable(decoded) else {
            return nil
        }
        self.settings = decoded
    }
}

/// The check of an `HTTP2-Settings` payload before the 101 goes out. nghttp2 would see a
/// bad value only after the switch and end the connection, too late for an HTTP/1.1 response.
enum HTTP2SettingsPayload {
    /// nghttp2's default limit on entries in one SETTINGS frame (`nghttp2_option_set_max_settings`).
    static let maxEntries = 32

    /// True when the payload is a list of 6-octet entries (RFC 9113, 6.5.1) within the
    /// ranges of RFC 9113, 6.5.2, RFC 8441, 3 and RFC 9218, 2.1. Unknown ids are ignored,
    /// as RFC 9113, 6.5.2 requires.
    static func isAcceptable(_ payload: [UInt8]) -> Bool {
        guard payload.count % 6 == 0, payload.count / 6 <= maxEntries else {
            return false
        }
        for start in stride(from: 0, to: payload.count, by: 6) {
            let id = UInt16(payload[start]) << 8 | UInt16(payload[start + 1])
            let value = payload[(start + 2)..<(start + 6)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard isAcceptable(id: id, value: value) else {
                return false
            }
        }
        return true
    }

    private static func isAcceptable(id: UInt16, value: UInt32) -> Bool {
        switch id {
        case 0x2, 0x8, 0x9:
            // SETTINGS_ENABLE_PUSH, SETTINGS_ENABLE_CONNECT_PROTOCOL, SETTINGS_NO_RFC7540_PRIORITIES.
            return value <= 1
        case 0x4:
            // SETTINGS_INITIAL_WINDOW_SIZE: at most 2^31-1.
            return value <= 0x7FFF_FFFF
        case 0x5:
            // SETTINGS_MAX_FRAME_SIZE: from 2^14 to 2^24-1.
            return (0x4000...0xFF_FFFF).contains(value)
        default:
            return true
        }
    }
}
