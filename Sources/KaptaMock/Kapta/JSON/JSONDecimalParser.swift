/// Decimal parsing with the rules of .NET's `System.Decimal`, straight from the digits:
/// the value never passes through binary floating point.
///
/// At most 29 significant digits are kept (fewer when 29 would exceed 2^96 - 1), and the
/// first dropped digit rounds half up, as Json.NET 13's `ConvertUtils.DecimalTryParse` and
/// .NET's `decimal.Parse` do. A value above 79228162514264337593543950335 fails. The scale
/// is kept (`125000.50` has scale 2), an exponent moves it (`1.25E+3` is `1250`), and more
/// than 28 fractional digits round half to even, as .NET's decimal arithmetic does.
enum JSONDecimalParser {
    struct Parsed: Equatable {
        var value: DecimalNumber
        /// True when digits were dropped: the stored value differs from the text sent.
        var wasRounded = false

        init(value: DecimalNumber, wasRounded: Bool = false) {
            self.value = value
            self.wasRounded = wasRounded
        }

        init(integer: Int64) {
            value = DecimalNumber(isNegative: integer < 0, coefficient: UInt128(integer.magnitude), scale: 0)
        }
    }

    /// Collects digits into a coefficient and a power of ten.
    private struct Accumulator {
        var coefficient: UInt128 = 0
        var significantDigits = 0
        var exponent = 0
        var firstDroppedDigit: UInt8?

        mutating func add(_ digit: UInt8, afterPoint: Bool) {
            if coefficient == 0 && digit == 0 {
                if afterPoint {
                    exponent -= 1
                }
                return
            }
            let candidate = coefficient * 10 + UInt128(digit)
            if firstDroppedDigit == nil && significantDigits < 29 && candidate <= DecimalNumber.maxCoefficient {
                coefficient = candidate
                significantDigits += 1
                if afterPoint {
                    exponent -= 1
                }
                return
            }
            if firstDroppedDigit == nil {
                firstDroppedDigit = digit
            }
            if !afterPoint {
                exponent += 1
            }
        }

        /// The decimal for `coefficient × 10^(exponent + extraExponent)`, or nil on overflow.
        func finish(negative: Bool, extraExponent: Int) -> Parsed? {
            var value = coefficient
            var rounded = firstDroppedDigit != nil
            if let dropped = firstDroppedDigit, dropped >= 5 {
                value += 1
                guard value <= DecimalNumber.maxCoefficient else {
                    return nil
                }
            }
            var power = exponent + extraExponent
            if value == 0 {
                let scale = min(max(-power, 0), DecimalNumber.maxScale)
                let zero = DecimalNumber(isNegative: false, coefficient: 0, scale: scale)
                return Parsed(value: zero, wasRounded: rounded)
            }
            while power > 0 {
                value *= 10
                guard value <= DecimalNumber.maxCoefficient else {
                    return nil
                }
                power -= 1
            }
            var scale = -power
            if scale > DecimalNumber.maxScale {
                let shift = scale - DecimalNumber.maxScale
                guard shift <= 38 else {
                    return Parsed(value: .zero, wasRounded: true)
                }
                var divisor: UInt128 = 1
                for _ in 0..<shift {
                    divisor *= 10
                }
                let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
                let half = divisor / 2
                var result = quotient
                if remainder > half || (remainder == half && quotient % 2 == 1) {
                    result += 1
                }
                rounded = rounded || remainder != 0
                value = result
                scale = DecimalNumber.maxScale
                if value == 0 {
                    return Parsed(value: .zero, wasRounded: rounded)
                }
            }
            return Parsed(value: DecimalNumber(isNegative: negative, coefficient: value, scale: scale),
                          wasRounded: rounded)
        }
    }

