import Testing
@testable import KaptaMock

private typealias Support = XMLTestSupport

@Suite struct XMLDecimalTests {
    @Test(arguments: [
        ("125000.50", "125000.50"),
        ("  -3.0\t", "-3.0"),
        ("+7", "7"),
        (".5", "0.5"),
        ("5.", "5"),
        ("0.000", "0.000"),
        ("-0", "0"),
        ("\n 42 \r\n", "42"),
        ("79228162514264337593543950335", "79228162514264337593543950335"),
        ("0.1234567890123456789012345678", "0.1234567890123456789012345678"),
        ("0.12345678901234567890123456789", "0.1234567890123456789012345679"),
        ("1." + String(repeating: "0", count: 32), "1." + String(repeating: "0", count: 28)),
        // Rounding the 30th digit overflows the coefficient; .NET Framework then drops a digit.
        ("7922816251426433759354395033.55", "7922816251426433759354395034"),
        ("0." + String(repeating: "0", count: 32) + "1", "0." + String(repeating: "0", count: 28)),
        ("5\u{0}", "5"),
    ])
    func accepts(text: String, expected: String) {
        #expect(XMLValueParsing.decimal(text)?.description == expected)
    }

    @Test(arguments: ["", " ", "1e3", "1E3", "1,000", "1.2.3", "- 5", "5-", "(5)", "$5", "abc", ".", "+-1",
                      "79228162514264337593543950336", "79228162514264337593543950335.5",
                      "1" + String(repeating: "0", count: 29)])
    func rejects(text: String) {
        #expect(XMLValueParsing.decimal(text) == nil)
    }

    @Test func valueMemberKeepsScale() {
        let model = Support.read(Support.model("<Value> 48000.000 </Value>")).model
        #expect(model?.value?.description == "48000.000")
    }

    @Test(arguments: ["1e3", "1,234.50", "", "12 34"])
    func valueMemberRejects(text: String) {
        let result = Support.read(Support.model("<Value>\(text)</Value>"))
        #expect(result.model == nil)
        #expect(Support.errorMessage(result) == Support.deserializing
            + "The value '\(text)' cannot be parsed as the type 'decimal'.")
    }

    @Test func emptyValueElementIsError() {
        let result = Support.read(Support.model("<Value/>"))
        #expect(Support.errorMessage(result) == Support.deserializing + "The value '' cannot be parsed as the "
            + "type 'decimal'.")
    }
}

@Suite struct XMLDoubleTests {
    @Test(arguments: [("4.1", 4.1), (" -2.5e3 ", -2500.0), ("INF", Double.infinity), ("-INF", -Double.infinity),
                      ("Infinity", Double.infinity), ("1.", 1.0), ("+.5", 0.5), ("1E-2", 0.01)])
    func accepts(text: String, expected: Double) {
        #expect(XMLValueParsing.double(text) == expected)
    }

    @Test func acceptsNaN() {
        #expect(XMLValueParsing.double("NaN")?.isNaN == true)
    }

    @Test(arguments: ["", "inf", "+INF", "nan", "1e400", "0x10", "1,5", "e5", "1e", "--1"])
    func rejects(text: String) {
        #expect(XMLValueParsing.double(text) == nil)
    }

    @Test func doubleValueMemberRejectsWithLowercaseType() {
        let item = "<UDFFieldModel><DoubleValue>high</DoubleValue></UDFFieldModel>"
        let xml = Support.model("<CustomFields>\(item)</CustomFields>")
        #expect(Support.errorMessage(Support.read(xml)) == Support.deserializing
            + "The value 'high' cannot be parsed as the type 'double'.")
    }

    @Test func doubleValueMemberTakesINF() {
        let item = "<UDFFieldModel><DoubleValue>INF</DoubleValue></UDFFieldModel>"
        let xml = Support.model("<CustomFields>\(item)</CustomFields>")
        #expect(Support.read(xml).model?.customFields?.first?.doubleValue == .infinity)
    }
}

@Suite struct XMLDateTimeTests {
    static let today = (year: 2026, month: 12, day: 4)

    @Test(arguments: [
        ("2024-01-15T10:00:00", "2024-01-15T10:00:00"),
        ("2024-01-15T10:00:00Z", "2024-01-15T10:00:00Z"),
        ("2024-01-15T10:00:00z", "2024-01-15T10:00:00Z"),
        ("2024-01-15T10:00:00.1234567+02:00", "2024-01-15T10:00:00.1234567+02:00"),
        ("2024-01-15T10:00:00.5-05:30", "2024-01-15T10:00:00.5-05:30"),
        ("2024-01-15", "2024-01-15T00:00:00"),
        ("2024-01-15Z", "2024-01-15T00:00:00Z"),
        ("  2024-02-29T23:59:59 \n", "2024-02-29T23:59:59"),
        ("2024-01-15T10:00:00.12345678", "2024-01-15T10:00:00.1234568"),
        ("2024-01-15T10:00:00.12345685", "2024-01-15T10:00:00.1234568"),
        ("2024-01-15T10:00:00.12345675", "2024-01-15T10:00:00.1234568"),
        ("2024-12-31T23:59:59.99999999Z", "2025-01-01T00:00:00.0000000Z"),
        ("2024-05", "2024-05-01T00:00:00"),
        ("2024", "2024-01-01T00:00:00"),
        ("--02-29", "1904-02-29T00:00:00"),
        ("--03", "2026-03-01T00:00:00"),
        ("---15", "2026-01-15T00:00:00"),
        ("10:30:00+01:00", "2026-12-04T10:30:00+01:00"),
    ])
    func accepts(text: String, expected: String) {
        #expect(DateTimeValue(xsdText: text, today: Self.today)?.description == expected)
    }

    @Test(arguments: ["", "2024-01-15 10:00:00", "01/15/2024", "2024-13-01", "2023-02-29", "2024-01-15T24:00:00",
                      "2024-01-15T10:00", "2024-01-15T10:00:00.", "2024-01-15T10:00:00+0100", "0000-01-01",
                      "9999-12-31T23:59:59.99999999", "tomorrow", "2024-1-5", "+2024-01-01"])
    func rejects(text: String) {
        #expect(DateTimeValue(xsdText: text, today: Self.today) == nil)
    }

    @Test func closeDateRejectsWithType() {
        let result = Support.read(Support.model("<CloseDate>2024-01-15 10:00</CloseDate>"))
        #expect(Support.errorMessage(result) == Support.deserializing
            + "The value '2024-01-15 10:00' cannot be parsed as the type 'DateTime'.")
    }

    @Test func closeDateTakesDate() {
        let model = Support.read(Support.model("<CloseDate>2027-06-30</CloseDate>")).model
        #expect(model?.closeDate == DateTimeValue(year: 2027, month: 6, day: 30))
    }
}
