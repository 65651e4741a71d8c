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

    /// Decodes `%XX` escapes of a request path. Bytes that do not form UTF-8 become U+FFFD.
    static func decode(path: Substring) throws(PathError) -> String {
        guard path.containsByte(ASCII.percent) else {
            return String(path)
        }
        let bytes = path.utf8
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            guard byte == ASCII.percent else {
                output.append(byte)
                continue
            }
            guard index != bytes.endIndex, let high = ASCII.hexValue(bytes[index]) else {
                throw .invalidPercentEncoding
            }
            index = bytes.index(after: index)
            guard index != bytes.endIndex, let low = ASCII.hexValue(bytes[index]) else {
                throw .invalidPercentEncoding
            }
            index = bytes.index(after: index)
            output.append(high << 4 | low)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether the path is under `/v1/`, where every request must authenticate first.
    static func requiresAuthentication(decodedPath: String) -> Bool {
        decodedPath.hasPrefixIgnoringASCIICase("/v1/") || decodedPath.equalsIgnoringASCIICase("/v1")
    }

    /// The route values of a decoded path, or nil when the path is not this route.
    init?(decodedPath: String) {
        // Slash offsets, found in the UTF-8 buffer without splitting into substrings: this
        // runs on every request.
        var slashes: [Int] = []
        slashes.reserveCapacity(8)
        let length: Int? = decodedPath.withUTF8Buffer { bytes in
            for offset in 0..<bytes.count where bytes[offset] == ASCII.slash {
                guard slashes.count < 7 else {
                    return nil
                }
                slashes.append(offset)
            }
            return bytes.count
        }
        guard let length else {
            return nil
        }
        // `/v1/account/{id}/opportunity/{opportunityid}` has five slashes; one trailing
        // slash after the last segment is allowed.
        if slashes.count == 6 {
            guard slashes[5] + 1 == length else {
                return nil
            }
        }
        guard slashes.count == 5 || slashes.count == 6, slashes[0] == 0 else {
            return nil
        }
        let utf8 = decodedPath.utf8
        func segment(_ number: Int) -> Substring {
            let start = utf8.index(utf8.startIndex, offsetBy: slashes[number - 1] + 1)
            let end = utf8.index(utf8.startIndex, offsetBy: number < slashes.count ? slashes[number] : length)
            return decodedPath[start..<end]
        }
        let account = segment(3)
        let opportunity = segment(5)
        guard segment(1).equalsIgnoringASCIICase("v1"), segment(2).equalsIgnoringASCIICase("account"),
              !account.isEmpty, segment(4).equalsIgnoringASCIICase("opportunity"), !opportunity.isEmpty else {
            return nil
        }
        accountID = String(account)
        opportunityID = String(opportunity)
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

/// The credentials of `Authorization: token <access_token>`.
enum KaptaCredentials: Equatable {
    case token(String)
    case missing
    /// Another scheme, such as `Bearer` or `Basic`, kept for the reason and the warning.
    case otherScheme(String)

    init(fields: HTTPFields) {
        guard let value = fields["Authorization"] else {
            self = .missing
            return
        }
        let trimmed = value[...].trimmingASCIISpaces()
        guard !trimmed.isEmpty else {
            self = .missing
            return
        }
        let schemeEnd = trimmed.utf8.firstIndex { $0 == ASCII.space || $0 == ASCII.tab } ?? trimmed.endIndex
        let scheme = trimmed[..<schemeEnd]
        guard scheme.equalsIgnoringASCIICase("token") else {
            self = .otherScheme(String(scheme))
            return
        }
        self = .token(String(trimmed[schemeEnd...].trimmingASCIISpaces()))
    }
}
