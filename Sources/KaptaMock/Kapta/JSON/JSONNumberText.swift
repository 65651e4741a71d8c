/// The number grammars Json.NET applies to a number token's text and to numeric strings.
enum JSONNumberText {
    /// How Json.NET's `ParseReadNumber` treats a token before converting it.
    enum Kind: Equatable {
        /// One ASCII digit: converted directly.
        case singleDigit
        /// A leading `0` followed by anything but `.`, `e` or `E`: hexadecimal after `0x`,
        /// octal otherwise (`012` is 10), as `Convert.ToInt64(text, 16 or 8)`.
        case nonDecimal(isHex: Bool)
        case decimal
    }

    /// What a token read by the untyped `Read()` turned out to be.
    enum GeneralKind {
        case integer, float, tooLargeInteger, invalid
    }

    /// Characters Json.NET collects into a number token before checking it.
    static func isNumberCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"),
             UInt8(ascii: "x"), UInt8(ascii: "X"):
            return true
        default:
            return false
        }
    }

    static func kind(of text: UnsafeBufferPointer<UInt8>, first: UInt8) -> Kind {
        if text.count == 1 && ASCII.isDigit(first) {
            return .singleDigit
        }
        if first == UInt8(ascii: "0") && text.count > 1 {
            let second = text[1]
            if second != UInt8(ascii: ".") && second != UInt8(ascii: "e") && second != UInt8(ascii: "E") {
                return .nonDecimal(isHex: second == UInt8(ascii: "x") || second == UInt8(ascii: "X"))
            }
        }
        return .decimal
    }

    /// Whether `ReadAsString` accepts the token as a number (it keeps the text as it was sent).
    static func isValidNumber(_ kind: Kind, text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch kind {
        case .singleDigit:
            return true
        case .nonDecimal:
            return nonDecimalInteger(text) != nil
        case .decimal:
            return invariantDouble(text, allowsThousands: false) != nil
        }
    }

    static func classify(_ text: UnsafeBufferPointer<UInt8>, first: UInt8) -> GeneralKind {
        switch kind(of: text, first: first) {
        case .singleDigit:
            return .integer
        case .nonDecimal:
            return nonDecimalInteger(text) != nil ? .integer : .invalid
        case .decimal:
            let digits = first == UInt8(ascii: "-") ? text.dropFirst() : text[...]
            if !digits.isEmpty && digits.allSatisfy(ASCII.isDigit) {
                // Json.NET parses long integers as BigInteger up to 380 characters.
                return text.count > 380 ? .tooLargeInteger : .integer
            }
            return invariantDouble(text, allowsThousands: false) != nil ? .float : .invalid
        }
    }

    /// `Convert.ToInt64(text, 16)` after `0x`, else `Convert.ToInt64(text, 8)`. Both accept
    /// all 64 bits and return them as a signed value, so `0xFFFFFFFFFFFFFFFF` is -1.
    static func nonDecimalInteger(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var digits = text[...]
        var radix: UInt64 = 8
        if digits.count >= 2 && digits.first == UInt8(ascii: "0")
            && (digits[digits.startIndex + 1] | 0x20) == UInt8(ascii: "x") {
            radix = 16
            digits = digits.dropFirst(2)
        }
        guard !digits.isEmpty else {
            return nil
        }
        var value: UInt64 = 0
        for byte in digits {
            guard let digit = ASCII.hexValue(byte), UInt64(digit) < radix else {
                return nil
            }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
            guard !overflow else {
                return nil
            }
            value = shifted | UInt64(digit)
        }
        return Int64(bitPattern: value)
    }

    /// `double.TryParse` with `NumberStyles.Float` (and `AllowThousands` for strings) in the
    /// invariant culture, as .NET Framework does it: an overflow to infinity fails.
    static func invariantDouble(_ text: UnsafeBufferPointer<UInt8>, allowsThousands: Bool) -> Double? {
        var slice = text[...]
        while let first = slice.first, JSONTextReader.isASCIIWhiteSpace(first) {
            slice = slice.dropFirst()
        }
        while let last = slice.last, JSONTextReader.isASCIIWhiteSpace(last) {
            slice = slice.dropLast()
        }
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(slice.count)
        var index = slice.startIndex
        if index < slice.endIndex, slice[index] == UInt8(ascii: "-") || slice[index] == UInt8(ascii: "+") {
            cleaned.append(slice[index])
            index += 1
        }
        var mantissaDigits = 0
        var seenPoint = false
        while index < slice.endIndex {
            let byte = slice[index]
            if ASCII.isDigit(byte) {
                mantissaDigits += 1
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if byte == UInt8(ascii: ",") && allowsThousands && mantissaDigits > 0 && !seenPoint {
                index += 1
                continue
            } else {
                break
            }
            cleaned.append(byte)
            index += 1
        }
        guard mantissaDigits > 0 else {
            return nil
        }
        if index < slice.endIndex && (slice[index] | 0x20) == UInt8(ascii: "e") {
            cleaned.append(UInt8(ascii: "e"))
            index += 1
            if index < slice.endIndex, slice[index] == UInt8(ascii: "-") || slice[index] == UInt8(ascii: "+") {
                cleaned.append(slice[index])
                index += 1
            }
            var exponentDigits = 0
            while index < slice.endIndex && ASCII.isDigit(slice[index]) {
                cleaned.append(slice[index])
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else {
                return nil
            }
        }
        guard index == slice.endIndex, let value = Double(String(decoding: cleaned, as: UTF8.self)),
              value.isFinite else {
            return nil
        }
        return value
    }
}
