/// Byte classes of WCF's UTF-8 text reader (`XmlUTF8TextReader`), which decide where a run of text,
/// an attribute value or a name ends. They are coarser than the XML grammar: every byte from 0x80
/// up counts as a name and text byte, and UTF-8 is only validated when a value is decoded.
struct XMLCharacterClass: OptionSet {
    let rawValue: UInt8

    static let nameStart = XMLCharacterClass(rawValue: 1 << 0)
    static let name = XMLCharacterClass(rawValue: 1 << 1)
    /// Space, tab, LF and CR, which separate attributes.
    static let whitespace = XMLCharacterClass(rawValue: 1 << 2)
    /// Bytes that continue a text node.
    static let text = XMLCharacterClass(rawValue: 1 << 3)
    /// Bytes that continue an attribute value without special handling.
    static let attributeText = XMLCharacterClass(rawValue: 1 << 4)
    /// Space, tab and LF: a run of them is a whitespace node. CR is handled on its own.
    static let specialWhitespace = XMLCharacterClass(rawValue: 1 << 5)
    /// Bytes allowed inside a comment.
    static let comment = XMLCharacterClass(rawValue: 1 << 6)

    /// The class of every byte value, indexed by the byte.
    static let table: [XMLCharacterClass] = (0..<256).map { value in
        classify(UInt8(value))
    }

    private static func classify(_ byte: UInt8) -> XMLCharacterClass {
        let markup: XMLCharacterClass = [.text, .attributeText, .comment]
        switch byte {
        case 0x09, 0x0A:
            return [.whitespace, .specialWhitespace, .text, .comment]
        case 0x0D:
            return [.whitespace, .comment]
        case 0x20:
            return [.whitespace, .specialWhitespace, .text, .attributeText, .comment]
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return [.text, .comment]
        case UInt8(ascii: "&"), UInt8(ascii: "<"):
            return .comment
        case UInt8(ascii: "]"):
            return [.attributeText, .comment]
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return markup.union(.name)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"):
            return markup.union([.nameStart, .name])
        case 0xEF:
            // The lead byte of U+FFFE and U+FFFF, which the reader checks on its own.
            return [.nameStart, .name]
        case 0x80...0xFF:
            return markup.union([.nameStart, .name])
        case 0x21...0x7F:
            return markup
        default:
            return []
        }
    }
}

/// The NCName check of `XmlConvert.VerifyNCName`, which WCF applies to names that are not plain
/// ASCII letters, digits, `-`, `.` and `_` (XML 1.0 fifth edition name characters, without `:`).
enum XMLNameCheck {
    /// Returns the reason a decoded name is not an NCName, or nil when it is one.
    static func violation(in name: String) -> String? {
        var isFirst = true
        for scalar in name.unicodeScalars {
            let allowed = isFirst ? isNameStart(scalar.value) : isNameCharacter(scalar.value)
            if !allowed {
                let shown = scalar.value == 0 ? "." : String(Character(scalar))
                return isFirst
                    ? XMLMessages.badNameStart(shown, code: scalar.value)
                    : XMLMessages.badNameCharacter(shown, code: scalar.value)
            }
            isFirst = false
        }
        return nil
    }

    static func isNameStart(_ value: UInt32) -> Bool {
        switch value {
        case 0x41...0x5A, 0x61...0x7A, 0x5F, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D,
             0x37F...0x1FFF, 0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF,
             0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default:
            return false
        }
    }

    static func isNameCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040:
            return true
        default:
            return isNameStart(value)
        }
    }
}
