import Glibc

/// `XmlConvert.ToDateTime(text, XmlDateTimeSerializationMode.RoundtripKind)` of .NET Framework
/// 4.x, which DataContractSerializer uses for `DateTime`: every XML Schema date and time form.
extension DateTimeValue {
    /// Parses xs:dateTime, xs:date, xs:time, xs:gYearMonth, xs:gYear, xs:gMonthDay, xs:gMonth and
    /// xs:gDay, each with an optional `Z`/`z` or `±hh:mm` zone and white space around it.
    /// - A fraction of seconds may have any number of digits; .NET keeps 7 (100 ns ticks) and
    ///   rounds the rest half to even, carrying into the seconds.
    /// - xs:time takes today's date and xs:gMonth and xs:gDay this year, as .NET does with
    ///   `DateTime.Now`; `today` is the caller's date (UTC by default). xs:gMonthDay takes the
    ///   leap year 1904, and xs:gYear and xs:gYearMonth the first month and day.
    /// - Zone hours and minutes up to 99 are accepted, as .NET accepts them.
    init?(xsdText text: String, today: (year: Int, month: Int, day: Int)? = nil) {
        let scanner = XSDScanner(text)
        guard let parsed = scanner.parseAny(today: { today ?? DateTimeValue.todayUTC() }) else {
            return nil
        }
        self = parsed
    }

    /// Today's date in UTC from the system clock.
    static func todayUTC() -> (year: Int, month: Int, day: Int) {
        var seconds = time_t(Clock.wallClock().seconds)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        return (Int(fields.tm_year) + 1900, Int(fields.tm_mon) + 1, Int(fields.tm_mday))
    }

    /// Adds one second, carrying into minutes, hours, days, months and years; nil past year 9999.
    func addingOneSecond() -> DateTimeValue? {
        var result = self
        result.second += 1
        if result.second == 60 {
            result.second = 0
            result.minute += 1
        }
        if result.minute == 60 {
            result.minute = 0
            result.hour += 1
        }
        if result.hour == 24 {
            result.hour = 0
            result.day += 1
        }
        if result.day > Self.daysInMonth(year: result.year, month: result.month) {
            result.day = 1
            result.month += 1
        }
        if result.month == 13 {
            result.month = 1
            result.year += 1
        }
        return result.year <= 9999 ? result : nil
    }
}

/// A cursor over the scalars of an XSD date or time, following the order in which .NET's
/// `XsdDateTime.Parser` tries the forms.
private struct XSDScanner {
    private let scalars: [Unicode.Scalar]
    private let start: Int

    init(_ text: String) {
        scalars = text.unicodeScalarArray
        start = scalars.firstIndex { !Self.isWhiteSpace($0) } ?? scalars.count
    }

    /// Tries the forms in .NET's order; `today` is called only for the forms without a full date.
    func parseAny(today: () -> (year: Int, month: Int, day: Int)) -> DateTimeValue? {
        if let (year, month, day) = date(at: start) {
            if character(at: start + 10) == "T",
               let value = timeAndZone(at: start + 11, year: year, month: month, day: day) {
                return value
            }
            if let zone = zoneAndEnd(at: start + 10) {
                return DateTimeValue(year: year, month: month, day: day, zone: zone)
            }
        }
        if isTime(at: start) {
            let date = today()
            return timeAndZone(at: start, year: date.year, month: date.month, day: date.day)
        }
        if let year = number(at: start, digits: 4), year >= 1 {
            if character(at: start + 4) == "-", let month = number(at: start + 5, digits: 2), (1...12).contains(month),
               let zone = zoneAndEnd(at: start + 7) {
                return DateTimeValue(year: year, month: month, day: 1, zone: zone)
            }
            if let zone = zoneAndEnd(at: start + 4) {
                return DateTimeValue(year: year, month: 1, day: 1, zone: zone)
            }
        }
        return monthOrDay(thisYear: { today().year })
    }

    /// True when `HH:mm:ss` starts at `index`, so the text can only be an xs:time.
    private func isTime(at index: Int) -> Bool {
        number(at: index, digits: 2) != nil && character(at: index + 2) == ":"
    }

    /// `--MM-dd` (gMonthDay), `--MM` or `--MM--` (gMonth), `---dd` (gDay).
    private func monthOrDay(thisYear: () -> Int) -> DateTimeValue? {
        guard character(at: start) == "-", character(at: start + 1) == "-" else {
            return nil
        }
        if let month = number(at: start + 2, digits: 2), (1...12).contains(month) {
            if character(at: start + 4) == "-", let day = number(at: start + 5, digits: 2),
               (1...DateTimeValue.daysInMonth(year: 1904, month: month)).contains(day),
               let zone = zoneAndEnd(at: start + 7) {
                return DateTimeValue(year: 1904, month: month, day: day, zone: zone)
            }
            var zone = zoneAndEnd(at: start + 4)
            if zone == nil && character(at: start + 4) == "-" && character(at: start + 5) == "-" {
                zone = zoneAndEnd(at: start + 6)
            }
            if let zone {
                return DateTimeValue(year: thisYear(), month: month, day: 1, zone: zone)
            }
        }
        if character(at: start + 2) == "-", let day = number(at: start + 3, digits: 2), (1...31).contains(day),
           let zone = zoneAndEnd(at: start + 5) {
            return DateTimeValue(year: thisYear(), month: 1, day: day, zone: zone)
        }
        return nil
    }

