extension JSONTextReader {
    /// Reads a string body after its opening quote, up to and including the closing quote.
    ///
    /// Json.NET accepts raw control characters and line breaks inside strings, and replaces
    /// an unpaired surrogate escape (`\uD800`) with U+FFFD. Text without escapes stays a
    /// range of the input; only escapes cost a copy into `scratch`. Only the quote and the
    /// backslash end a run of plain text, so runs are skipped eight bytes at a time. Line
    /// breaks need no care here: the text keeps them, and `lineInfo` counts CRLF as one.
    mutating func readStringIntoBuffer(quote: UInt8) throws(JSONReadError) {
        let start = position
        var lastCopied = position
        valueIsInScratch = false
        while true {
            position = ASCIIWords.firstOffset(of: quote, or: ASCII.backslash, in: bytes, from: position)
            guard position < bytes.count else {
                throw error("Unterminated string. Expected delimiter: \(Character(Unicode.Scalar(quote))).")
            }
            let current = bytes[position]
            position += 1
            if current == quote {
                if valueIsInScratch {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lastCopied..<position - 1]))
                } else {
                    valueStart = start
                    valueEnd = position - 1
                }
                return
            }
            let escapeStart = position - 1
            guard position < bytes.count else {
                throw error("Unterminated string. Expected delimiter: \(Character(Unicode.Scalar(quote))).")
            }
            if !valueIsInScratch {
                valueIsInScratch = true
                scratch.removeAll(keepingCapacity: true)
            }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lastCopied..<escapeStart]))
            try readEscape()
            lastCopied = position
        }
    }

    /// Decodes the escape whose backslash was just consumed and appends it to `scratch`.
    private mutating func readEscape() throws(JSONReadError) {
        let letter = bytes[position]
        position += 1
        let decoded: UInt8
        switch letter {
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "t"): decoded = ASCII.tab
        case UInt8(ascii: "n"): decoded = ASCII.lineFeed
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "r"): decoded = ASCII.carriageReturn
        case ASCII.backslash, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "/"): decoded = letter
        case UInt8(ascii: "u"):
            try readUnicodeEscape()
            return
        default:
            throw error("Bad JSON escape sequence: \\\(characterText(at: position - 1)).")
        }
        scratch.append(decoded)
    }

    /// `\uXXXX`, pairing a high surrogate with a following `\uXXXX` low surrogate.
    private mutating func readUnicodeEscape() throws(JSONReadError) {
        var unit = try readHexQuad()
        while true {
            if (0xDC00...0xDFFF).contains(unit) {
                appendScalar(0xFFFD)
                return
            }
            guard (0xD800...0xDBFF).contains(unit) else {
                appendScalar(UInt32(unit))
                return
            }
            guard position + 2 <= bytes.count, bytes[position] == ASCII.backslash,
                  bytes[position + 1] == UInt8(ascii: "u") else {
                appendScalar(0xFFFD)
                return
            }
            position += 2
            let next = try readHexQuad()
            if (0xDC00...0xDFFF).contains(next) {
                appendScalar(0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(next - 0xDC00))
                return
            }
            // A high surrogate followed by anything but a low one becomes U+FFFD, and the
            // second escape is examined again on its own.
            appendScalar(0xFFFD)
            unit = next
        }
    }

    private mutating func readHexQuad() throws(JSONReadError) -> UInt16 {
        guard position + 4 <= bytes.count else {
            throw error("Unexpected end while parsing Unicode escape sequence.")
        }
        var value: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = ASCII.hexValue(bytes[position + offset]) else {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + 4]),
                                  as: UTF8.self)
                throw error("Invalid Unicode escape sequence: \\u\(text).")
            }
            value = value << 4 | UInt16(digit)
        }
        position += 4
        return value
    }

    private mutating func appendScalar(_ value: UInt32) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        scratch.append(contentsOf: String(Character(scalar)).utf8)
    }
}
