import Glibc

/// The one route the fake serves: `v1/account/{id}/opportunity/{opportunityid}`, matched
/// as Web API's attribute routing does it: literal segments case-insensitively, on the
/// percent-decoded path (so `%2F` in an id becomes `/` and breaks the match), with the query
/// ignored and one trailing slash allowed.
struct KaptaRoute: Sendable, Equatable {
    var accountID: String
    var opportunityID: String

    enum PathError: Error, Equatable {
        /// `%` not followed by two hexadecimal digits.
        case invalidPercentEncoding
    }

    /// The facts routing needs about a request path, read from its percent-decoded bytes.
    struct PathMatch {
        /// Whether the path is under `/v1/`, where every request must authenticate first.
        var requiresAuthentication: Bool
        /// The route values, or nil when the path is not this route.
        var route: KaptaRoute?
    }

    /// Decodes the `%XX` escapes of a request path and matches the result. Decoded bytes that
    /// do not form UTF-8 become U+FFFD in the route values.
    static func match(path: Substring) throws(PathError) -> PathMatch {
        let match: PathMatch? = path.withUTF8Buffer { raw in
            guard let base = raw.baseAddress, memchr(base, Int32(ASCII.percent), raw.count) != nil else {
                // Most paths have no escapes: match the request's own bytes without a copy.
                return PathMatch(decodedPath: raw)
            }
            guard let decoded = percentDecoded(raw) else {
                return nil
            }
            return decoded.withUnsafeBufferPointer { PathMatch(decodedPath: $0) }
        }
        guard let match else {
            throw .invalidPercentEncoding
        }
        return match
    }

    /// Returns the bytes with every `%XX` replaced by the byte it encodes, or nil when a `%` is
    /// not followed by two hexadecimal digits.
    private static func percentDecoded(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            guard byte == ASCII.percent else {
                output.append(byte)
                continue
            }
            guard index + 1 < bytes.count, let high = ASCII.hexValue(bytes[index]),
                  let low = ASCII.hexValue(bytes[index + 1]) else {
                return nil
            }
            index += 2
            output.append(high << 4 | low)
        }
        return output
    }

    /// The route values of a decoded path, or nil when the path is not this route. Segment
    /// ends are found in the bytes, without building substrings: this runs on every request.
    init?(decodedPath bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.first == ASCII.slash else {
            return nil
        }
        var segments = PathSegments(bytes: bytes)
        guard let version = segments.next(), version.endsWithSlash, version.bytes.equalsIgnoringASCIICase("v1"),
              let accounts = segments.next(), accounts.endsWithSlash,
              accounts.bytes.equalsIgnoringASCIICase("account"),
              let account = segments.next(), account.endsWithSlash, !account.bytes.isEmpty,
              let opportunities = segments.next(), opportunities.endsWithSlash,
              opportunities.bytes.equalsIgnoringASCIICase("opportunity"),
              let opportunity = segments.next(), !opportunity.bytes.isEmpty,
              !opportunity.endsWithSlash || segments.isAtEnd else {
            // The last segment may be followed by one slash, and by nothing else.
            return nil
        }
        accountID = account.bytes.makeString()
        opportunityID = opportunity.bytes.makeString()
    }

    /// The path of a request target without the query, still percent-encoded.
    static func path(of head: HTTPRequestHead) -> Substring {
        let target = head.target
        guard target.utf8.first == ASCII.slash else {
            return head.path
        }
        guard let mark = target.firstIndex(ofByte: ASCII.questionMark) else {
            return target[...]
        }
        return target[..<mark]
    }

    /// The request URI as the 404 message shows it: scheme, authority, path and query.
    /// The port 80 is left out, as .NET's `Uri` does for the scheme's default port.
    static func absoluteURI(of head: HTTPRequestHead) -> String {
        if head.target.hasPrefixIgnoringASCIICase("http://") || head.target.hasPrefixIgnoringASCIICase("https://") {
            return head.target
        }
        var authority = head.authority ?? "localhost"
        if authority.hasSuffix(":80") {
            authority.removeLast(3)
        }
        return "http://\(authority)\(head.target)"
    }
}

extension KaptaRoute.PathMatch {
    init(decodedPath bytes: UnsafeBufferPointer<UInt8>) {
        requiresAuthentication = bytes.hasPrefixIgnoringASCIICase("/v1/") || bytes.equalsIgnoringASCIICase("/v1")
        route = KaptaRoute(decodedPath: bytes)
    }
}

/// The slash-separated segments of a path that starts with `/`, in order.
private struct PathSegments {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where the next segment starts, just past a slash.
    private var start = 1

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Whether the last segment returned ended at a slash that is the path's last byte.
    var isAtEnd: Bool { start == bytes.count }

    /// The next segment and whether a slash ends it, or nil after a segment that ended the path.
    mutating func next() -> (bytes: UnsafeBufferPointer<UInt8>, endsWithSlash: Bool)? {
        guard start <= bytes.count else {
            return nil
        }
        var end = start
        while end < bytes.count && bytes[end] != ASCII.slash {
            end += 1
        }
        let segment = UnsafeBufferPointer(rebasing: bytes[start..<end])
        start = end + 1
        return (segment, end < bytes.count)
    }
}

/// The credentials of `Authorization: token <access_token>`.
enum KaptaCredentials: Equatable {
    case token(String)
    case missing
    /// Another scheme, in its usual spelling when it is a well-known one such as `Bearer`, for
    /// the reason and the warning. Any other first word is dropped (nil), because a client that
    /// sends no scheme puts its token there.
    case otherScheme(String?)

    init(fields: HTTPFields) {
        guard let value = fields.joinedValue(lowercaseName: "authorization") else {
            self = .missing
            return
        }
        self = value.withUTF8Buffer { bytes in
            func isSpace(_ byte: UInt8) -> Bool { byte == ASCII.space || byte == ASCII.tab }
            var start = 0
            var end = bytes.count
            while start < end && isSpace(bytes[start]) {
                start += 1
            }
            while end > start && isSpace(bytes[end - 1]) {
                end -= 1
            }
            guard start < end else {
                return .missing
            }
            var schemeEnd = start
            while schemeEnd < end && !isSpace(bytes[schemeEnd]) {
                schemeEnd += 1
            }
            let scheme = UnsafeBufferPointer(rebasing: bytes[start..<schemeEnd])
            guard scheme.equalsIgnoringASCIICase("token") else {
                return .otherScheme(AuthorizationScheme.wellKnownName(scheme.makeString()))
            }
            var tokenStart = schemeEnd
            while tokenStart < end && isSpace(bytes[tokenStart]) {
                tokenStart += 1
            }
            // Every cut is next to a space or tab, so the slices stay valid UTF-8.
            return .token(UnsafeBufferPointer(rebasing: bytes[tokenStart..<end]).makeString())
        }
    }
}
