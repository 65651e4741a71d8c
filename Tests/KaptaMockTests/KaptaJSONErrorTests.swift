import Testing
@testable import KaptaMock

/// Json.NET's messages, paths, lines and positions, and its recovery after an error.
@Suite struct KaptaJSONErrorTests {
    @Test func emptyObjectReportsRequiredValueTypes() {
        #expect(entryTexts(bindJSON("{}")) == [
            "model: Required property 'CloseDate' not found in JSON. Path '', line 1, position 2.",
            "model: Required property 'Value' not found in JSON. Path '', line 1, position 2.",
        ])
    }

    @Test func badDateKeepsReadingAndReportsRequired() {
        #expect(entryTexts(bindJSON(#"{"CloseDate":"tomorrow","Value":1}"#)) == [
            "model.CloseDate: Could not convert string to DateTime: tomorrow. Path 'CloseDate', line 1, position 23.",
            "model: Required property 'CloseDate' not found in JSON. Path '', line 1, position 34.",
        ])
    }

    @Test func keyKeepsClientSpelling() {
        let result = bindJSON(#"{"closedate":"2024-13-01","Value":1}"#)
        #expect(result.errors.first?.key == "model.closedate")
        #expect(result.errors.first?.message ==
            "Could not convert string to DateTime: 2024-13-01. Path 'closedate', line 1, position 25.")
    }

    @Test func positionOnLaterLine() {
        let result = bindJSON("{\r\n  \"CloseDate\": \"2027-01-01\",\n  \"Value\": \"abc\"\n}")
        #expect(entryTexts(result).first ==
            "model.Value: Could not convert string to decimal: abc. Path 'Value', line 3, position 16.")
    }

    @Test func positionCountsUTF16Units() {
        let result = bindJSON(#"{"Name":"é😀","CloseDate":"x","Value":1}"#)
        #expect(entryTexts(result).first ==
            "model.CloseDate: Could not convert string to DateTime: x. Path 'CloseDate', line 1, position 29.")
    }

    @Test func objectWhereStringBelongsEndsTheModel() {
        let result = bindJSON(#"{"Name":{"a":1},"Stage":"x"}"#)
        #expect(result.model == nil)
        #expect(entryTexts(result) == [
            "model.Name: Unexpected character encountered while parsing value: {. Path 'Name', line 1, position 9.",
            "model.Name: After parsing a value an unexpected character was encountered: :. Path 'Name', line 1, "
                + "position 12.",
        ])
    }

    @Test func badNumberDoesNotStopLaterMembers() {
        let result = bindJSON(#"{"Value":1.2.3,"Stage":"x","CloseDate":null}"#)
        #expect(result.model?.stage == "x")
        #expect(entryTexts(result) == [
            "model.Value: Input string '1.2.3' is not a valid decimal. Path 'Value', line 1, position 14.",
            "model.CloseDate: Error converting value {null} to type 'System.DateTime'. Path 'CloseDate', line 1, "
                + "position 43.",
            "model: Required property 'Value' not found in JSON. Path '', line 1, position 44.",
        ])
    }

    @Test func unexpectedCharacterInNumber() {
        let result = bindJSON(#"{"Value":12g}"#)
        #expect(entryTexts(result).first ==
            "model.Value: Unexpected character encountered while parsing number: g. Path 'Value', line 1, position 11.")
    }

    @Test func truncatedAfterValue() {
        let result = bindJSON(#"{"Name":"x""#)
        #expect(result.model?.name == "x")
        #expect(entryTexts(result) == [
            "model.Name: Unexpected end when deserializing object. Path 'Name', line 1, position 11.",
            "model.Name: Required property 'CloseDate' not found in JSON. Path 'Name', line 1, position 11.",
            "model.Name: Required property 'Value' not found in JSON. Path 'Name', line 1, position 11.",
        ])
    }

    @Test func truncatedBeforeValue() {
        let result = bindJSON(#"{"Name":"#)
        #expect(entryTexts(result).first == "model.Name: Unexpected end when setting Name's value. Path 'Name', line "
            + "1, position 8.")
    }

    @Test func unterminatedString() {
        let result = bindJSON(#"{"Name":"abc"#)
        #expect(entryTexts(result).first == #"model.Name: Unterminated string. Expected delimiter: ". Path 'Name', "#
            + #"line 1, position 12."#)
    }

    @Test func invalidPropertyCharacter() {
        let result = bindJSON(#"{"Name":"a",#}"#)
        #expect(result.model == nil)
        #expect(entryTexts(result) == ["model.Name: Invalid property identifier character: #. Path 'Name', line 1, "
            + "position 12."])
    }

    @Test func badEscape() {
        let result = bindJSON(#"{"Name":"a\qb"}"#)
        #expect(entryTexts(result).first == #"model.Name: Bad JSON escape sequence: \q. Path 'Name', line 1, "#
            + #"position 12."#)
    }

    @Test func rootArrayIsOneError() {
        let result = bindJSON("[]")
        #expect(result.model == nil)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.hasPrefix(
            "Cannot deserialize the current JSON array (e.g. [1,2,3]) into type "
                + "'KAPTA.Domain.ViewModel.v1.UpdateOpportunityModel'") == true)
        #expect(result.errors.first?.message.hasSuffix("JSON array.\r\nPath '', line 1, position 1.") == true)
    }

    @Test(arguments: [(#""abc""#, #"Error converting value "abc" to type "#
        + #"'KAPTA.Domain.ViewModel.v1.UpdateOpportunityModel'. Path '', line 1, position 5."#),
                      ("5", "Error converting value 5 to type 'KAPTA.Domain.ViewModel.v1.UpdateOpportunityModel'. "
                          + "Path '', line 1, position 1."),
                      ("true", "Error converting value True to type "
                          + "'KAPTA.Domain.ViewModel.v1.UpdateOpportunityModel'. Path '', line 1, position 4.")])
    func rootScalarIsConversionError(json: String, message: String) {
        let result = bindJSON(json)
        #expect(result.model == nil)
        #expect(result.errors.map(\.message) == [message])
    }

    @Test func customFieldsObjectIsArrayError() {
        let result = bindJSON(completeBody(#""CustomFields":{"a":1},"Description":"d""#))
        #expect(result.model?.description == "d")
        #expect(result.errors.first?.key == "model.CustomFields.a")
        #expect(result.errors.first?.message.hasPrefix("Cannot deserialize the current JSON object (e.g. "
            + "{\"name\":\"value\"}) "
            + "into type 'System.Collections.Generic.List`1[KAPTA.Domain.ViewModel.v1.UDFFieldModel]'") == true)
    }

    @Test func customFieldsStringIsConversionError() {
        let result = bindJSON(#"{"CustomFields":"abc"}"#)
        #expect(entryTexts(result).first == "model.CustomFields: Error converting value \"abc\" to type "
            + "'System.Collections.Generic.List`1[KAPTA.Domain.ViewModel.v1.UDFFieldModel]'. Path 'CustomFields', "
                + "line 1, position 21.")
    }

    @Test func customFieldItemErrorsUseIndexPaths() {
        let result = bindJSON(#"{"CustomFields":[{"DoubleValue":"abc"},5,{"FieldName":"x"}]}"#)
        #expect(result.model?.customFields?.map(\.fieldName) == [nil, "x"])
        #expect(Array(entryTexts(result).prefix(2)) == [
            "model.CustomFields[0].DoubleValue: Could not convert string to double: abc. Path "
                + "'CustomFields[0].DoubleValue', line 1, position 37.",
            "model.CustomFields[1]: Error converting value 5 to type 'KAPTA.Domain.ViewModel.v1.UDFFieldModel'. Path "
                + "'CustomFields[1]', line 1, position 40.",
        ])
    }

    @Test func nullCustomFieldItemIsKeptEmpty() {
        let result = bindJSON(completeBody(#""CustomFields":[null]"#))
        #expect(result.model?.customFields == [UDFFieldModel()])
        #expect(result.errors.isEmpty)
    }

    @Test func depth256IsAllowed() {
        let nested = String(repeating: "[", count: 255) + String(repeating: "]", count: 255)
        let result = bindJSON(completeBody(#""X":"# + nested))
        #expect(result.errors.isEmpty)
    }

    @Test func depth257IsError() {
        let nested = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        let result = bindJSON(completeBody(#""X":"# + nested))
        let path = "X" + String(repeating: "[0]", count: 255)
        // The position is that of the 256th `[`, after the body's other members and `"X":`.
        let position = completeBody("").count - 1 + 4 + 256
        #expect(result.errors.map(\.key) == ["model." + path])
        #expect(result.errors.first?.message ==
            "The reader's MaxDepth of 256 has been exceeded. Path '\(path)', line 1, position \(position).")
        #expect(result.model?.name == "N")
    }

    @Test func hundredThousandNestedArraysIsOneError() {
        let result = bindJSON(String(repeating: "[", count: 100_000))
        #expect(result.model == nil)
        #expect(result.errors.count == 1)
    }

    @Test func hundredThousandNestedArraysInMemberEndsCleanly() {
        let result = bindJSON(#"{"X":"# + String(repeating: "[", count: 100_000))
        #expect(result.errors.first?.message.hasPrefix("The reader's MaxDepth of 256 has been exceeded.") == true)
        #expect(result.errors.count == 4)
    }
}

@Suite struct KaptaJSONEncodingTests {
    @Test func invalidUTF8IsModelError() {
        let body: [UInt8] = Array(#"{"Name":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let result = JSONModelReader.read(body: body, charset: "utf-8")
        #expect(result.model == nil)
        #expect(entryTexts(result) == ["model: Unable to translate bytes [C3] at index 9 from specified code page to "
            + "Unicode."])
    }

    @Test func truncatedUTF8SequenceIsModelError() {
        let body: [UInt8] = Array(#"{"Name":"a"#.utf8) + [0xE2, 0x82]
        let result = JSONModelReader.read(body: body, charset: nil)
        #expect(entryTexts(result) == ["model: Unable to translate bytes [E2][82] at index 10 from specified code "
            + "page to Unicode."])
    }

    @Test func utf16BodyFromCharset() {
        let text = completeBody(#""Description":"é😀""#)
        let body = text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        let result = JSONModelReader.read(body: body, charset: "UTF-16")
        #expect(result.model?.description == "é😀")
        #expect(result.errors.isEmpty)
    }

    @Test func byteOrderMarkWinsOverCharset() {
        let text = completeBody(#""Description":"d""#)
        let bigEndian = text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
        let body: [UInt8] = [0xFE, 0xFF] + bigEndian
        let result = JSONModelReader.read(body: body, charset: "utf-8")
        #expect(result.model?.description == "d")
    }

    @Test func utf8ByteOrderMarkSkipped() {
        let body: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(completeBody(#""Name":"x""#).utf8)
        let result = JSONModelReader.read(body: body, charset: nil)
        #expect(result.model?.name == "x")
        #expect(result.errors.isEmpty)
    }

    @Test func otherCharsetReadsAsUTF8() {
        let result = JSONModelReader.read(body: Array(completeBody(#""Description":"é""#).utf8), charset: "iso-8859-1")
        #expect(result.model?.description == "é")
    }

    @Test func loneSurrogateInUTF16IsModelError() {
        let body: [UInt8] = [0x7B, 0x00, 0x00, 0xD8, 0x7D, 0x00]
        let result = JSONModelReader.read(body: body, charset: "utf-16")
        #expect(entryTexts(result) == ["model: Unable to translate bytes [00][D8] at index 2 from specified code page "
            + "to Unicode."])
    }

    @Test func oddUTF16LengthIsModelError() {
        let result = JSONModelReader.read(body: [0x7B, 0x00, 0x7D], charset: "utf-16")
        #expect(entryTexts(result) == ["model: Unable to translate bytes [7D] at index 2 from specified code page to "
            + "Unicode."])
    }
}

@Suite struct KaptaJSONErrorLimitTests {
    @Test func manyBadItemsStopAtTheLimit() {
        let items = Array(repeating: "5", count: 200_000).joined(separator: ",")
        let result = bindJSON(#"{"CustomFields":["# + items + "]}")
        #expect(result.errors.count == JSONModelBinder.maxErrorCount)
        #expect(result.errors.last?.key == "model.CustomFields[999]")
    }
}
