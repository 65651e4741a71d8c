/// A parsed media type (`type/subtype; name=value`), as System.Net.Http's
/// `MediaTypeHeaderValue` holds it: the names as sent, compared case-insensitively.
struct MediaType: Sendable, Equatable {
    var type: Substring
    var subtype: Substring
    var parameters: [(name: Substring, value: Substring)]

    static func == (lhs: MediaType, rhs: MediaType) -> Bool {
        lhs.type == rhs.type && lhs.subtype == rhs.subtype
            && lhs.parameters.elementsEqual(rhs.parameters) { $0.name == $1.name && $0.value == $1.value }
    }

    /// `type/subtype` as sent.
    var essence: String { "\(type)/\(subtype)" }

    /// The `charset` parameter without quotes, if any.
    var charset: Substring? {
        parameter("charset")
    }

    func parameter(_ name: String) -> Substring? {
        parameters.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// Parses one media type or range. Returns nil when the text is not a valid
    /// `token/token` followed by `;`-separated parameters (RFC 9110, 8.3.1).
    init?(parsing text: Substring) {
        // Scanned by index rather than split: every request parses its Content-Type.
        let essenceEnd = text.firstIndex(ofByte: ASCII.semicolon) ?? text.endIndex
        let essence = text[..<essenceEnd].trimmingASCIISpaces()
        guard let slash = essence.firstIndex(ofByte: ASCII.slash) else {
            return nil
        }
        type = essence[..<slash]
        subtype = essence[essence.index(after: slash)...]
        guard Self.isToken(type), Self.isToken(subtype) else {
            return nil
        }
        parameters = []
        var rest = essenceEnd < text.endIndex ? text[text.index(after: essenceEnd)...] : text[text.endIndex...]
        while !rest.isEmpty {
            let partEnd = rest.firstIndex(ofByte: ASCII.semicolon) ?? rest.endIndex
            let parameter = rest[..<partEnd].trimmingASCIISpaces()
            rest = partEnd < rest.endIndex ? rest[rest.index(after: partEnd)...] : rest[rest.endIndex...]
            if parameter.isEmpty {
                continue
            }
            guard let equals = parameter.firstIndex(ofByte: ASCII.equals) else {
                return nil
            }
            let name = parameter[..<equals].trimmingASCIISpaces()
            var value = parameter[parameter.index(after: equals)...].trimmingASCIISpaces()
            guard Self.isToken(name) else {
                return nil
            }
            if value.utf8.count >= 2 && value.utf8.first == ASCII.quote && value.utf8.last == ASCII.quote {
                value = value.dropFirst().dropLast()
            } else if !Self.isToken(value) {
                return nil
            }
            parameters.append((name, value))
        }
    }

    static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(ASCII.isTokenCharacter)
    }

    var isAllMediaRange: Bool { type == "*" && subtype == "*" }
    var isSubtypeRange: Bool { type != "*" && subtype == "*" }

    /// Whether the concrete type `self` is inside `range` (`application/json` is inside
    /// `application/*` and `*/*`), ignoring parameters, as the formatters' types have none.
    func isSubset(of range: MediaType) -> Bool {
        if range.isAllMediaRange {
            return true
        }
        guard type.equalsIgnoringASCIICase(range.type) else {
            return false
        }
        return range.subtype == "*" || subtype.equalsIgnoringASCIICase(range.subtype)
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs (OWS of RFC 9110, 5.6.3).
    func trimmingASCIISpaces() -> Substring {
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == ASCII.space || bytes[start] == ASCII.tab {
            start = bytes.index(after: start)
        }
        while start < end {
            let before = bytes.index(before: end)
            guard bytes[before] == ASCII.space || bytes[before] == ASCII.tab else {
                break
            }
            end = before
        }
        return self[start..<end]
    }
}
