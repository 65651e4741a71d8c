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
        let bytes = path.utf8
        guard bytes.contains(ASCII.percent) else {
            return String(path)
        }
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
        var segments = decodedPath.split(separator: "/", omittingEmptySubsequences: false)
        if segments.count == 7 && segments[6].isEmpty {
            segments.removeLast()
        }
        guard segments.count == 6, segments[0].isEmpty,
              segments[1].equalsIgnoringASCIICase("v1"), segments[2].equalsIgnoringASCIICase("account"),
              !segments[3].isEmpty, segments[4].equalsIgnoringASCIICase("opportunity"), !segments[5].isEmpty else {
            return nil
        }
        accountID = String(segments[3])
        opportunityID = String(segments[5])
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
        let parts = trimmed.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
        guard let scheme = parts.first else {
            self = .missing
            return
        }
        guard scheme.equalsIgnoringASCIICase("token") else {
            self = .otherScheme(String(scheme))
            return
        }
        self = .token(parts.count == 2 ? String(parts[1].trimmingASCIISpaces()) : "")
    }
}
