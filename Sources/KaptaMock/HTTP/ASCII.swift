/// Byte constants and character classes of the HTTP grammar (RFC 9110, 5.6; RFC 9112, 2.2).
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let percent: UInt8 = 0x25
    static let ampersand: UInt8 = 0x26
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let questionMark: UInt8 = 0x3F
    static let backslash: UInt8 = 0x5C

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// Compares two buffers of equal length, ASCII letters without regard to case.
    static func equalsIgnoringCase(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard left.count == right.count else {
            return false
        }
        for index in 0..<left.count {
            let a = left[index]
            let b = right[index]
            if a != b && lowercased(a) != lowercased(b) {
                return false
            }
        }
        return true
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }

    /// Returns whether `byte` is a C0 control character or DEL. In UTF-8 these bytes never occur inside
    /// a multi-byte character, so a byte scan finds exactly the control scalars.
    @inline(__always)
    static func isControl(_ byte: UInt8) -> Bool {
        byte < space || byte == 0x7F
    }

    /// Value of a hexadecimal digit, or nil for any other byte.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        if byte &- 0x30 < 10 { return byte - 0x30 }
        let lower = byte | 0x20
        if lower &- 0x61 < 6 { return lower - 0x61 + 10 }
        return nil
    }

    /// tchar of RFC 9110, 5.6.2: the characters of a token such as a method or field name.
    /// A switch rather than a global table, because every access to a lazily initialized
    /// global costs a `swift_once` call, and this runs once per byte of every header.
    @inline(__always)
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// field-vchar and obs-text of RFC 9110, 5.5, plus SP and HTAB inside a value.
    @inline(__always)
    static func isFieldValueCharacter(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= space && byte != 0x7F)
    }

    /// Bytes allowed in a request-target: visible ASCII (RFC 9112, 3.2). Anything else,
    /// including obs-text, is rejected rather than guessed at.
    @inline(__always)
    static func isTargetCharacter(_ byte: UInt8) -> Bool {
        byte > space && byte < 0x7F
    }
}
