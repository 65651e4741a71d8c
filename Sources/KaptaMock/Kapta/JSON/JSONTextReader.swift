// A pull reader over JSON text with the syntax, states and error messages of Json.NET's
// `JsonTextReader` (13.x), as ASP.NET Web API's JSON formatter configures it.
//
// Why not Foundation: `JSONSerialization` takes about 20 µs for a 238-byte body, is strict
// where Json.NET is lenient (comments, single quotes, unquoted names, trailing commas, text
// after the root), reads decimals through binary floating point, and reports no path, line
// or position. The fake must reproduce Json.NET's messages and its recovery after an error,
// which depend on the reader's exact state, so the state machine below follows Json.NET's.
//
// Nesting lives in `JSONContainerStack` on the heap; nothing here recurses, so 100,000
// nested `[` cost a counter, not stack frames.

/// The token kinds of Json.NET's `JsonToken` that this reader produces.
enum JSONToken: UInt8, CustomStringConvertible {
    case none, startObject, startArray, startConstructor, propertyName, comment
    case integer, float, string, boolean, null, undefined
    case endObject, endArray, endConstructor, date

    var isStart: Bool {
        self == .startObject || self == .startArray || self == .startConstructor
    }

    /// Json.NET's enum member name, used in its messages.
    var description: String {
        switch self {
        case .none: "None"
        case .startObject: "StartObject"
        case .startArray: "StartArray"
        case .startConstructor: "StartConstructor"
        case .propertyName: "PropertyName"
        case .comment: "Comment"
        case .integer: "Integer"
        case .float: "Float"
        case .string: "String"
        case .boolean: "Boolean"
        case .null: "Null"
        case .undefined: "Undefined"
        case .endObject: "EndObject"
        case .endArray: "EndArray"
        case .endConstructor: "EndConstructor"
        case .date: "Date"
        }
    }
}

struct JSONTextReader {
    /// Json.NET's `JsonReader.State`, minus the states only writers use.
    enum State {
        case start, property, objectStart, object, arrayStart, array
        case constructorStart, constructor, postValue, finished
    }

    /// `MaxDepth` as ASP.NET's JSON formatter sets it (`FormattingUtilities.DefaultMaxDepth`).
    static let maxDepth = 256

    let bytes: UnsafeBufferPointer<UInt8>
    /// Bytes consumed so far; Json.NET's `_charPos`, in UTF-8 bytes.
    var position = 0
    var state = State.start
    var token = JSONToken.none
    var containers = JSONContainerStack()
    var hasExceededMaxDepth = false

    /// Raw range of the current string, number or property name in `bytes`.
    var valueStart = 0
    var valueEnd = 0
    /// The decoded text of the current string when it held escapes.
    var scratch: [UInt8] = []
    var valueIsInScratch = false
    /// The current token's value for booleans.
    var booleanValue = false
    /// Where the last line computation for an error stopped.
    var lineCache = JSONLineCache()

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    @inline(__always)
    func byte(at offset: Int) -> UInt8 {
        offset < bytes.count ? bytes[offset] : 0
    }

    // MARK: Token state

    mutating func setToken(_ newToken: JSONToken, updateIndex: Bool = true) throws(JSONReadError) {
        token = newToken
        switch newToken {
        case .startObject:
            state = .objectStart
            try push(.object)
        case .startArray:
            state = .arrayStart
            try push(.array)
        case .startConstructor:
            state = .constructorStart
            try push(.constructor)
        case .endObject:
            try validateEnd(newToken, closing: .object)
        case .endArray:
            try validateEnd(newToken, closing: .array)
        case .endConstructor:
            try validateEnd(newToken, closing: .constructor)
        case .propertyName:
            state = .property
        case .integer, .float, .string, .boolean, .null, .undefined, .date:
            setPostValueState(updateIndex: updateIndex)
        case .none, .comment:
            break
        }
    }

    mutating func setPostValueState(updateIndex: Bool) {
        state = containers.count > 0 ? .postValue : .finished
        if updateIndex {
            updateScopeWithFinishedValue()
        }
    }

    private mutating func updateScopeWithFinishedValue() {
        guard let top = containers.top, top.kind != .object else {
            return
        }
        containers.updateTop { $0.index += 1 }
    }

    private mutating func push(_ kind: JSONContainerStack.Kind) throws(JSONReadError) {
        updateScopeWithFinishedValue()
        containers.push(kind)
        // Json.NET checks right after the push, so the 257th nested container fails.
        if containers.count > Self.maxDepth && !hasExceededMaxDepth {
            hasExceededMaxDepth = true
            throw error("The reader's MaxDepth of \(Self.maxDepth) has been exceeded.")
        }
    }

    private mutating func validateEnd(_ endToken: JSONToken, closing expected: JSONContainerStack.Kind)
        throws(JSONReadError) {
        let closed = containers.pop()
        if depth <= Self.maxDepth {
            hasExceededMaxDepth = false
        }
        guard closed == expected else {
            let name = closed.map { Self.containerName($0) } ?? "None"
            throw error("JsonToken \(endToken) is not valid for closing JsonType \(name).")
        }
        // Closing a container does not advance the enclosing array's index: the container's
        // start already did.
        setPostValueState(updateIndex: false)
    }

