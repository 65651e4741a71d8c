/// A JSON reader that accepts exactly RFC 8259 and nothing more, for configuration files and
/// admin request bodies.
///
/// The Kapta endpoint reads bodies with Json.NET's leniency (comments, single quotes,
/// trailing commas), which is right for emulating the service and wrong for a config file:
/// there a typo must fail loudly instead of being read as something else. This reader also
/// rejects duplicate object keys, which RFC 8259, 4 leaves to the implementation, because a
/// repeated key in a config file is always a mistake.
///
/// Nesting is tracked on an explicit stack, never on the call stack, so no input can
/// overflow it; depth is still limited to `maxDepth`.
public struct StrictJSONParser {
    /// Deepest nesting of arrays and objects accepted. Configuration needs 6 levels.
    public static let maxDepth = 64

    private let bytes: [UInt8]
    private var position = 0

    /// An open array or object. The frame is changed in place through `stack[top]`: a copy
    /// taken out of the stack would share the element array, so every append would copy it
    /// and reading n elements would take O(n²) time.
    private struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members: [JSONMember] = []
        var keys: Set<String> = []
        var pendingKey = ""
    }

    private var stack: [Frame] = []

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one JSON text. A UTF-8 byte order mark at the start is skipped, as RFC 8259, 8.1
    /// allows, because some editors write one.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var parser = StrictJSONParser(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            parser.position = 3
        }
        return try parser.parseDocument()
    }

    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhiteSpace()
        guard position < bytes.count else {
            throw error("the document is empty; expected a JSON value")
        }
        var value = try parseValueOrOpenContainer()
        while true {
            guard let completed = value else {
                value = try parseValueOrOpenContainer()
                continue
            }
            guard !stack.isEmpty else {
                skipWhiteSpace()
                guard position == bytes.count else {
                    throw error("unexpected \(describeCurrentByte()) after the end of the JSON value")
                }
                return completed
            }
            value = try attachToContainer(completed)
        }
    }

    /// Reads a scalar and returns it, or opens an array or object. An empty container is
    /// returned whole; a non-empty one is pushed, and nil means "read its first member".
    private mutating func parseValueOrOpenContainer() throws(JSONSyntaxError) -> JSONValue? {
        skipWhiteSpace()
        guard position < bytes.count else {
            throw error("unexpected end of input; expected a JSON value")
        }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            try checkDepth()
            position += 1
            skipWhiteSpace()
            if consume(UInt8(ascii: "}")) {
                return .object([])
            }
            let key = try parseMemberName()
            stack.append(Frame(isObject: true, keys: [key], pendingKey: key))
            return nil
        case UInt8(ascii: "["):
            try checkDepth()
            position += 1
            skipWhiteSpace()
            if consume(UInt8(ascii: "]")) {
                return .array([])
            }
            stack.append(Frame(isObject: false))
            return nil
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw error("unexpected \(describeCurrentByte()); expected a JSON value")
        }
    }

    /// Adds a finished value to the innermost container. Returns the container itself when
    /// this closed it, or nil when another member follows.
    private mutating func attachToContainer(_ value: JSONValue) throws(JSONSyntaxError) -> JSONValue? {
        let top = stack.count - 1
        precondition(top >= 0, "attachToContainer is only called with an open container")
        skipWhiteSpace()
        guard stack[top].isObject else {
            stack[top].elements.append(value)
            if consume(UInt8(ascii: "]")) {
                return .array(stack.removeLast().elements)
            }
            guard consume(UInt8(ascii: ",")) else {
                throw error("unexpected \(describeCurrentByte()); expected ',' or ']' after an array element")
            }
            return nil
        }
        let finishedKey = stack[top].pendingKey
        stack[top].members.append(JSONMember(key: finishedKey, value: value))
        if consume(UInt8(ascii: "}")) {
            return .object(stack.removeLast().members)
        }
        guard consume(UInt8(ascii: ",")) else {
            throw error("unexpected \(describeCurrentByte()); expected ',' or '}' after an object member")
        }
        skipWhiteSpace()
        let memberStart = position
        let key = try parseMemberName()
        let isNew = stack[top].keys.insert(key).inserted
        stack[top].pendingKey = key
        guard isNew else {
            position = memberStart
            throw error("duplicate key \(ControlEscaping.quoted(key)); each key may appear once in an object")
        }
        return nil
    }

    /// Reads `"name" :` and leaves the position at the member's value.
    private mutating func parseMemberName() throws(JSONSyntaxError) -> String {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw error("unexpected \(describeCurrentByte()); expected a member name in double quotes")
        }
        let key = try parseString()
        skipWhiteSpace()
        guard consume(UInt8(ascii: ":")) else {
            throw error("unexpected \(describeCurrentByte()); expected ':' after the member name")
        }
        return key
    }

    private func checkDepth() throws(JSONSyntaxError) {
        guard stack.count < Self.maxDepth else {
            throw error("nesting is deeper than \(Self.maxDepth) levels")
        }
    }

    // MARK: Scalars

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position
        position += 1
        var output: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: output, as: UTF8.self) else {
                    position = start
                    throw error("the string is not valid UTF-8; JSON text must be UTF-8 (RFC 8259, 8.1)")
                }
                return text
            case ASCII.backslash:
                try parseEscape(into: &output)
            case ..<0x20:
                throw error("control character U+00\(Self.hex(byte)) in a string; write it as an escape such as \\n")
            default:
                output.append(byte)
                position += 1
            }
        }
        position = start
        throw error("unterminated string")
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONSyntaxError) {
        position += 1
        guard position < bytes.count else {
            throw error("unexpected end of input in an escape sequence")
        }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, ASCII.backslash: 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let replacement = simple[bytes[position]] {
            output.append(replacement)
            position += 1
            return
        }
        guard bytes[position] == UInt8(ascii: "u") else {
            throw error("invalid escape \\\(describeCurrentByte()); allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
        var scalar = try parseHexQuad()
        if (0xD800...0xDBFF).contains(scalar) {
            // RFC 8259, 7: a character outside the BMP is a surrogate pair of two escapes.
            guard bytes[position...].starts(with: [ASCII.backslash, UInt8(ascii: "u")]) else {
                throw error("high surrogate \\u\(String(scalar, radix: 16)) is not followed by a low surrogate")
            }
            position += 1
            let low = try parseHexQuad()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("high surrogate is followed by \\u\(String(low, radix: 16)), not a low surrogate")
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw error("lone low surrogate \\u\(String(scalar, radix: 16))")
        }
        guard let unicodeScalar = Unicode.Scalar(scalar) else {
            throw error("invalid Unicode scalar \\u\(String(scalar, radix: 16))")
        }
        output.append(contentsOf: String(Character(unicodeScalar)).utf8)
    }

    /// Reads `uXXXX` with the position on the `u`.
    private mutating func parseHexQuad() throws(JSONSyntaxError) -> UInt32 {
        position += 1
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count, let digit = ASCII.hexValue(bytes[position]) else {
                throw error("\\u must be followed by four hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Reads a number with the grammar of RFC 8259, 6: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = position
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            if position < bytes.count, ASCII.isDigit(bytes[position]) {
                throw error("a number must not have a leading zero")
            }
        } else {
            try consumeDigits(what: "an integer part")
        }
        if consume(UInt8(ascii: ".")) {
            try consumeDigits(what: "digits after the decimal point")
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) {
                _ = consume(UInt8(ascii: "-"))
            }
            try consumeDigits(what: "exponent digits")
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func consumeDigits(what: String) throws(JSONSyntaxError) {
        let start = position
        while position < bytes.count, ASCII.isDigit(bytes[position]) {
            position += 1
        }
        guard position > start else {
            throw error("unexpected \(describeCurrentByte()) in a number; expected \(what)")
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONSyntaxError) {
        let expected = Array(literal.utf8)
        guard bytes[position...].starts(with: expected) else {
            let end = bytes[position...].firstIndex { !(ASCII.isDigit($0) || ($0 | 0x20) &- 0x61 < 26) } ?? bytes.count
            let word = String(decoding: bytes[position..<max(end, position + 1)], as: UTF8.self)
            throw error("unexpected \(ControlEscaping.quoted(word)); expected a JSON value (strings need double quotes)")
        }
        position += expected.count
    }

    // MARK: Helpers

    private mutating func skipWhiteSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case ASCII.space, ASCII.tab, ASCII.lineFeed, ASCII.carriageReturn:
                position += 1
            default:
                return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else {
            return false
        }
        position += 1
        return true
    }

    private func describeCurrentByte() -> String {
        guard position < bytes.count else {
            return "end of input"
        }
        let byte = bytes[position]
        if byte > ASCII.space && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x\(Self.hex(byte))"
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    /// The path of the value being read, from the open containers.
    private var currentPath: JSONPath {
        var path = JSONPath.root
        for frame in stack {
            if frame.isObject {
                path = path.appending(key: frame.pendingKey)
            } else {
                path = path.appending(index: frame.elements.count)
            }
        }
        return path
    }

    private func error(_ message: String) -> JSONSyntaxError {
        var line = 1
        var lineStart = 0
        for index in 0..<min(position, bytes.count) where bytes[index] == ASCII.lineFeed {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<min(position, bytes.count)], as: UTF8.self).count + 1
        return JSONSyntaxError(line: line, column: column, path: currentPath, message: message)
    }
}

/// Text that is not valid JSON, with the place where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int
    /// The value that was being read when the error occurred.
    public var path: JSONPath
    public var message: String

    public var description: String {
        "line \(line), column \(column) (at \(path)): invalid JSON: \(message)"
    }
}
