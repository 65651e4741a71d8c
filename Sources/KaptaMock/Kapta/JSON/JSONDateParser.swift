/// `DateTime` parsing as Json.NET 13 does it with `DateTimeZoneHandling.RoundtripKind`: its
/// ISO 8601 parser, then the Microsoft `/Date(ms±zzzz)/` form, then a subset of .NET's
/// `DateTime.TryParse` in the invariant culture.
enum JSONDateParser {
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> DateTimeValue? {
        let count = text.count
        guard count > 0 else {
            return nil
        }
        if text[0] == UInt8(ascii: "/") {
            if count >= 9, let date = parseMicrosoft(text) {
                return date
            }
        } else if count >= 19 && count <= 40 && ASCII.isDigit(text[0]) && text[10] == UInt8(ascii: "T") {
            var scanner = DateScanner(text)
            if let date = scanner.readISO8601() {
                return date
            }
        }
        var scanner = DateScanner(text)
        return scanner.readInvariantFallback()
    }

    /// Parses `/Date(ms)/`, a UTC instant, and `/Date(ms+hhmm)/`, the same instant at an offset.
    /// Json.NET converts the second form to the server's local time. The fake keeps the
    /// client's offset instead, so the instant is the same and no server zone is invented.
    private static func parseMicrosoft(_ text: UnsafeBufferPointer<UInt8>) -> DateTimeValue? {
        let prefix = Array("/Date(".utf8)
        let count = text.count
        guard text.starts(with: prefix), text[count - 2] == UInt8(ascii: ")"),
              text[count - 1] == UInt8(ascii: "/") else {
            return nil
        }
        let innerEnd = count - 2

        // The offset sign is searched from the second character, so `/Date(-5)/` is a number.
        var signIndex: Int?
        for sign in [UInt8(ascii: "+"), UInt8(ascii: "-")] where signIndex == nil {
            signIndex = (7..<innerEnd).first { text[$0] == sign }
        }

        var offsetMinutes: Int?
        let numberEnd = signIndex ?? innerEnd
        if let signIndex {
            let offsetText = Array(text[signIndex..<innerEnd])
            guard offsetText.count >= 3, let hours = twoDigits(offsetText, 1) else {
                return nil
            }
            var minutes = 0
            if offsetText.count >= 5 {
                guard let parsed = twoDigits(offsetText, 3) else { return nil }
                minutes = parsed
            }
            let sign = offsetText[0] == UInt8(ascii: "-") ? -1 : 1
            offsetMinutes = sign * (hours * 60 + minutes)
        }

        var digits = text[6..<numberEnd]
        var negative = false
        if digits.first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy(ASCII.isDigit) else {
            return nil
        }
        var milliseconds = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        if negative {
            milliseconds = -milliseconds
        }
        // .NET reads `hhmm` as hours and minutes without range checks, so `-9999` is 100:39.
        // That cannot be written as ±HH:mm. The instant is what counts, so keep it in UTC.
        if let minutes = offsetMinutes, abs(minutes) > 99 * 60 + 59 {
            offsetMinutes = nil
        }
        let zone: DateTimeValue.Zone = offsetMinutes.map { .offset(minutes: $0) } ?? .utc
        return dateFromUnixMilliseconds(milliseconds + (offsetMinutes ?? 0) * 60_000, zone: zone)
    }

    private static func twoDigits(_ bytes: [UInt8], _ index: Int) -> Int? {
        guard index + 2 <= bytes.count, ASCII.isDigit(bytes[index]), ASCII.isDigit(bytes[index + 1]) else {
            return nil
        }
        return Int(bytes[index] - 0x30) * 10 + Int(bytes[index + 1] - 0x30)
    }

    /// Converts a Unix time in milliseconds to calendar fields (proleptic Gregorian calendar).
    static func dateFromUnixMilliseconds(_ milliseconds: Int, zone: DateTimeValue.Zone) -> DateTimeValue? {
        let (days, dayMilliseconds) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (wholeDays, timeOfDay) = dayMilliseconds < 0 ? (days - 1, dayMilliseconds + 86_400_000)
                                                         : (days, dayMilliseconds)
        // Days since 1970-01-01 to a civil date: shift to an era starting on 0000-03-01.
        let shifted = wholeDays + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let millisecond = timeOfDay % 1000
        let fraction = millisecond == 0 ? "" : DateTimeValue.pad(millisecond, 3)
        let date = DateTimeValue(year: year, month: month, day: day, hour: timeOfDay / 3_600_000,
                                 minute: timeOfDay / 60_000 % 60, second: timeOfDay / 1000 % 60,
                                 fraction: fraction, zone: zone)
        return date.isValid ? date : nil
    }
}

