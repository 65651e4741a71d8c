/// The XML Schema value conversions DataContractSerializer applies (`XmlConvert` of .NET
/// Framework 4.x), each returning nil where .NET throws.
enum XMLValueParsing {
    /// `XmlConvert.ToDecimal`: `decimal.Parse` with a leading sign, one decimal point and white
    /// space around the number (0x09-0x0D, 0x20), in the invariant culture. No exponent, no group
    /// separators. Digits past what 96 bits and a scale of 28 hold are rounded as .NET rounds them;
    /// a value above 79228162514264337593543950335 in magnitude is nil.
    static func decimal(_ text: String) -> DecimalNumber? {
        guard let number = DecimalDigits(text) else {
            return nil
        }
        return number.decimalNumber()
    }

    /// `XmlConvert.ToDouble`: `INF`, `-INF`, or `double.Parse` with sign, point, exponent and
    /// surrounding white space, which also takes `Infinity`, `-Infinity` and `NaN`. A value too
    /// large for a double is nil, as .NET Framework throws `OverflowException` for it.
    static func double(_ text: String) -> Double? {
        let trimmed = trimmingXMLWhitespace(text)
        if trimmed == "INF" {
            return .infinity
        }
        if trimmed == "-INF" {
            return -.infinity
        }
        if let value = plainDouble(trimmingNumberWhitespace(trimmed)) {
            return value
        }
        switch trimmingUnicodeWhitespace(text) {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        case "NaN": return .nan
        default: return nil
        }
    }

    /// `XmlConvert.ToBoolean`: `true`, `false`, `1` or `0` with XML white space around them.
    static func boolean(_ text: String) -> Bool? {
        switch trimmingXMLWhitespace(text) {
        case "true", "1": return true
        case "false", "0": return false
        default: return nil
        }
    }

    /// `XmlConvert.ToInt32`: optional sign and decimal digits with white space around them.
    static func int32(_ text: String) -> Int32? {
        Int32(trimmingNumberWhitespace(text))
    }

    private static func plainDouble(_ text: String) -> Double? {
        let scalars = text.unicodeScalarArray
        var index = 0
        func skipDigits() -> Int {
            let start = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
            return index - start
        }
        if index < scalars.count, scalars[index] == "-" || scalars[index] == "+" { index += 1 }
        var digitCount = skipDigits()
        if index < scalars.count, scalars[index] == "." {
            index += 1
            digitCount += skipDigits()
        }
        guard digitCount > 0 else {
            return nil
        }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            index += 1
            if index < scalars.count, scalars[index] == "-" || scalars[index] == "+" { index += 1 }
            guard skipDigits() > 0 else {
                return nil
            }
        }
        guard index == scalars.count, let value = Double(text), value.isFinite else {
            return nil
        }
        return value
    }

    static func isXMLWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    static func trimmingXMLWhitespace(_ text: String) -> String {
        trimming(text, where: isXMLWhitespace)
    }

    /// .NET's `char.IsWhiteSpace`, as `String.Trim()` and the date parser use it.
    static func trimmingUnicodeWhitespace(_ text: String) -> String {
        trimming(text) { $0.properties.isWhitespace }
    }

    /// .NET number parsing's white space: 0x09 through 0x0D and the space.
    static func trimmingNumberWhitespace(_ text: String) -> String {
        trimming(text) { $0 == " " || ("\t"..."\r").contains($0) }
    }

    private static func trimming(_ text: String, where isSpace: (Unicode.Scalar) -> Bool) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(scalars[first...last])
    }
}

/// The digit buffer of .NET's number parser (`Number.ParseNumber` with `parseDecimal`): at most
/// 50 significant digits without leading zeros, trailing zeros kept, and the decimal exponent.
private struct DecimalDigits {
    var isNegative = false
    var digits: [UInt8] = []
    /// Digits before the decimal point, counted from the first non-zero digit.
    var scale = 0

    private static let maxDigits = 50

    init?(_ text: String) {
        var scalars = text.unicodeScalarArray[...]
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || ("\t"..."\r").contains(scalar) }
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        if let sign = scalars.first, sign == "-" || sign == "+" {
            isNegative = sign == "-"
            scalars.removeFirst()
        }
        var sawDigit = false
        var sawNonZero = false
        var sawPoint = false
        while let scalar = scalars.first {
            if ("0"..."9").contains(scalar) {
                sawDigit = true
                let digit = UInt8(scalar.value - 0x30)
                if digit != 0 || sawNonZero {
                    if digits.count < Self.maxDigits {
                        digits.append(digit)
                    }
                    if !sawPoint { scale += 1 }
                    sawNonZero = true
                } else if sawPoint {
                    scale -= 1
                }
            } else if scalar == "." && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            scalars.removeFirst()
        }
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        // .NET Framework accepts trailing NUL characters after a number.
        while scalars.first == "\u{0}" { scalars.removeFirst() }
        guard sawDigit, scalars.isEmpty else {
            return nil
        }
    }

    /// `Number.NumberToDecimal` of .NET Framework 4.x: takes digits while the 96-bit coefficient
    /// can grow and the scale stays within 28, then rounds on the next digit, half to even only
    /// when every later digit (of the next 20) is zero.
    func decimalNumber() -> DecimalNumber? {
        let growthLimit = DecimalNumber.maxCoefficient / 10
        var coefficient: UInt128 = 0
        var exponent = scale
        var index = 0
        if digits.isEmpty {
            exponent = min(exponent, 0)
        } else {
            guard exponent <= 29 else {
                return nil
            }
            while exponent > 0 || (index < digits.count && exponent > -28) {
                let next = index < digits.count ? digits[index] : 0
                guard coefficient < growthLimit || (coefficient == growthLimit && next <= 5) else {
                    break
                }
                coefficient = coefficient * 10 + UInt128(next)
                if index < digits.count { index += 1 }
                exponent -= 1
            }
            if index < digits.count && digits[index] >= 5 && shouldRoundUp(at: index) {
                coefficient += 1
                if coefficient > DecimalNumber.maxCoefficient {
                    coefficient = growthLimit + 1
                    exponent += 1
                }
            }
        }
        guard exponent <= 0 else {
            return nil
        }
        if exponent <= -29 {
            return DecimalNumber(isNegative: isNegative, coefficient: 0, scale: 28)
        }
        return DecimalNumber(isNegative: isNegative, coefficient: coefficient, scale: -exponent)
    }

    private func shouldRoundUp(at index: Int) -> Bool {
        guard digits[index] == 5 else {
            return true
        }
        let previousIsEven = index == 0 || digits[index - 1] % 2 == 0
        guard previousIsEven else {
            return true
        }
        let following = digits[(index + 1)...].prefix(20)
        return following.contains { $0 != 0 }
    }
}
