import Testing
@testable import KaptaMock

/// Reads `text` as a UTF-8 JSON body.
func bindJSON(_ text: String, charset: String? = nil) -> BindingResult {
    JSONModelReader.read(body: Array(text.utf8), charset: charset)
}

/// Formats the ModelState entries as `key: message`, in order.
func entryTexts(_ result: BindingResult) -> [String] {
    result.errors.map { "\($0.key): \($0.message)" }
}

/// Builds a complete body with `extra` appended inside the object, so only `extra` can fail.
func completeBody(_ extra: String) -> String {
    #"{"OpportunityID":"O","Name":"N","Stage":"S","CloseDate":"2027-01-01T00:00:00","Value":1,"# + extra + "}"
}

@Suite struct KaptaJSONLenientSyntaxTests {
    @Test func commentsAnywhere() {
        let result = bindJSON("/*a*/{//b\n\"Name\":/*d*/\"x\"//e\n,\"Value\":1,\"CloseDate\":\"2027-01-01\"}")
        #expect(result.model?.name == "x")
        #expect(result.errors.isEmpty)
    }

    @Test func singleQuotesAndUnquotedNames() {
        let result = bindJSON(#"{Name:'it"s', 'Stage':'a', Value: 2, CloseDate: '2027-01-01'}"#)
        #expect(result.model?.name == #"it"s"#)
        #expect(result.model?.stage == "a")
        #expect(result.errors.isEmpty)
    }

    @Test func trailingCommas() {
        let result = bindJSON(completeBody(#""CustomFields":[{"FieldName":"Region",},],"#))
        #expect(result.model?.customFields?.first?.fieldName == "Region")
        #expect(result.errors.isEmpty)
    }

    @Test func textAfterRootIgnored() {
        let result = bindJSON(completeBody(#""Description":"d""#) + " garbage ]]}")
        #expect(result.model?.description == "d")
        #expect(result.errors.isEmpty)
    }

    @Test func caseInsensitiveMatchWarns() {
        let result = bindJSON(completeBody(#""description":"d""#))
        #expect(result.model?.description == "d")
        #expect(result.warnings == ["JSON property 'description' matched 'Description' only when letter case is "
            + "ignored"])
    }

    @Test func lastDuplicateWins() {
        let result = bindJSON(completeBody(#""Description":"a","description":"b""#))
        #expect(result.model?.description == "b")
    }

    @Test func unknownMembersSkippedWhateverShape() {
        let extra = #""A":{"x":[1,{"y":null}]},"B":[[],[{}]],"C":new "#
            + #"Date(5),"D":undefined,"E":[1,,2],"Description":"d""#
        let result = bindJSON(completeBody(extra))
        #expect(result.model?.description == "d")
        #expect(result.errors.isEmpty)
    }

    @Test func escapesAndSurrogates() {
        let result = bindJSON(completeBody(#""Description":"\u0041\t\/\ud83d\ude00\ud800x\udc00""#))
        #expect(result.model?.description == "A\t/😀\u{FFFD}x\u{FFFD}")
    }

    @Test func escapedPropertyName() {
        let result = bindJSON(completeBody(#""Descr\u0069ption":"d""#))
        #expect(result.model?.description == "d")
    }

    @Test func whiteSpaceOnlyBodyIsNullModel() {
        let result = bindJSON(" \r\n\t ")
        #expect(result.model == nil)
        #expect(result.errors.isEmpty)
    }

    @Test func nullLiteralIsNullModel() {
        let result = bindJSON("null")
        #expect(result.model == nil)
        #expect(result.errors.isEmpty)
    }

    @Test func commentOnlyBodyIsNullModel() {
        let result = bindJSON("/* nothing */")
        #expect(result.model == nil)
        #expect(result.errors.isEmpty)
    }
}

@Suite struct KaptaJSONCoercionTests {
    @Test(arguments: [("123", "123"), ("1.50", "1.50"), ("-0.5e3", "-0.5e3"), ("true", "true"), ("false", "false"),
                      ("012", "012"), ("NaN", "NaN"), ("-Infinity", "-Infinity")])
    func stringAcceptsScalarText(json: String, expected: String) {
        let result = bindJSON(completeBody(#""Description":"# + json))
        #expect(result.model?.description == expected)
        #expect(result.errors.isEmpty)
    }

    @Test func stringNullIsNil() {
        let result = bindJSON(completeBody(#""Description":null"#))
        #expect(result.model?.description == nil)
        #expect(result.errors.isEmpty)
    }

    @Test(arguments: [("125000.50", "125000.50"), ("1.25E+3", "1250"), ("1.50e3", "1500"), ("1.5E-3", "0.0015"),
                      ("-0.00", "0.00"), ("0", "0"), ("7", "7"), ("0x1F", "31"), ("0XFF", "255"),
                      ("79228162514264337593543950335", "79228162514264337593543950335"),
                      ("0.0000000000000000000000000001", "0.0000000000000000000000000001"),
                      (#""1,234.50""#, "1234.50"), (#"" 12 ""#, "12"), (#""12-""#, "-12"), (#""+7.0""#, "7.0"),
                      (#""1e3""#, "1000"), (#""96.014e-05""#, "0.00096014")])
    func decimalForms(json: String, expected: String) {
        let result = bindJSON(completeBody(#""Value":"# + json))
        #expect(result.model?.value?.description == expected)
        #expect(result.errors.isEmpty)
    }

    @Test func decimalLeadingZeroIsOctalWithWarning() {
        let result = bindJSON(completeBody(#""Value":012"#))
        #expect(result.model?.value?.description == "10")
        #expect(result.warnings == ["the number at 'Value' starts with 0 and was read as octal, as Json.NET does"])
    }

    @Test func decimalRoundsAt29DigitsWithWarning() {
        let result = bindJSON(completeBody(#""Value":1.23456789012345678901234567890123"#))
        #expect(result.model?.value?.description == "1.2345678901234567890123456789")
        #expect(result.warnings == ["the decimal at 'Value' does not fit .NET's decimal (29 significant digits, "
            + "28 decimal places) and was rounded to 1.2345678901234567890123456789"])
    }

    @Test func decimalRoundsHalfUpOnFirstDroppedDigit() {
        let result = bindJSON(completeBody(#""Value":1.23456789012345678901234567896"#))
        #expect(result.model?.value?.description == "1.2345678901234567890123456790")
    }

    @Test func decimalBeyondScale28RoundsHalfToEven() {
        let result = bindJSON(completeBody(#""Value":0.123456789012345678901234567850"#))
        #expect(result.model?.value?.description == "0.1234567890123456789012345678")
    }

    @Test func commentBetweenNameAndColonIsError() {
        let result = bindJSON(#"{"Name"/*c*/:"x"}"#)
        #expect(entryTexts(result).first ==
            "model: Invalid character after parsing property name. Expected ':' but got: /. Path '', line 1, position "
                + "7.")
    }

    @Test func decimalOverflowIsError() {
        let result = bindJSON(#"{"Value":79228162514264337593543950336}"#)
        #expect(entryTexts(result).first ==
            "model.Value: Input string '79228162514264337593543950336' is not a valid decimal. Path 'Value', line 1, "
                + "position 38.")
    }

    @Test func decimalStringOverflowIsError() {
        let result = bindJSON(#"{"Value":"1e40"}"#)
        #expect(entryTexts(result).first == "model.Value: Could not convert string to decimal: 1e40. Path 'Value', "
            + "line 1, position 15.")
    }

    @Test(arguments: [("09", "Input string '09' is not a valid decimal."), (".5", "Input string '.5' is not a valid "
        + "decimal."),
                      ("-012", "Input string '-012' is not a valid decimal."),
                      ("true", "Unexpected character encountered while parsing value: t."),
                      ("NaN", "Cannot read NaN value."), ("Infinity", "Cannot read Infinity value.")])
    func decimalInvalidNumbers(json: String, message: String) {
        let result = bindJSON(#"{"Value":"# + json + "}")
        #expect(result.errors.first?.message.hasPrefix(message) == true)
        #expect(result.errors.first?.key == "model.Value")
    }

    @Test func decimalNullIsConversionError() {
        let result = bindJSON(#"{"Value":null}"#)
        #expect(entryTexts(result).first ==
            "model.Value: Error converting value {null} to type 'System.Decimal'. Path 'Value', line 1, position 13.")
    }

    @Test(arguments: [("2027-03-31T00:00:00+00:00", "2027-03-31T00:00:00+00:00"),
                      ("2025-12-15T21:04:08.10331+00:00", "2025-12-15T21:04:08.10331+00:00"),
                      ("2027-03-31T10:20:30Z", "2027-03-31T10:20:30Z"),
                      ("2027-03-31T10:20:30.1234567-05:30", "2027-03-31T10:20:30.1234567-05:30"),
                      ("2027-03-31T10:20:30+0530", "2027-03-31T10:20:30+05:30"),
                      ("2027-03-31T10:20:30+05", "2027-03-31T10:20:30+05:00"),
                      ("2027-03-31T10:20:30", "2027-03-31T10:20:30"),
                      ("2027-03-31T24:00:00", "2027-04-01T00:00:00"),
                      ("/Date(1700000000000)/", "2023-11-14T22:13:20Z"),
                      ("/Date(1700000000123+0130)/", "2023-11-14T23:43:20.123+01:30"),
                      ("/Date(-86400000)/", "1969-12-31T00:00:00Z"),
                      ("/Date(0+9959)/", "1970-01-05T03:59:00+99:59"),
                      ("/Date(0-9999)/", "1970-01-01T00:00:00Z"),
                      ("2024-01-15", "2024-01-15T00:00:00"), ("2024-01-15 10:30", "2024-01-15T10:30:00"),
                      ("2024-01-15 10:30:45", "2024-01-15T10:30:45"), ("01/15/2024", "2024-01-15T00:00:00"),
                      (" 1/5/2024 ", "2024-01-05T00:00:00"),
                      ("2027-03-31T00:00:00.12345678", "2027-03-31T00:00:00.1234568")])
    func dateTimeForms(text: String, expected: String) {
        let result = bindJSON(completeBody(#""CloseDate":""# + text + #"""#))
        #expect(result.model?.closeDate?.description == expected)
        #expect(result.errors.isEmpty)
    }

    @Test func dateTimeNumberIsError() {
        let result = bindJSON(#"{"CloseDate":20270331}"#)
        #expect(entryTexts(result).first ==
            "model.CloseDate: Unexpected character encountered while parsing value: 2. Path 'CloseDate', line 1, "
                + "position 14.")
    }

    @Test func dateTimeEmptyStringIsConversionError() {
        let result = bindJSON(#"{"CloseDate":""}"#)
        #expect(entryTexts(result).first ==
            "model.CloseDate: Error converting value {null} to type 'System.DateTime'. Path 'CloseDate', line 1, "
                + "position 15.")
    }

    @Test(arguments: ["2027-02-29", "2027-13-01T00:00:00", "2027-03-31T24:00:01", "tomorrow", "31/03/2027"])
    func dateTimeInvalidStrings(text: String) {
        let result = bindJSON(#"{"CloseDate":""# + text + #""}"#)
        #expect(result.errors.first?.message.hasPrefix("Could not convert string to DateTime: \(text).") == true)
    }

    @Test func customFieldSlotsAreNullable() {
        let items = #"[{"FieldName":"a","DoubleValue":null,"DatetimeValue":""},{"FieldName":"b","DoubleValue":"""#
            + #","DatetimeValue":null}]"#
        let result = bindJSON(completeBody(#""CustomFields":"# + items))
        #expect(result.model?.customFields?.count == 2)
        #expect(result.model?.customFields?.allSatisfy { $0.doubleValue == nil } == true)
        #expect(result.model?.customFields?.allSatisfy { $0.datetimeValue == nil } == true)
        #expect(result.errors.isEmpty)
    }

    @Test(arguments: [("4.1", 4.1), (#""1,000.5""#, 1000.5), ("012", 10.0), ("1e3", 1000.0), ("-2", -2.0)])
    func doubleForms(json: String, expected: Double) {
        let result = bindJSON(completeBody(#""CustomFields":[{"DoubleValue":"# + json + "}]"))
        #expect(result.model?.customFields?.first?.doubleValue == expected)
        #expect(result.errors.isEmpty)
    }

    @Test func doubleAcceptsNaN() {
        let result = bindJSON(completeBody(#""CustomFields":[{"DoubleValue":NaN}]"#))
        #expect(result.model?.customFields?.first?.doubleValue?.isNaN == true)
    }

    @Test func customFieldsNullOrEmptyStringIsNil() {
        #expect(bindJSON(completeBody(#""CustomFields":null"#)).model?.customFields == nil)
        #expect(bindJSON(completeBody(#""CustomFields":"""#)).model?.customFields == nil)
    }

    @Test func repeatedCustomFieldsAppend() {
        let result = bindJSON(completeBody(#""CustomFields":[{"FieldName":"a"}],"CustomFields":[{"FieldName":"b"}]"#))
        #expect(result.model?.customFields?.map(\.fieldName) == ["a", "b"])
    }
}
