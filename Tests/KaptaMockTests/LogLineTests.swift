import Testing
@testable import KaptaMock

@Suite struct LogLineTests {
    @Test(arguments: [(UInt64(0), "0.000"), (85_000, "0.085"), (1_234_567_000, "1234.567"), (999_999, "0.999"),
                      (10_000_000, "10.000")])
    func durationInMilliseconds(nanoseconds: UInt64, text: String) {
        #expect(KaptaMockHandler.milliseconds(nanoseconds) == text)
    }

    @Test func textLineQuotesValuesThatWouldSplit() {
        var timestamp = LogTimestamp()
        var output: [UInt8] = []
        LogLineFormatter.append(format: .text, time: (seconds: 0, nanoseconds: 5_000_000), timestamp: &timestamp,
                                level: .info, message: "request", metadata: [(key: "loop", value: "0")],
                                extra: [(key: "path", value: "/a b"), (key: "empty", value: ""), (key: "ok", value: "x")],
                                to: &output)
        #expect(String(decoding: output, as: UTF8.self)
            == "1970-01-01T00:00:00.005Z info request loop=0 path=\"/a b\" empty=\"\" ok=x\n")
    }

    @Test func jsonLineEscapes() {
        var timestamp = LogTimestamp()
        var output: [UInt8] = []
        LogLineFormatter.append(format: .json, time: (seconds: 0, nanoseconds: 0), timestamp: &timestamp,
                                level: .debug, message: "say \"hi\"", metadata: [],
                                extra: [(key: "reason", value: "line\nbreak")], to: &output)
        #expect(String(decoding: output, as: UTF8.self)
            == #"{"time":"1970-01-01T00:00:00.000Z","level":"debug","message":"say \"hi\"","reason":"line\nbreak"}"# + "\n")
    }

    private func line(_ format: Logger.Format, message: String, value: String) -> String {
        var timestamp = LogTimestamp()
        var output: [UInt8] = []
        LogLineFormatter.append(format: format, time: (seconds: 0, nanoseconds: 0), timestamp: &timestamp,
                                level: .debug, message: message, metadata: [], extra: [(key: "reason", value: value)],
                                to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test func textLineEscapesControlCharacters() {
        let forged = "x\r\n1970-01-01T00:00:00.000Z error forged\u{7F}\u{85}\u{1B}[2J\t\"\\"
        let text = line(.text, message: "bad \(forged)", value: forged)
        let escaped = #"x\r\n1970-01-01T00:00:00.000Z error forged\u007f\u0085\u001b[2J\t"#
        #expect(text == "1970-01-01T00:00:00.000Z debug bad \(escaped)\"\\ reason=\"\(escaped)\\\"\\\\\"\n")
        #expect(text.utf8.filter { $0 < 0x20 || $0 == 0x7F } == [0x0A])
    }

    @Test func textLineQuotesValueWithOnlyC1Control() {
        #expect(line(.text, message: "m", value: "a\u{9F}b")
            == "1970-01-01T00:00:00.000Z debug m reason=\"a\\u009fb\"\n")
        #expect(line(.text, message: "m", value: "é") == "1970-01-01T00:00:00.000Z debug m reason=é\n")
    }

    @Test func jsonLineEscapesEveryC0Control() {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let json = line(.json, message: controls, value: controls)
        #expect(json.utf8.filter { $0 < 0x20 } == [0x0A])
        #expect(json.contains(#"\u0000\u0001"#))
        #expect(json.contains(#"\b\t\n\u000b\f\r"#))
        #expect(json.contains(#"\u001f""#))
    }

    @Test func longValueCappedAtCharacterBoundary() {
        let value = String(repeating: "a", count: 1_023) + "é" + String(repeating: "b", count: 5_000)
        let capped = LogLineFormatter.capped(value)
        #expect(capped == String(repeating: "a", count: 1_023) + "... (5002 more bytes)")
        #expect(LogLineFormatter.capped("short") == "short")
    }
}
