import Glibc

/// Wall-clock and monotonic time read straight from `clock_gettime`, without Foundation.
enum Clock {
    /// Nanoseconds on CLOCK_MONOTONIC: for durations and deadlines, never for display.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Seconds and nanoseconds since the Unix epoch.
    static func wallClock() -> (seconds: Int, nanoseconds: Int) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return (now.tv_sec, now.tv_nsec)
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The IMF-fixdate of RFC 9110, 5.6.7, as used by the `Date` field:
    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(epochSeconds: Int) -> String {
        let time = brokenDownUTC(epochSeconds)
        return "\(weekdays[Int(time.tm_wday)]), \(twoDigits(time.tm_mday)) \(months[Int(time.tm_mon)]) "
            + "\(time.tm_year + 1900) \(twoDigits(time.tm_hour)):\(twoDigits(time.tm_min)):\(twoDigits(time.tm_sec)) GMT"
    }

    /// RFC 3339 UTC time with milliseconds, for log lines: `2026-12-04T16:30:00.123Z`.
    static func rfc3339(epochSeconds: Int, nanoseconds: Int) -> String {
        let time = brokenDownUTC(epochSeconds)
        let millis = nanoseconds / 1_000_000
        let millisText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(time.tm_year + 1900)-\(twoDigits(time.tm_mon + 1))-\(twoDigits(time.tm_mday))T"
            + "\(twoDigits(time.tm_hour)):\(twoDigits(time.tm_min)):\(twoDigits(time.tm_sec)).\(millisText)Z"
    }

    private static func brokenDownUTC(_ epochSeconds: Int) -> tm {
        var seconds = time_t(epochSeconds)
        var result = tm()
        gmtime_r(&seconds, &result)
        return result
    }

    private static func twoDigits(_ value: Int32) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
