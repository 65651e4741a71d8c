import Testing
@testable import KaptaMock

@Suite struct DecimalNumberTests {
    @Test(arguments: [("125000.50", "125000.50"), ("-3", "-3"), (".5", "0.5"), ("+7.000", "7.000"), ("-0.00", "0.00")])
    func plainTextKeepsScale(input: String, expected: String) {
        #expect(DecimalNumber(plainText: input[...])?.description == expected)
    }

    @Test(arguments: ["", "-", "1e3", "1,000", " 1", "79228162514264337593543950336", "1.2.3"])
    func plainTextRejects(input: String) {
        #expect(DecimalNumber(plainText: input[...]) == nil)
    }
}

@Suite struct DateTimeValueTests {
    @Test(arguments: ["2027-03-31T00:00:00+00:00", "2025-12-15T21:04:08.10331Z", "2027-05-01T00:00:00",
                      "2027-06-30T00:00:00.1234567-05:30", "1970-01-05T03:59:00+99:59"])
    func iso8601RoundTrips(text: String) {
        #expect(DateTimeValue(iso8601: text[...])?.description == text)
    }

    @Test(arguments: ["2027-02-29T00:00:00", "2027-13-01", "2027-01-01T24:00:00", "2027-01-01T00:00:00.12345678",
                      "2027-01-01T00:00:00+09:60", "2027-01-01 00:00:00"])
    func iso8601Rejects(text: String) {
        #expect(DateTimeValue(iso8601: text[...]) == nil)
    }
}

@Suite struct JSONWriterTests {
    @Test func writesCompactObjectInOrder() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("Message", "The request is invalid.")
        writer.key("ModelState")
        writer.beginObject()
        writer.key("model.Name")
        writer.beginArray()
        writer.string("a")
        writer.string("b")
        writer.endArray()
        writer.endObject()
        writer.key("n")
        writer.null()
        writer.endObject()
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text == #"{"Message":"The request is invalid.","ModelState":{"model.Name":["a","b"]},"n":null}"#)
    }

    @Test func escapesOnlyWhatJsonNetEscapes() {
        var writer = JSONWriter()
        writer.string("<a&'é>\"\\\n\u{1}\u{7F}")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""<a&'é>\"\\\n\u0001\#u{7F}""#)
    }
}

@Suite struct OpportunityVersionTests {
    @Test(arguments: [(1, 2), (2_147_483_646, 2_147_483_647), (2_147_483_647, 2_147_483_647), (Int.max, 2_147_483_647)])
    func nextVersionStopsAtMaximum(stored: Int, expected: Int) {
        #expect(Opportunity.version(after: stored) == expected)
    }
}
