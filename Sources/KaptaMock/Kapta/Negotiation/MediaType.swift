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
        var parts = text.split(separator: ";", omittingEmptySubsequences: false)[...]
        guard let essence = parts.popFirst() else {
            return nil
        }
        let trimmed = essence.trimmingASCIISpaces()
        let pieces = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2, Self.isToken(pieces[0]), Self.isToken(pieces[1]) else {
            return nil
        }
        type = pieces[0]
        subtype = pieces[1]
        parameters = []
        for part in parts {
            let parameter = part.trimmingASCIISpaces()
            if parameter.isEmpty {
                continue
            }
            let nameAndValue = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard nameAndValue.count == 2 else {
                return nil
            }
            let name = nameAndValue[0].trimmingASCIISpaces()
            var value = nameAndValue[1].trimmingASCIISpaces()
            guard Self.isToken(name) else {
                return nil
            }
            if value.count >= 2 && value.first == "\"" && value.last == "\"" {
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
        var result = self
        while let first = result.first, first == " " || first == "\t" {
            result = result.dropFirst()
        }
        while let last = result.last, last == " " || last == "\t" {
            result = result.dropLast()
        }
        return result
    }
}
