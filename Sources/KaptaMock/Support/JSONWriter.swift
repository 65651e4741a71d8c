/// Builds compact JSON text into a byte buffer, keys in the order written.
///
/// Strings escape only `"`, `\` and control characters below U+0020; `<`, `>`, `&`, `'` and
/// non-ASCII text are written as they are. That is what Json.NET writes by default
/// (`StringEscapeHandling.Default`), so error bodies match the real service byte for byte.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// One entry per open object or array: whether it already has a member.
    private var hasMember: [Bool] = []

    public init() {}

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        hasMember.append(false)
    }

    public mutating func endObject() {
        hasMember.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        hasMember.append(false)
    }

    public mutating func endArray() {
        hasMember.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a member name; the next value written belongs to it.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        // The value after a key must not be preceded by a comma.
        hasMember[hasMember.count - 1] = false
    }

    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
    }

    /// Writes a string, or `null` when `value` is nil.
    public mutating func string(orNull value: String?) {
        guard let value else {
            null()
            return
        }
        string(value)
    }

    /// Writes `text` unquoted. The caller guarantees it is a valid JSON number.
    public mutating func number(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func number(_ value: Int) {
        number(String(value))
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes a member whose value is a string.
    public mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    private mutating func separate() {
        guard let last = hasMember.last else {
            return
        }
        if last {
            bytes.append(UInt8(ascii: ","))
        }
        hasMember[hasMember.count - 1] = true
    }

    private mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        JSONWriter.appendEscaped(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends the inside of a JSON string literal for `value`.
    static func appendEscaped(_ value: String, to output: inout [UInt8]) {
        value.withUTF8Buffer { bytes in
            appendEscaped(bytes, to: &output)
        }
    }

    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        // Most text needs no escaping at all: copy it in one piece.
        if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == ASCII.backslash }) {
            output.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""):
                output.append(contentsOf: [ASCII.backslash, UInt8(ascii: "\"")])
            case ASCII.backslash:
                output.append(contentsOf: [ASCII.backslash, ASCII.backslash])
            case ASCII.lineFeed:
                output.append(contentsOf: [ASCII.backslash, UInt8(ascii: "n")])
            case ASCII.carriageReturn:
                output.append(contentsOf: [ASCII.backslash, UInt8(ascii: "r")])
            case ASCII.tab:
                output.append(contentsOf: [ASCII.backslash, UInt8(ascii: "t")])
            case 0x08:
                output.append(contentsOf: [ASCII.backslash, UInt8(ascii: "b")])
            case 0x0C:
                output.append(contentsOf: [ASCII.backslash, UInt8(ascii: "f")])
            case ..<0x20:
                let hexDigits = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [ASCII.backslash, UInt8(ascii: "u"), 0x30, 0x30])
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
    }
}