/// A cursor over the bytes of a date string.
private struct DateScanner {
    let text: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ text: UnsafeBufferPointer<UInt8>) {
        self.text = text
    }

    var isAtEnd: Bool { index >= text.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < text.count, text[index] == UInt8(character.value) else {
            return false
        }
        index += 1
        return true
    }

    /// Exactly `count` digits.
    mutating func fixedDigits(_ count: Int) -> Int? {
        guard index + count <= text.count else {
            return nil
        }
        var value = 0
        for offset in 0..<count {
            let byte = text[index + offset]
            guard ASCII.isDigit(byte) else {
                return nil
            }
            value = value * 10 + Int(byte - 0x30)
        }
        index += count
        return value
    }

    /// Reads one or two digits, as .NET's parser accepts for month, day and hour.
    mutating func shortNumber() -> Int? {
        var value = 0
        var digits = 0
        while index < text.count, digits < 2, ASCII.isDigit(text[index]) {
            value = value * 10 + Int(text[index] - 0x30)
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }

    mutating func fractionDigits() -> String? {
        let start = index
        while index < text.count, ASCII.isDigit(text[index]) {
            index += 1
        }
        guard index > start else {
            return nil
        }
        return String(decoding: UnsafeBufferPointer(rebasing: text[start..<index]), as: UTF8.self)
    }

    /// Json.NET's `DateTimeParser`: `yyyy-MM-ddTHH:mm:ss`, 1 to 7 fractional digits, then
    /// nothing, `Z`, `±HH`, `±HHmm` or `±HH:mm`. `24:00:00` is midnight of the next day.
    mutating func readISO8601() -> DateTimeValue? {
        guard let year = fixedDigits(4), year >= 1, skip("-"), let month = fixedDigits(2), skip("-"),
              let day = fixedDigits(2), skip("T"), let hour = fixedDigits(2), hour <= 24, skip(":"),
              let minute = fixedDigits(2), minute < 60, skip(":"), let second = fixedDigits(2), second < 60 else {
            return nil
        }
        var date = DateTimeValue(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        if skip(".") {
            // NOTE: Json.NET stops at 7 digits and may read further digits as a zone; more
            // than 7 digits are rejected here.
            guard let fraction = fractionDigits(), fraction.utf8.count <= 7 else {
                return nil
            }
            date.fraction = fraction
        }
        guard let zone = readZone(), isAtEnd else {
            return nil
        }
        date.zone = zone
        return Self.normalizingMidnight(date)
    }

    /// `Z`, `±HH`, `±HHmm`, `±HH:mm`, or nothing.
    mutating func readZone() -> DateTimeValue.Zone? {
        if isAtEnd {
            return .unspecified
        }
        if skip("Z") || skip("z") {
            return .utc
        }
        let sign: Int
        if skip("+") {
            sign = 1
        } else if skip("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = fixedDigits(2) else {
            return nil
        }
        var minutes = 0
        if !isAtEnd {
            _ = skip(":")
            guard let parsed = fixedDigits(2), parsed < 60 else {
                return nil
            }
            minutes = parsed
        }
        return .offset(minutes: sign * (hours * 60 + minutes))
    }

    /// Parses the forms of .NET's `DateTime.TryParse` (invariant culture) that clients send:
    /// `yyyy-M-d`, `yyyy-M-d H:mm[:ss[.f]]` (space or `T`), `M/d/yyyy [H:mm[:ss]]`, each
    /// with an optional zone, and white space around.
    mutating func readInvariantFallback() -> DateTimeValue? {
        let range = JSONTextReader.rangeTrimmingASCIIWhiteSpace(text, from: index)
        index = range.lowerBound
        let trimmed = UnsafeBufferPointer(rebasing: text[range])
        var scanner = DateScanner(trimmed)
        guard var date = scanner.readFallbackDate() else {
            return nil
        }
        if !scanner.isAtEnd {
            guard scanner.skip(" ") || scanner.skip("T"), let hour = scanner.shortNumber(), scanner.skip(":"),
                  let minute = scanner.fixedDigits(2) else {
                return nil
            }
            (date.hour, date.minute) = (hour, minute)
            if scanner.skip(":") {
                guard let second = scanner.fixedDigits(2) else { return nil }
                date.second = second
                if scanner.skip(".") {
                    guard let fraction = scanner.fractionDigits() else { return nil }
                    date.fraction = Self.roundedToTicks(fraction)
                }
            }
            guard let zone = scanner.readZone(), scanner.isAtEnd else {
                return nil
            }
            date.zone = zone
        }
        return date.isValid ? date : nil
    }

    /// .NET keeps 7 fractional digits (100 ns ticks) and rounds the rest half up.
    // NOTE: a fraction of .99999995 or more would carry into the seconds; it is kept at
    // .9999999 here instead.
    private static func roundedToTicks(_ fraction: String) -> String {
        let digits = Array(fraction.utf8)
        guard digits.count > 7 else {
            return fraction
        }
        var ticks = digits[0..<7].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        if digits[7] >= UInt8(ascii: "5") {
            ticks = min(ticks + 1, 9_999_999)
        }
        return DateTimeValue.pad(ticks, 7)
    }

    private mutating func readFallbackDate() -> DateTimeValue? {
        let start = index
        if let year = fixedDigits(4), skip("-") {
            guard let month = shortNumber(), skip("-"), let day = shortNumber() else {
                return nil
            }
            return DateTimeValue(year: year, month: month, day: day)
        }
        index = start
        guard let month = shortNumber(), skip("/"), let day = shortNumber(), skip("/"),
              let year = fixedDigits(4) else {
            return nil
        }
        return DateTimeValue(year: year, month: month, day: day)
    }

    private static func normalizingMidnight(_ date: DateTimeValue) -> DateTimeValue? {
        guard date.hour == 24 else {
            return date.isValid ? date : nil
        }
        guard date.minute == 0, date.second == 0, date.isFractionZero else {
            return nil
        }
        var next = date
        next.hour = 0
        guard next.isValid else {
            return nil
        }
        next.day += 1
        if next.day > DateTimeValue.daysInMonth(year: next.year, month: next.month) {
            next.day = 1
            next.month += 1
            if next.month > 12 {
                next.month = 1
                next.year += 1
            }
        }
        return next.isValid ? next : nil
    }
}