    /// `yyyy-MM-dd` with a real calendar day.
    private func date(at index: Int) -> (Int, Int, Int)? {
        guard let year = number(at: index, digits: 4), year >= 1, character(at: index + 4) == "-",
              let month = number(at: index + 5, digits: 2), (1...12).contains(month), character(at: index + 7) == "-",
              let day = number(at: index + 8, digits: 2),
              (1...DateTimeValue.daysInMonth(year: year, month: month)).contains(day) else {
            return nil
        }
        return (year, month, day)
    }

    /// `HH:mm:ss[.fraction]` followed by a zone and the end.
    private func timeAndZone(at index: Int, year: Int, month: Int, day: Int) -> DateTimeValue? {
        guard let hour = number(at: index, digits: 2), hour < 24, character(at: index + 2) == ":",
              let minute = number(at: index + 3, digits: 2), minute < 60, character(at: index + 5) == ":",
              let second = number(at: index + 6, digits: 2), second < 60 else {
            return nil
        }
        var value = DateTimeValue(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        var next = index + 8
        if character(at: next) == "." {
            next += 1
            let digitsStart = next
            while let scalar = character(at: next), ("0"..."9").contains(scalar) { next += 1 }
            guard next > digitsStart else {
                return nil
            }
            let digits = scalars[digitsStart..<next].map { UInt8($0.value - 0x30) }
            guard let rounded = Self.roundedFraction(digits) else {
                guard let carried = value.addingOneSecond() else {
                    return nil
                }
                value = carried
                value.fraction = "0000000"
                guard let zone = zoneAndEnd(at: next) else {
                    return nil
                }
                value.zone = zone
                return value
            }
            value.fraction = rounded
        }
        guard let zone = zoneAndEnd(at: next) else {
            return nil
        }
        value.zone = zone
        return value
    }

    /// Up to 7 fraction digits as sent; more are rounded to 7, half to even. Nil when the
    /// rounding carries into the next second.
    private static func roundedFraction(_ digits: [UInt8]) -> String? {
        guard digits.count > 7 else {
            return String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
        }
        var keptDigits = Array(digits.prefix(7))
        let eighth = digits[7]
        let restIsZero = digits.dropFirst(8).allSatisfy { $0 == 0 }
        let roundUp = eighth > 5 || (eighth == 5 && (!restIsZero || keptDigits[6] % 2 == 1))
        if roundUp {
            var index = 6
            while index >= 0 {
                if keptDigits[index] < 9 {
                    keptDigits[index] += 1
                    break
                }
                keptDigits[index] = 0
                index -= 1
            }
            if index < 0 {
                return nil
            }
        }
        return String(decoding: keptDigits.map { $0 + 0x30 }, as: UTF8.self)
    }

    /// Parses an optional zone followed by nothing but white space.
    private func zoneAndEnd(at index: Int) -> DateTimeValue.Zone? {
        var next = index
        var zone = DateTimeValue.Zone.unspecified
        if let scalar = character(at: next) {
            if scalar == "Z" || scalar == "z" {
                zone = .utc
                next += 1
            } else if next + 5 < scalars.count, let hours = number(at: next + 1, digits: 2),
                      character(at: next + 3) == ":", let minutes = number(at: next + 4, digits: 2),
                      scalar == "+" || scalar == "-" {
                zone = .offset(minutes: (scalar == "-" ? -1 : 1) * (hours * 60 + minutes))
                next += 6
            }
        }
        while let scalar = character(at: next), Self.isWhiteSpace(scalar) { next += 1 }
        return next == scalars.count ? zone : nil
    }

    /// .NET's `char.IsWhiteSpace`, with a fast path for ASCII.
    private static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            return scalar == " " || ("\t"..."\r").contains(scalar)
        }
        return ScalarProperties.isWhiteSpace(scalar)
    }

    private func character(at index: Int) -> Unicode.Scalar? {
        index < scalars.count ? scalars[index] : nil
    }

    private func number(at index: Int, digits: Int) -> Int? {
        guard index + digits <= scalars.count else {
            return nil
        }
        var value = 0
        for scalar in scalars[index..<index + digits] {
            guard ("0"..."9").contains(scalar) else {
                return nil
            }
            value = value * 10 + Int(scalar.value - 0x30)
        }
        return value
    }
}
