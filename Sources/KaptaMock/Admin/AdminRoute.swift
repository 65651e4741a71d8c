/// An admin request's path split into percent-decoded segments after `/__admin`, and its
/// query parameters.
struct AdminRoute {
    var segments: [String]
    var query: [String: String]

    init(head: HTTPRequestHead) throws(AdminError) {
        let path = head.path.utf8.dropFirst(AdminAPI.prefix.utf8.count)
        var rawSegments = Substring(path).split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // One trailing slash is allowed, as on the Kapta routes.
        if rawSegments.last == "" {
            rawSegments = rawSegments.dropLast()
        }
        segments = []
        for raw in rawSegments {
            guard let segment = Self.percentDecoded(raw, plusIsSpace: false) else {
                throw .badRequest("invalid percent-encoding in the path segment \(ControlEscaping.quoted(String(raw)))")
            }
            segments.append(segment)
        }
        query = [:]
        guard let rawQuery = head.query, !rawQuery.isEmpty else {
            return
        }
        for pair in rawQuery.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.percentDecoded(parts[0], plusIsSpace: true),
                  let value = Self.percentDecoded(parts.count > 1 ? parts[1] : "", plusIsSpace: true) else {
                throw .badRequest("invalid percent-encoding in the query parameter \(ControlEscaping.quoted(String(pair)))")
            }
            guard query.updateValue(value, forKey: name) == nil else {
                throw .badRequest("query parameter \(ControlEscaping.quoted(name)) is given twice")
            }
        }
    }

    func require(_ method: String, in allowed: [String]) throws(AdminError) {
        guard allowed.contains(method) else {
            throw .methodNotAllowed(method: method, allowed: allowed)
        }
    }

    /// Rejects query parameters the route does not know, so a typo such as `limt=5` fails
    /// instead of being ignored.
    func allowQuery(_ names: [String]) throws(AdminError) {
        for name in query.keys.sorted() where !names.contains(name) {
            let allowed = names.isEmpty ? "this route takes none" : "allowed: " + names.joined(separator: ", ")
            throw .badRequest("unknown query parameter \(ControlEscaping.quoted(name)); \(allowed)")
        }
    }

    /// Reads an integer query parameter inside `range`, or returns nil when it is absent.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(AdminError) -> Int? {
        guard let text = query[name] else {
            return nil
        }
        guard let value = Int(text), range.contains(value) else {
            throw .badRequest("invalid \(name) \(ControlEscaping.quoted(text)); expected an integer from "
                + "\(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Decodes `%XX` escapes (RFC 3986, 2.1) and, in queries, `+` as a space (the form
    /// encoding of HTML). Returns nil for a malformed escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case ASCII.percent:
                guard let high = iterator.next().flatMap(ASCII.hexValue),
                      let low = iterator.next().flatMap(ASCII.hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            case ASCII.plus where plusIsSpace:
                bytes.append(ASCII.space)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
