// The untyped `Read()` of Json.NET's `JsonTextReader`: the lenient grammar (comments, single
// quotes, unquoted names, trailing commas, `undefined`, `NaN`, `new Date(...)`) and the
// messages and positions of its errors. Each error leaves `position` where Json.NET's
// `_charPos` would be, because the reported position and the recovery depend on it.

extension JSONTextReader {
    /// Reads the next token. Returns false at the end of the input.
    mutating func read() throws(JSONReadError) -> Bool {
        while true {
            switch state {
            case .start, .property, .array, .arrayStart, .constructor, .constructorStart:
                return try parseValue()
            case .object, .objectStart:
                return try parseObject()
            case .postValue:
                if try parsePostValue(ignoreComments: false) {
                    return true
                }
            case .finished:
                eatWhiteSpace()
                if isAtEnd {
                    try setToken(.none)
                    return false
                }
                if bytes[position] == UInt8(ascii: "/") {
                    try parseComment(setToken: true)
                    return true
                }
                throw error("Additional text encountered after finished reading JSON content: "
                    + "\(characterText(at: position)).")
            }
        }
    }

    /// Json.NET's `ReadAndMoveToContent`: reads, then skips comments.
    mutating func readAndMoveToContent() throws(JSONReadError) -> Bool {
        guard try read() else {
            return false
        }
        while token == .none || token == .comment {
            guard try read() else {
                return false
            }
        }
        return true
    }

    /// Json.NET's `Skip`: moves past the current property's value or the current container.
    mutating func skip() throws(JSONReadError) {
        if token == .propertyName {
            _ = try read()
        }
        if token.isStart {
            let startDepth = depth
            while try read(), startDepth < depth {}
        }
    }

    private mutating func parseValue() throws(JSONReadError) -> Bool {
        while position < bytes.count {
            let current = bytes[position]
            switch current {
            case 0:
                position += 1
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                try parseString(quote: current)
                return true
            case UInt8(ascii: "t"):
                try parseLiteral("true", token: .boolean, failure: "Error parsing boolean value.")
                booleanValue = true
                return true
            case UInt8(ascii: "f"):
                try parseLiteral("false", token: .boolean, failure: "Error parsing boolean value.")
                booleanValue = false
                return true
            case UInt8(ascii: "n"):
                guard position + 1 < bytes.count else {
                    position += 1
                    throw unexpectedEnd()
                }
                let next = bytes[position + 1]
                if next == UInt8(ascii: "u") {
                    try parseLiteral("null", token: .null, failure: "Error parsing null value.")
                } else if next == UInt8(ascii: "e") {
                    try parseConstructor()
                } else {
                    throw unexpectedCharacter(at: position)
                }
                return true
            case UInt8(ascii: "N"):
                try parseLiteral("NaN", token: .float, failure: "Error parsing NaN value.")
                return true
            case UInt8(ascii: "I"):
                try parseLiteral("Infinity", token: .float, failure: "Error parsing Infinity value.")
                return true
            case UInt8(ascii: "-"):
                if byte(at: position + 1) == UInt8(ascii: "I") {
                    try parseLiteral("-Infinity", token: .float, failure: "Error parsing -Infinity value.")
                } else {
                    try parseGeneralNumber()
                }
                return true
            case UInt8(ascii: "/"):
                try parseComment(setToken: true)
                return true
            case UInt8(ascii: "u"):
                try parseLiteral("undefined", token: .undefined, failure: "Error parsing undefined value.")
                return true
            case UInt8(ascii: "{"):
                position += 1
                try setToken(.startObject)
                return true
            case UInt8(ascii: "["):
                position += 1
                try setToken(.startArray)
                return true
            case UInt8(ascii: "]"):
                position += 1
                try setToken(.endArray)
                return true
            case UInt8(ascii: ","):
                // Json.NET reads an empty slot (`[1,,2]`) as `undefined` and leaves the comma.
                try setToken(.undefined)
                return true
            case UInt8(ascii: ")"):
                position += 1
                try setToken(.endConstructor)
                return true
            case ASCII.carriageReturn:
                processCarriageReturn()
            case ASCII.lineFeed, ASCII.space, ASCII.tab:
                position += 1
            default:
                if current < 0x80, Self.isASCIIWhiteSpace(current) {
                    position += 1
                } else if let length = unicodeWhiteSpaceLength(at: position) {
                    position += length
                } else if ASCII.isDigit(current) || current == UInt8(ascii: ".") {
                    try parseGeneralNumber()
                    return true
                } else {
                    throw unexpectedCharacter(at: position)
                }
            }
        }
        return false
    }

    private mutating func parseObject() throws(JSONReadError) -> Bool {
        while position < bytes.count {
            let current = bytes[position]
            switch current {
            case 0:
                position += 1
            case UInt8(ascii: "}"):
                try setToken(.endObject)
                position += 1
                return true
            case UInt8(ascii: "/"):
                try parseComment(setToken: true)
                return true
            case ASCII.carriageReturn:
                processCarriageReturn()
            case ASCII.lineFeed, ASCII.space, ASCII.tab:
                position += 1
            default:
                if current < 0x80, Self.isASCIIWhiteSpace(current) {
                    position += 1
                } else if let length = unicodeWhiteSpaceLength(at: position) {
                    position += length
                } else {
                    return try parseProperty()
                }
            }
        }
        return false
    }

