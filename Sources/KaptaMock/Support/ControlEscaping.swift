/// Escapes control characters in text that reaches a log line or an error message, so a value
/// from a client or a file cannot start a forged line or hide text from a terminal.
///
/// The escapes are those of a JSON string (RFC 8259, 7): `\n`, `\r`, `\t`, `\b`, `\f`, `\"`,
/// `\\`, and `\u00XX` for every other C0 control character. Unlike JSON, DEL (`\u007f`) and
/// the C1 controls U+0080 to U+009F (`\u0085` for NEL) are escaped too, because some terminals
/// and log viewers act on them.
enum ControlEscaping {
    /// Returns `value` in double quotes, with control characters, `"` and `\` escaped, for an
    /// error message that quotes a value.
    static func quoted(_ value: String) -> String {
        var output: [UInt8] = [ASCII.quote]
        value.withUTF8Buffer { appendEscaped($0, escapesQuote: true, to: &output) }
        output.append(ASCII.quote)
        return String(decoding: output, as: UTF8.self)
    }

    /// Returns `value` with control characters escaped, for an error message that shows a value
    /// unquoted.
    static func escaped(_ value: some StringProtocol) -> String {
        var output: [UInt8] = []
        String(value).withUTF8Buffer { appendEscaped($0, escapesQuote: false, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Returns true when `bytes` contains a byte or character that `appendEscaped` rewrites,
    /// apart from quotes and backslashes.
    static func containsControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.indices.contains { controlLength(in: bytes, at: $0) > 0 }
    }

    /// Appends `bytes` with every control character escaped, and `"` and `\` escaped as well
    /// when `escapesQuote` is true, as inside a quoted value.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, escapesQuote: Bool, to output: inout [UInt8]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length = controlLength(in: bytes, at: index)
            if length == 2 {
                // In UTF-8 a C1 control is 0xC2 followed by 0x80...0x9F, which is also its code point.
                appendUnicodeEscape(bytes[index + 1], to: &output)
                index += 2
                continue
            }
            if length == 1 {
                appendControlEscape(byte, to: &output)
            } else if escapesQuote && (byte == ASCII.quote || byte == ASCII.backslash) {
                output.append(ASCII.backslash)
                output.append(byte)
            } else {
                output.append(byte)
            }
            index += 1
        }
    }

    /// Returns 1 for a C0 control or DEL at `index`, 2 for a C1 control in UTF-8, and 0 otherwise.
    private static func controlLength(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x20 || byte == 0x7F {
            return 1
        }
        if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
            return 2
        }
        return 0
    }

    private static func appendControlEscape(_ byte: UInt8, to output: inout [UInt8]) {
        let shortForm: UInt8? = switch byte {
        case ASCII.lineFeed: UInt8(ascii: "n")
        case ASCII.carriageReturn: UInt8(ascii: "r")
        case ASCII.tab: UInt8(ascii: "t")
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        default: nil
        }
        guard let shortForm else {
            appendUnicodeEscape(byte, to: &output)
            return
        }
        output.append(ASCII.backslash)
        output.append(shortForm)
    }

    private static func appendUnicodeEscape(_ codePoint: UInt8, to output: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        output.append(contentsOf: [ASCII.backslash, UInt8(ascii: "u"), 0x30, 0x30])
        output.append(hexDigits[Int(codePoint >> 4)])
        output.append(hexDigits[Int(codePoint & 0x0F)])
    }
}