    static func containerName(_ kind: JSONContainerStack.Kind) -> String {
        switch kind {
        case .object: "Object"
        case .array: "Array"
        case .constructor: "Constructor"
        }
    }

    /// Json.NET's `SetStateBasedOnCurrent`, after a comma.
    mutating func setStateBasedOnCurrent() {
        switch containers.top?.kind {
        case .object: state = .object
        case .array: state = .array
        case .constructor: state = .constructor
        case nil: state = .finished
        }
    }

    // MARK: Current values

    /// Calls `body` with the bytes of the current string or property name, escapes decoded.
    func withStringBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if valueIsInScratch {
            return scratch.withUnsafeBufferPointer(body)
        }
        return body(UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]))
    }

    func makeString() -> String {
        if valueIsInScratch {
            return String(decoding: scratch, as: UTF8.self)
        }
        return UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]).makeString()
    }

    /// The raw text of the current number token.
    func numberText() -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
    }

    // MARK: Characters

    /// The Unicode scalar starting at `offset` and its length in bytes. The input is valid
    /// UTF-8 (the model reader checks first), but a truncated sequence still yields U+FFFD.
    func scalar(at offset: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = byte(at: offset)
        if lead < 0x80 {
            return (Unicode.Scalar(lead), 1)
        }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard offset + length <= bytes.count else {
            return ("\u{FFFD}", 1)
        }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for index in 1..<length {
            value = value << 6 | (UInt32(bytes[offset + index]) & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The character at `offset` as Json.NET prints it in a message; `\0` past the end.
    func characterText(at offset: Int) -> String {
        guard offset < bytes.count else {
            return "\0"
        }
        return String(Character(scalar(at: offset).scalar))
    }

    /// .NET's `char.IsWhiteSpace` for a non-ASCII scalar starting at `offset`, with its length.
    /// Inlined so that the parsing loops, which ask about every byte they do not recognize,
    /// pay only a comparison for ASCII.
    @inline(__always)
    func unicodeWhiteSpaceLength(at offset: Int) -> Int? {
        byte(at: offset) < 0x80 ? nil : nonASCIIWhiteSpaceLength(at: offset)
    }

    private func nonASCIIWhiteSpaceLength(at offset: Int) -> Int? {
        let (scalar, length) = scalar(at: offset)
        return scalar.value >= 0x80 && ScalarProperties.isWhiteSpace(scalar) ? length : nil
    }

    static func isASCIIWhiteSpace(_ byte: UInt8) -> Bool {
        byte == ASCII.space || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Returns the range of `bytes` from `start` without ASCII white space at either end.
    static func rangeTrimmingASCIIWhiteSpace(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Range<Int> {
        var start = start
        var end = bytes.count
        while start < end && isASCIIWhiteSpace(bytes[start]) {
            start += 1
        }
        while end > start && isASCIIWhiteSpace(bytes[end - 1]) {
            end -= 1
        }
        return start..<end
    }

    /// Json.NET's `ValidIdentifierChar`: a letter, a digit, `_` or `$`.
    func isIdentifierCharacter(at offset: Int) -> (Bool, Int) {
        let byte = byte(at: offset)
        if byte < 0x80 {
            let isLetterOrDigit = ASCII.isDigit(byte) || ASCII.lowercased(byte) &- 0x61 < 26
            return (isLetterOrDigit || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$"), 1)
        }
        let (scalar, length) = scalar(at: offset)
        return (ScalarProperties.isLetterOrDecimalDigit(scalar), length)
    }

    mutating func processCarriageReturn() {
        position += 1
        if byte(at: position) == ASCII.lineFeed && position < bytes.count {
            position += 1
        }
    }

    /// Skips white space and NUL characters, as Json.NET's `EatWhitespace`.
    mutating func eatWhiteSpace() {
        while position < bytes.count {
            let current = bytes[position]
            if current == 0 || current == ASCII.space || current == ASCII.tab || current == ASCII.lineFeed {
                position += 1
            } else if current == ASCII.carriageReturn {
                processCarriageReturn()
            } else if current < 0x80 {
                guard Self.isASCIIWhiteSpace(current) else { return }
                position += 1
            } else if let length = unicodeWhiteSpaceLength(at: position) {
                position += length
            } else {
                return
            }
        }
    }

    // MARK: Errors

    mutating func unexpectedCharacter(at offset: Int) -> JSONReadError {
        error("Unexpected character encountered while parsing value: \(characterText(at: offset)).")
    }

    mutating func unexpectedEnd() -> JSONReadError {
        error("Unexpected end when reading JSON.")
    }

    /// Json.NET's `ThrowReaderError`: the token becomes `Undefined` so reading can go on.
    mutating func readerError(_ message: String) -> JSONReadError {
        token = .undefined
        setPostValueState(updateIndex: false)
        return error(message)
    }
}
