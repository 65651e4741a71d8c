// The typed reads Json.NET's serializer uses for the model's properties: `ReadAsString`,
// `ReadAsDecimal`, `ReadAsDateTime` and `ReadAsDouble`. They skip white space, comments and
// the comma before an array item, accept `null`, and coerce or reject each value kind with
// Json.NET's message. A nil result with `token == .none` means the input ended.

/// Conversions a client probably did not intend, reported as warnings.
struct JSONReadNotes: Equatable {
    /// A decimal that did not fit .NET's decimal, at its path, with the value it became.
    struct RoundedDecimal: Equatable {
        var path: String
        var value: DecimalNumber
    }

    var roundedDecimals: [RoundedDecimal] = []
    var octalNumberPaths: [String] = []
}

extension JSONTextReader {
    private enum ValueStart {
        /// Nothing but the end of the input.
        case none
        case null
        /// `]` or the end of the enclosing container.
        case containerEnd
        /// The first byte of a value, not yet consumed.
        case value(UInt8)
    }

    private enum TypedRead {
        case string, decimal, dateTime, double
    }

    /// Moves to the start of the next value, as the shared first half of Json.NET's
    /// `ReadStringValue` and `ReadNumberValue`.
    private mutating func seekValue() throws(JSONReadError) -> ValueStart {
        switch state {
        case .postValue:
            if try parsePostValue(ignoreComments: true) {
                return .containerEnd
            }
        case .finished:
            try readFinished()
            return .none
        case .object, .objectStart:
            throw error("Unexpected state: \(state == .object ? "Object" : "ObjectStart").")
        default:
            break
        }
        while position < bytes.count {
            let current = bytes[position]
            switch current {
            case 0:
                position += 1
            case UInt8(ascii: "n"):
                try readNull()
                return .null
            case UInt8(ascii: "/"):
                try parseComment(setToken: false)
            case UInt8(ascii: ","):
                position += 1
                guard state == .postValue else {
                    try setToken(.undefined)
                    throw unexpectedCharacter(at: position - 1)
                }
                setStateBasedOnCurrent()
            case UInt8(ascii: "]"):
                position += 1
                guard state == .array || state == .arrayStart || state == .postValue else {
                    throw unexpectedCharacter(at: position - 1)
                }
                try setToken(.endArray)
                return .containerEnd
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
                    return .value(current)
                }
            }
        }
        try setToken(.none)
        return .none
    }

    private mutating func readFinished() throws(JSONReadError) {
        eatWhiteSpace()
        if !isAtEnd {
            guard bytes[position] == UInt8(ascii: "/") else {
                throw error("Additional text encountered after finished reading JSON content: "
                    + "\(characterText(at: position)).")
            }
            try parseComment(setToken: false)
        }
        try setToken(.none)
    }

    private mutating func readNull() throws(JSONReadError) {
        guard position + 1 < bytes.count else {
            position = bytes.count
            throw unexpectedEnd()
        }
        guard bytes[position + 1] == UInt8(ascii: "u") else {
            position += 2
            throw unexpectedCharacter(at: position - 1)
        }
        guard try matchLiteralWithSeparator("null") else {
            throw error("Error parsing null value.")
        }
        try setToken(.null)
    }

    /// Consumes the character at `position` and reports it as unexpected.
    private mutating func unexpectedConsumedCharacter() -> JSONReadError {
        let start = position
        position += scalar(at: position).length
        return unexpectedCharacter(at: start)
    }

    /// `NaN`, `Infinity` or `-Infinity`: text for strings, a value for doubles, an error otherwise.
    private mutating func readSpecialNumber(_ kind: TypedRead) throws(JSONReadError) -> (text: String, value: Double) {
        let literal: StaticString
        let value: Double
        switch bytes[position] {
        case UInt8(ascii: "N"): (literal, value) = ("NaN", .nan)
        case UInt8(ascii: "I"): (literal, value) = ("Infinity", .infinity)
        default: (literal, value) = ("-Infinity", -.infinity)
        }
        let text = literal.description
        guard try matchLiteralWithSeparator(literal) else {
            throw error("Error parsing \(text) value.")
        }
        switch kind {
        case .string:
            try setToken(.string)
        case .double:
            try setToken(.float)
        case .decimal, .dateTime:
            throw error("Cannot read \(text) value.")
        }
        return (text, value)
    }

    private func startsSpecialNumber(_ first: UInt8) -> Bool {
        first == UInt8(ascii: "N") || first == UInt8(ascii: "I")
            || (first == UInt8(ascii: "-") && byte(at: position + 1) == UInt8(ascii: "I"))
    }

    /// Reads a quoted string after `seekValue` found its quote.
    private mutating func readQuotedString(quote: UInt8) throws(JSONReadError) {
        position += 1
        try readStringIntoBuffer(quote: quote)
        setPostValueState(updateIndex: true)
    }

    /// Reads a number token's text and classifies it, as the start of Json.NET's `ParseReadNumber`.
    private mutating func readNumberToken() throws(JSONReadError) -> JSONNumberText.Kind {
        let first = bytes[position]
        let start = position
        try readNumberIntoBuffer()
        setPostValueState(updateIndex: true)
        valueStart = start
        valueEnd = position
        return JSONNumberText.kind(of: UnsafeBufferPointer(rebasing: bytes[start..<position]), first: first)
    }

    // MARK: ReadAsString

    /// Reads a string property. Numbers and booleans become their text, as in Json.NET.
    mutating func readAsString() throws(JSONReadError) -> String? {
        guard case .value(let first) = try seekValue() else {
            return nil
        }
        switch first {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            try readQuotedString(quote: first)
            token = .string
            return makeString()
        case _ where startsSpecialNumber(first):
            return try readSpecialNumber(.string).text
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let kind = try readNumberToken()
            guard JSONNumberText.isValidNumber(kind, text: numberRange) else {
                throw readerError("Input string '\(numberText())' is not a valid number.")
            }
            token = .string
            return numberText()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let literal: StaticString = first == UInt8(ascii: "t") ? "true" : "false"
            guard try matchLiteralWithSeparator(literal) else {
                throw unexpectedCharacter(at: position)
            }
            try setToken(.string)
            return literal.description
        default:
            throw unexpectedConsumedCharacter()
        }
    }

    var numberRange: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd])
    }

    // MARK: ReadAsDecimal

    /// Reads a `decimal` property: exact from a number token, or from a string in invariant
    /// number style or exponent form.
    mutating func readAsDecimal(notes: inout JSONReadNotes) throws(JSONReadError) -> DecimalNumber? {
        guard case .value(let first) = try seekValue() else {
            return nil
        }
        switch first {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            try readQuotedString(quote: first)
            return try convertStringToDecimal(notes: &notes)
        case _ where startsSpecialNumber(first):
            _ = try readSpecialNumber(.decimal)
            return nil
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let kind = try readNumberToken()
            let parsed: JSONDecimalParser.Parsed?
            switch kind {
            case .singleDigit:
                parsed = JSONDecimalParser.Parsed(value: DecimalNumber(isNegative: false,
                                                                       coefficient: UInt128(first - 0x30), scale: 0))
            case .nonDecimal(let isHex):
                parsed = JSONNumberText.nonDecimalInteger(numberRange).map { JSONDecimalParser.Parsed(integer: $0) }
                if parsed != nil && !isHex {
                    notes.octalNumberPaths.append(path)
                }
            case .decimal:
                parsed = JSONDecimalParser.parseNumberToken(numberRange)
            }
            guard let parsed else {
                throw readerError("Input string '\(numberText())' is not a valid decimal.")
            }
            if parsed.wasRounded {
                notes.roundedDecimals.append(JSONReadNotes.RoundedDecimal(path: path, value: parsed.value))
            }
            token = .float
            return parsed.value
        default:
            throw unexpectedConsumedCharacter()
        }
    }

    private mutating func convertStringToDecimal(notes: inout JSONReadNotes) throws(JSONReadError) -> DecimalNumber? {
        let parsed = withStringBytes { text -> JSONDecimalParser.Parsed?? in
            if text.isEmpty {
                return .some(nil)
            }
            if let parsed = JSONDecimalParser.parseInvariantNumber(text) ?? JSONDecimalParser.parseNumberToken(text) {
                return parsed
            }
            return nil
        }
        switch parsed {
        case .some(.none):
            try setToken(.null, updateIndex: false)
            return nil
        case .some(.some(let parsed)):
            if parsed.wasRounded {
                notes.roundedDecimals.append(JSONReadNotes.RoundedDecimal(path: path, value: parsed.value))
            }
            try setToken(.float, updateIndex: false)
            return parsed.value
        case .none:
            try setToken(.string, updateIndex: false)
            throw error("Could not convert string to decimal: \(makeString()).")
        }
    }

    // MARK: ReadAsDouble

    /// Reads a `double?` property (`DoubleValue`).
    mutating func readAsDouble() throws(JSONReadError) -> Double? {
        guard case .value(let first) = try seekValue() else {
            return nil
        }
        switch first {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            try readQuotedString(quote: first)
            let value = withStringBytes { text -> Double?? in
                if text.isEmpty {
                    return .some(nil)
                }
                return JSONNumberText.invariantDouble(text, allowsThousands: true).map { .some($0) }
            }
            switch value {
            case .some(.none):
                try setToken(.null, updateIndex: false)
                return nil
            case .some(.some(let number)):
                try setToken(.float, updateIndex: false)
                return number
            case .none:
                try setToken(.string, updateIndex: false)
                throw error("Could not convert string to double: \(makeString()).")
            }
        case _ where startsSpecialNumber(first):
            return try readSpecialNumber(.double).value
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let value: Double?
            switch try readNumberToken() {
            case .singleDigit:
                value = Double(first - 0x30)
            case .nonDecimal:
                value = JSONNumberText.nonDecimalInteger(numberRange).map { Double($0) }
            case .decimal:
                value = JSONNumberText.invariantDouble(numberRange, allowsThousands: false)
            }
            guard let value else {
                throw readerError("Input string '\(numberText())' is not a valid double.")
            }
            token = .float
            return value
        default:
            throw unexpectedConsumedCharacter()
        }
    }

    // MARK: ReadAsDateTime

    /// Reads a `DateTime` or `DateTime?` property. Only strings convert; a number is an error.
    mutating func readAsDateTime() throws(JSONReadError) -> DateTimeValue? {
        guard case .value(let first) = try seekValue() else {
            return nil
        }
        switch first {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            try readQuotedString(quote: first)
            let parsed = withStringBytes { text -> DateTimeValue?? in
                text.isEmpty ? .some(nil) : JSONDateParser.parse(text).map { .some($0) }
            }
            switch parsed {
            case .some(.none):
                try setToken(.null, updateIndex: false)
                return nil
            case .some(.some(let date)):
                try setToken(.date, updateIndex: false)
                return date
            case .none:
                try setToken(.string, updateIndex: false)
                throw error("Could not convert string to DateTime: \(makeString()).")
            }
        case _ where startsSpecialNumber(first):
            _ = try readSpecialNumber(.dateTime)
            return nil
        default:
            // NOTE: Json.NET reads `-5` here as a number and then fails an invalid cast
            // ("Specified cast is not valid."); this reader reports the `-` as unexpected.
            throw unexpectedConsumedCharacter()
        }
    }
}