    /// Json.NET's `DecimalTryParse` grammar, for number tokens and exponent strings:
    /// `-?digits(.digits)?([eE][+-]?digits)?`, where a leading `0` may only stand alone or
    /// before `.` or the exponent. Returns nil when invalid or out of range.
    static func parseNumberToken(_ text: UnsafeBufferPointer<UInt8>) -> Parsed? {
        if let plain = parsePlainNumber(text) {
            return plain
        }
        var index = 0
        let end = text.count
        let negative = end > 0 && text[0] == UInt8(ascii: "-")
        if negative {
            index = 1
        }
        let start = index
        guard index < end else {
            return nil
        }
        var accumulator = Accumulator()
        var afterPoint = false
        var explicitExponent = 0
        while index < end {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                guard index != start, index + 1 != end, !afterPoint else {
                    return nil
                }
                afterPoint = true
            } else if byte | 0x20 == UInt8(ascii: "e") {
                guard index != start, text[index - 1] != UInt8(ascii: "."), index + 1 < end else {
                    return nil
                }
                guard let exponent = parseExponent(text, from: index + 1) else {
                    return nil
                }
                explicitExponent = exponent
                break
            } else if ASCII.isDigit(byte) {
                if index == start && byte == UInt8(ascii: "0") && index + 1 < end {
                    let next = text[index + 1]
                    guard next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e") else {
                        return nil
                    }
                }
                accumulator.add(byte - 0x30, afterPoint: afterPoint)
            } else {
                return nil
            }
            index += 1
        }
        return accumulator.finish(negative: negative, extraExponent: explicitExponent)
    }

    /// Parses the common token in 64 bits: `-?digits(.digits)?` with at most 18 digits and no
    /// exponent. No digit is dropped then, and the scale is the count of fractional digits, as
    /// the full parser finds. Returns nil for anything else, which the full parser reads.
    private static func parsePlainNumber(_ text: UnsafeBufferPointer<UInt8>) -> Parsed? {
        let negative = text.first == UInt8(ascii: "-")
        let start = negative ? 1 : 0
        let end = text.count
        guard start < end, end - start <= 19 else {
            return nil
        }

        // A leading 0 may only be followed by the point.
        if text[start] == UInt8(ascii: "0") && start + 1 < end && text[start + 1] != UInt8(ascii: ".") {
            return nil
        }

        var coefficient: UInt64 = 0
        var digitCount = 0
        var pointIndex: Int?
        for index in start..<end {
            let byte = text[index]
            if ASCII.isDigit(byte) {
                // A nineteenth digit may wrap around; such a token is rejected below.
                coefficient = coefficient &* 10 &+ UInt64(byte - 0x30)
                digitCount += 1
            } else if byte == UInt8(ascii: "."), pointIndex == nil, index != start, index + 1 != end {
                pointIndex = index
            } else {
                return nil
            }
        }
        guard digitCount <= 18 else {
            return nil
        }

        let scale = pointIndex.map { end - 1 - $0 } ?? 0
        guard coefficient != 0 else {
            return Parsed(value: DecimalNumber(isNegative: false, coefficient: 0, scale: scale))
        }
        return Parsed(value: DecimalNumber(isNegative: negative, coefficient: UInt128(coefficient), scale: scale))
    }

    /// The exponent digits after `e`: an optional sign and digits. Json.NET stops growing
    /// the value once it overflows, so huge exponents saturate instead of wrapping.
    private static func parseExponent(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        var negative = false
        if text[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        } else if text[index] == UInt8(ascii: "+") {
            index += 1
        }
        var value = 0
        while index < text.count {
            let byte = text[index]
            guard ASCII.isDigit(byte) else {
                return nil
            }
            value = min(value * 10 + Int(byte - 0x30), 1_000_000)
            index += 1
        }
        return negative ? -value : value
    }

    /// `decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture)`: white
    /// space around, one leading or trailing sign, `,` group separators after the first
    /// digit, one `.`; no exponent (`"1,234.50"`, `" 12 "`, `"12-"`).
    static func parseInvariantNumber(_ text: UnsafeBufferPointer<UInt8>) -> Parsed? {
        let trimmed = JSONTextReader.rangeTrimmingASCIIWhiteSpace(text)
        var index = trimmed.lowerBound
        var end = trimmed.upperBound
        var negative = false
        var hasSign = false
        if index < end && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
            negative = text[index] == UInt8(ascii: "-")
            hasSign = true
            index += 1
        }
        if !hasSign && end > index && (text[end - 1] == UInt8(ascii: "-") || text[end - 1] == UInt8(ascii: "+")) {
            negative = text[end - 1] == UInt8(ascii: "-")
            end -= 1
            while end > index && JSONTextReader.isASCIIWhiteSpace(text[end - 1]) {
                end -= 1
            }
        }
        var accumulator = Accumulator()
        var afterPoint = false
        var digitCount = 0
        while index < end {
            let byte = text[index]
            if ASCII.isDigit(byte) {
                accumulator.add(byte - 0x30, afterPoint: afterPoint)
                digitCount += 1
            } else if byte == UInt8(ascii: ".") && !afterPoint {
                afterPoint = true
            } else if byte == UInt8(ascii: ",") && digitCount > 0 && !afterPoint {
                // A group separator: allowed anywhere after the first digit of the integer part.
            } else {
                return nil
            }
            index += 1
        }
        guard digitCount > 0 else {
            return nil
        }
        return accumulator.finish(negative: negative, extraExponent: 0)
    }
}
