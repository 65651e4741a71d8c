/// The protocol version a request arrived with.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)
    public static let http2 = HTTPVersion(major: 2, minor: 0)

    public var description: String {
        major == 2 ? "HTTP/2" : "HTTP/\(major).\(minor)"
    }
}

/// A request line (or HTTP/2 pseudo-header fields) plus header fields, before any body.
///
/// The same value comes out of the HTTP/1.1 parser and the HTTP/2 session, so a handler
/// never needs to know which protocol carried the request. For HTTP/2 the `Host` field is
/// filled from `:authority` and `target` from `:path`.
public struct HTTPRequestHead: Sendable, Equatable {
    /// The method exactly as sent; methods are case-sensitive (RFC 9110, 9.1).
    public var method: String
    /// The request-target as sent: origin-form (`/a?b`) or absolute-form (`http://h/a?b`).
    public var target: String
    public var version: HTTPVersion
    public var fields: HTTPFields

    public init(method: String, target: String, version: HTTPVersion, fields: HTTPFields) {
        self.method = method
        self.target = target
        self.version = version
        self.fields = fields
    }

    /// The path of the target, still percent-encoded, without the query.
    /// For an absolute-form target the scheme and authority are dropped (RFC 9112, 3.2.2).
    public var path: Substring {
        let originForm = target.originForm
        guard let mark = originForm.firstIndex(ofByte: ASCII.questionMark) else {
            return originForm
        }
        return originForm[..<mark]
    }

    /// The query of the target without the `?`, or nil when there is none.
    public var query: Substring? {
        guard let mark = target.firstIndex(ofByte: ASCII.questionMark) else {
            return nil
        }
        return target[target.utf8.index(after: mark)...]
    }

    /// The authority the client addressed: the host of an absolute-form target, else `Host`.
    public var authority: String? {
        if let authority = target.absoluteFormAuthority {
            return String(authority)
        }
        return fields["Host"]
    }
}

/// A complete request: head and the whole body, already de-chunked.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// Trailer fields of a chunked body (RFC 9112, 7.1.2); never merged into the head.
    public var trailers: HTTPFields

    public init(head: HTTPRequestHead, body: [UInt8] = [], trailers: HTTPFields = HTTPFields()) {
        self.head = head
        self.body = body
        self.trailers = trailers
    }
}

extension String {
    /// The part of an absolute-form target from the path on; origin-form is returned as is.
    var originForm: Substring {
        guard let authorityStart = schemeSeparatorEnd else {
            return self[...]
        }
        let rest = self[authorityStart...]
        guard let pathStart = rest.utf8.firstIndex(where: { $0 == ASCII.slash || $0 == ASCII.questionMark }) else {
            return "/"
        }
        return rest[pathStart...]
    }

    var absoluteFormAuthority: Substring? {
        guard let authorityStart = schemeSeparatorEnd else {
            return nil
        }
        let rest = self[authorityStart...]
        let end = rest.utf8.firstIndex(where: { $0 == ASCII.slash || $0 == ASCII.questionMark }) ?? rest.endIndex
        return rest[..<end]
    }

    /// The index just past `://` when the string starts with `scheme://`.
    private var schemeSeparatorEnd: String.Index? {
        guard let first = utf8.first, first != ASCII.slash else {
            return nil
        }
        let bytes = utf8
        var index = bytes.startIndex
        while index != bytes.endIndex, bytes[index] != ASCII.slash, bytes[index] != ASCII.questionMark {
            if bytes[index] == ASCII.colon {
                let rest = bytes[bytes.index(after: index)...]
                guard rest.starts(with: "//".utf8) else {
                    return nil
                }
                return bytes.index(index, offsetBy: 3)
            }
            index = bytes.index(after: index)
        }
        return nil
    }
}
