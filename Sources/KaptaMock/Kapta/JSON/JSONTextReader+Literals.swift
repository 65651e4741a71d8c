// Comments, literals (`true`, `null`, `NaN`, `undefined`) and `new Name(` constructors of
// Json.NET's `JsonTextReader`, with its messages for each malformed form.

extension JSONTextReader {
    mutating func parseComment(setToken setsToken: Bool) throws(JSONReadError) {
        position += 1
        guard position < bytes.count else {
            throw error("Unexpected end while parsing comment.")
        }
        let isSingleLine: Bool
        switch bytes[position] {
        case UInt8(ascii: "*"):
            isSingleLine = false
        case UInt8(ascii: "/"):
            isSingleLine = true
        default:
            throw error("Error parsing comment. Expected: *, got \(characterText(at: position)).")
        }
        position += 1
        while true {
            guard position < bytes.count else {
                guard isSingleLine else {
                    throw error("Unexpected end while parsing comment.")
                }
                break
            }
            let current = bytes[position]
            if current == UInt8(ascii: "*") {
                position += 1
                if !isSingleLine && byte(at: position) == UInt8(ascii: "/") && position < bytes.count {
                    position += 1
                    break
                }
            } else if current == ASCII.carriageReturn || current == ASCII.lineFeed {
                if isSingleLine {
                    break
                }
                if current == ASCII.carriageReturn {
                    processCarriageReturn()
                } else {
                    position += 1
                }
            } else {
                position += 1
            }
        }
        if setsToken {
            try setToken(.comment)
        }
    }

    /// Matches `literal` and requires a separator or the end after it, as Json.NET's
    /// `MatchValueWithTrailingSeparator`. Returns false on a mismatch, with `position` at
    /// the first differing character.
    mutating func matchLiteralWithSeparator(_ literal: StaticString) throws(JSONReadError) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard position + length <= bytes.count else {
            position = bytes.count
            throw unexpectedEnd()
        }
        let literalBytes = UnsafeBufferPointer(start: literal.utf8Start, count: length)
        for index in 0..<length where bytes[position + index] != literalBytes[index] {
            position += index
            return false
        }
        position += length
        guard position < bytes.count else {
            return true
        }
        return isSeparator(at: position) || bytes[position] == 0
    }

    func isSeparator(at offset: Int) -> Bool {
        let current = bytes[offset]
        switch current {
        case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","):
            return true
        case UInt8(ascii: "/"):
            let next = byte(at: offset + 1)
            return offset + 1 < bytes.count && (next == UInt8(ascii: "*") || next == UInt8(ascii: "/"))
        case UInt8(ascii: ")"):
            return state == .constructor || state == .constructorStart
        default:
            if current < 0x80 {
                return Self.isASCIIWhiteSpace(current)
            }
            return unicodeWhiteSpaceLength(at: offset) != nil
        }
    }

    mutating func parseLiteral(_ literal: StaticString, token newToken: JSONToken, failure: String)
        throws(JSONReadError) {
        let start = position
        guard try matchLiteralWithSeparator(literal) else {
            throw error(failure)
        }
        valueStart = start
        valueEnd = position
        try setToken(newToken)
    }

    /// `new Name(`: Json.NET reads JavaScript constructors as containers.
    mutating func parseConstructor() throws(JSONReadError) {
        guard try matchLiteralWithSeparator("new") else {
            throw error("Unexpected content while parsing JSON.")
        }
        eatWhiteSpace()
        let nameStart = position
        var nameEnd = position
        while true {
            nameEnd = position
            guard position < bytes.count else {
                throw error("Unexpected end while parsing constructor.")
            }
            let current = bytes[position]
            let (isIdentifier, length) = isIdentifierCharacter(at: position)
            if isIdentifier && current != UInt8(ascii: "_") && current != UInt8(ascii: "$") {
                position += length
            } else if current == ASCII.carriageReturn {
                processCarriageReturn()
                break
            } else if current == ASCII.lineFeed || current == 0 || (current < 0x80 && Self.isASCIIWhiteSpace(current)) {
                position += 1
                break
            } else if current == UInt8(ascii: "(") {
                break
            } else {
                throw error("Unexpected character while parsing constructor: \(characterText(at: position)).")
            }
        }
        eatWhiteSpace()
        guard byte(at: position) == UInt8(ascii: "("), position < bytes.count else {
            throw error("Unexpected character while parsing constructor: \(characterText(at: position)).")
        }
        position += 1
        valueIsInScratch = false
        valueStart = nameStart
        valueEnd = nameEnd
        try setToken(.startConstructor)
    }
}
