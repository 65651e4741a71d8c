/// An exact decimal with the range and scale of .NET's `System.Decimal`: a 96-bit
/// coefficient and a scale of 0 to 28, so `125000.50` keeps its two decimal places.
/// Values never pass through `Double`.
public struct DecimalNumber: Sendable, Hashable, CustomStringConvertible {
    public var isNegative: Bool
    /// The digits without the decimal point; at most `maxCoefficient`.
    public var coefficient: UInt128
    /// How many of the coefficient's digits follow the decimal point.
    public var scale: Int

    /// 2^96 - 1, the largest coefficient `System.Decimal` holds.
    public static let maxCoefficient: UInt128 = (1 << 96) - 1
    public static let maxScale = 28
    public static let zero = DecimalNumber(isNegative: false, coefficient: 0, scale: 0)

    public init(isNegative: Bool, coefficient: UInt128, scale: Int) {
        precondition(coefficient <= Self.maxCoefficient && (0...Self.maxScale).contains(scale))
        // .NET prints a negative zero as zero, so the sign of zero is not kept.
        self.isNegative = isNegative && coefficient != 0
        self.coefficient = coefficient
        self.scale = scale
    }

    /// Parses plain decimal text: an optional `-` or `+`, digits, and an optional point with
    /// more digits (`125000.50`, `-3`, `.5`). No exponent, no white space, no separators.
    /// Returns nil for anything else or for a value outside the range.
    public init?(plainText text: Substring) {
        var bytes = text.utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var coefficient: UInt128 = 0
        var scale = 0
        var sawPoint = false
        var sawDigit = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
                continue
            }
            guard ASCII.isDigit(byte) else {
                return nil
            }
            sawDigit = true
            coefficient = coefficient * 10 + UInt128(byte - 0x30)
            guard coefficient <= Self.maxCoefficient else {
                return nil
            }
            if sawPoint {
                scale += 1
            }
        }
        guard sawDigit, scale <= Self.maxScale else {
            return nil
        }
        self.init(isNegative: negative, coefficient: coefficient, scale: scale)
    }

    /// The canonical text: digits with the scale kept, no exponent (`1250`, `125000.50`).
    public var description: String {
        var digits = String(coefficient)
        if scale > 0 {
            if digits.count <= scale {
                digits = String(repeating: "0", count: scale - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return isNegative ? "-" + digits : digits
    }
}