    private mutating func parseProperty() throws(JSONReadError) -> Bool {
        let first = bytes[position]
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            position += 1
            try readStringIntoBuffer(quote: first)
        } else if isIdentifierCharacter(at: position).0 {
            try parseUnquotedPropertyName()
        } else {
            throw error("Invalid property identifier character: \(characterText(at: position)).")
        }
        eatWhiteSpace()
        guard byte(at: position) == UInt8(ascii: ":"), position < bytes.count else {
            throw error("Invalid character after parsing property name. Expected ':' but got: "
                + "\(characterText(at: position)).")
        }
        position += 1
        try setToken(.propertyName)
        recordPropertyName()
        return true
    }

    /// Stores the current property name in the innermost object frame, for paths.
    private mutating func recordPropertyName() {
        if valueIsInScratch {
            let slot = containers.escapedNames.count
            containers.escapedNames.append(String(decoding: scratch, as: UTF8.self))
            let start = -Int32(slot) - 2
            containers.updateTop { $0.nameStart = start; $0.nameLength = 0 }
        } else {
            let start = Int32(valueStart)
            let length = Int32(valueEnd - valueStart)
            containers.updateTop { $0.nameStart = start; $0.nameLength = length }
        }
    }

    private mutating func parseUnquotedPropertyName() throws(JSONReadError) {
        let start = position
        valueIsInScratch = false
        while true {
            guard position < bytes.count else {
                throw error("Unexpected end while parsing unquoted property name.")
            }
            if bytes[position] == 0 {
                break
            }
            let (isIdentifier, length) = isIdentifierCharacter(at: position)
            if isIdentifier {
                position += length
                continue
            }
            let current = bytes[position]
            if current == UInt8(ascii: ":") || (current < 0x80 && Self.isASCIIWhiteSpace(current))
                || unicodeWhiteSpaceLength(at: position) != nil {
                break
            }
            throw error("Invalid JavaScript property identifier character: \(characterText(at: position)).")
        }
        valueStart = start
        valueEnd = position
    }

    /// Reads what follows a value: a comma, the end of a container, or a comment. Returns
    /// true when that produced a token.
    mutating func parsePostValue(ignoreComments: Bool) throws(JSONReadError) -> Bool {
        while true {
            guard position < bytes.count else {
                state = .finished
                return false
            }
            let current = bytes[position]
            switch current {
            case 0:
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                try setToken(.endObject)
                return true
            case UInt8(ascii: "]"):
                position += 1
                try setToken(.endArray)
                return true
            case UInt8(ascii: ")"):
                position += 1
                try setToken(.endConstructor)
                return true
            case UInt8(ascii: "/"):
                try parseComment(setToken: !ignoreComments)
                if !ignoreComments {
                    return true
                }
            case UInt8(ascii: ","):
                position += 1
                setStateBasedOnCurrent()
                return false
            case ASCII.carriageReturn:
                processCarriageReturn()
            case ASCII.lineFeed, ASCII.space, ASCII.tab:
                position += 1
            default:
                if current < 0x80, Self.isASCIIWhiteSpace(current) {
                    position += 1
                } else if let length = unicodeWhiteSpaceLength(at: position) {
                    position += length
                } else {
                    throw error("After parsing a value an unexpected character was encountered: "
                        + "\(characterText(at: position)).")
                }
            }
        }
    }

    /// A string value read by `Read()`.
    private mutating func parseString(quote: UInt8) throws(JSONReadError) {
        position += 1
        try readStringIntoBuffer(quote: quote)
        try setToken(.string)
    }

    /// A number read by `Read()`: validated as Json.NET does, kept as text.
    private mutating func parseGeneralNumber() throws(JSONReadError) {
        let first = bytes[position]
        let start = position
        try readNumberIntoBuffer()
        setPostValueState(updateIndex: true)
        valueStart = start
        valueEnd = position
        switch JSONNumberText.classify(UnsafeBufferPointer(rebasing: bytes[start..<position]), first: first) {
        case .integer:
            token = .integer
        case .float:
            token = .float
        case .tooLargeInteger:
            throw readerError("JSON integer \(numberText()) is too large to parse.")
        case .invalid:
            throw readerError("Input string '\(numberText())' is not a valid number.")
        }
    }

    /// Moves past the characters Json.NET collects for a number.
    mutating func readNumberIntoBuffer() throws(JSONReadError) {
        while position < bytes.count {
            let current = bytes[position]
            if JSONNumberText.isNumberCharacter(current) {
                position += 1
                continue
            }
            if current == 0 || current == UInt8(ascii: ",") || current == UInt8(ascii: "}")
                || current == UInt8(ascii: "]") || current == UInt8(ascii: ")") || current == UInt8(ascii: "/")
                || (current < 0x80 && Self.isASCIIWhiteSpace(current)) || unicodeWhiteSpaceLength(at: position) != nil {
                return
            }
            throw error("Unexpected character encountered while parsing number: \(characterText(at: position)).")
        }
    }
}
