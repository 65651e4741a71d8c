/// A date and time as a .NET `DateTime` read with `DateTimeZoneHandling.RoundtripKind`
/// holds it: the fields as sent, the fraction with its precision (up to 7 digits, .NET's
/// 100 ns ticks), and whether it was UTC, had an offset, or had neither.
public struct DateTimeValue: Sendable, Hashable, CustomStringConvertible {
    public enum Zone: Sendable, Hashable {
        /// No designator: `DateTimeKind.Unspecified`.
        case unspecified
        /// `Z`: `DateTimeKind.Utc`.
        case utc
        /// `+hh:mm` or `-hh:mm`, stored in minutes east of UTC.
        case offset(minutes: Int)
    }

    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var zone: Zone
    /// The fraction's digits as a number (`10331`) and their count (`5`), so that the value
    /// contains no reference. A date is copied into the model, the opportunity and the store on
    /// every request, and with a string field each copy retained and released it.
    private var fractionValue: UInt32
    private var fractionDigitCount: UInt8

    /// Fractional-second digits as sent, 0 to 7 of them (`"10331"` for `.10331`). Setting
    /// anything else is a programming error: every parser checks the digits first.
    public var fraction: String {
        get {
            let count = Int(fractionDigitCount)
            return String(unsafeUninitializedCapacity: count) { buffer in
                var remaining = fractionValue
                for index in stride(from: count - 1, through: 0, by: -1) {
                    buffer[index] = UInt8(truncatingIfNeeded: 0x30 + remaining % 10)
                    remaining /= 10
                }
                return count
            }
        }
        set {
            (fractionValue, fractionDigitCount) = Self.packedFraction(newValue)
        }
    }

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                fraction: String = "", zone: Zone = .unspecified) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.zone = zone
        (fractionValue, fractionDigitCount) = Self.packedFraction(fraction)
    }

    /// Whether the fraction is empty or only zeros.
    public var isFractionZero: Bool { fractionValue == 0 }

    private static func packedFraction(_ digits: String) -> (value: UInt32, count: UInt8) {
        var value: UInt32 = 0
        var count: UInt8 = 0
        for byte in digits.utf8 {
            precondition(ASCII.isDigit(byte) && count < 7, "a fraction has 0 to 7 ASCII digits, not '\(digits)'")
            value = value * 10 + UInt32(byte - 0x30)
            count += 1
        }
        return (value, count)
    }

    /// `0001-01-01T00:00:00`, what a missing XML `CloseDate` becomes (`default(DateTime)`).
    public static let minValue = DateTimeValue(year: 1, month: 1, day: 1)

    /// Parses the ISO 8601 forms stored in configuration files and written by `description`:
    /// `yyyy-MM-ddTHH:mm:ss`, an optional fraction of 1 to 7 digits, then nothing, `Z` or
    /// `±HH:mm`. Also accepts a bare `yyyy-MM-dd`.
    public init?(iso8601 text: Substring) {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
              let month = scanner.number(digits: 2), scanner.skip("-"),
              let day = scanner.number(digits: 2) else {
            return nil
        }
        self.init(year: year, month: month, day: day)
        if scanner.isAtEnd {
            guard isValid else { return nil }
            return
        }
        guard scanner.skip("T"), let hour = scanner.number(digits: 2), scanner.skip(":"),
              let minute = scanner.number(digits: 2), scanner.skip(":"),
              let second = scanner.number(digits: 2) else {
            return nil
        }
        (self.hour, self.minute, self.second) = (hour, minute, second)
        if scanner.skip(".") {
            let digits = scanner.digitRun()
            guard (1...7).contains(digits.count) else { return nil }
            fraction = digits
        }
        if scanner.skip("Z") {
            zone = .utc
        } else if let sign = scanner.sign() {
            // Json.NET keeps offsets up to 99:59, beyond .NET's usual 14:00, and the store
            // contains what the Kapta PUT kept, so a tenant read back must be accepted again.
            guard let hours = scanner.number(digits: 2), scanner.skip(":"),
                  let minutes = scanner.number(digits: 2), minutes < 60 else {
                return nil
            }
            zone = .offset(minutes: sign * (hours * 60 + minutes))
        }
        guard scanner.isAtEnd, isValid else {
            return nil
        }
    }

    /// True when the fields name a real calendar date and time of day.
    public var isValid: Bool {
        guard (1...9999).contains(year), (1...12).contains(month), (0...23).contains(hour),
              (0...59).contains(minute), (0...59).contains(second) else {
            return false
        }
        return (1...Self.daysInMonth(year: year, month: month)).contains(day)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return isLeap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// ISO 8601 with the precision and zone as sent: `2027-03-31T00:00:00+00:00`,
    /// `2025-12-15T21:04:08.10331Z`, `2027-05-01T00:00:00`.
    public var description: String {
        var text = "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T"
            + "\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))"
        if !fraction.isEmpty {
            text += "." + fraction
        }
        switch zone {
        case .unspecified:
            break
        case .utc:
            text += "Z"
        case .offset(let minutes):
            let sign = minutes < 0 ? "-" : "+"
            text += "\(sign)\(Self.pad(abs(minutes) / 60, 2)):\(Self.pad(abs(minutes) % 60, 2))"
        }
        return text
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// A cursor over ASCII text for the fixed-width date grammars.
struct DigitScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: Substring) {
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { position == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(character.value) else {
            return false
        }
        position += 1
        return true
    }

    /// Reads exactly `digits` decimal digits.
    mutating func number(digits: Int) -> Int? {
        guard position + digits <= bytes.count else {
            return nil
        }
        var value = 0
        for byte in bytes[position..<position + digits] {
            guard ASCII.isDigit(byte) else {
                return nil
            }
            value = value * 10 + Int(byte - 0x30)
        }
        position += digits
        return value
    }

    mutating func digitRun() -> String {
        let start = position
        while position < bytes.count && ASCII.isDigit(bytes[position]) {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Reads `+` or `-` and returns 1 or -1.
    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
