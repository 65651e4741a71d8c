import Testing
@testable import KaptaMock

/// The body readers' fast paths: JSON strings scanned eight bytes at a time, and the XML
/// reader's unchecked byte loops, namespaces compared by bytes and single-node text.
@Suite struct KaptaJSONStringScanTests {
    /// Every string length around the eight-byte word, with the closing quote at each offset.
    @Test func plainStringsOfEveryLength() {
        for length in 0...24 {
            let text = String(repeating: "d", count: length)
            let result = bindJSON(completeBody(#""Description":""# + text + #"""#))
            #expect(result.model?.description == text, "length \(length)")
            #expect(result.errors.isEmpty, "length \(length)")
        }
    }

    /// An escape at each offset in the first word and the next, so the scan stops for it
    /// wherever it falls.
    @Test func escapeAtEveryOffset() {
        for offset in 0...17 {
            let before = String(repeating: "a", count: offset)
            let result = bindJSON(completeBody(#""Description":""# + before + #"\"b\\c\u00e9""#))
            #expect(result.model?.description == before + #""b\cé"#, "escape at \(offset)")
        }
    }

    @Test func nonASCIIAndRawLineBreaksAreKept() {
        let text = "Zürich € 😀 line\r\nnext\rlast\ttab"
        let result = bindJSON(completeBody(#""Description":""# + text + #"""#))
        #expect(result.model?.description == text)
    }

    @Test func singleQuotedStringStopsOnlyAtItsQuote() {
        let result = bindJSON(completeBody(#""Description":'say "hi" twice, then \'bye\''"#))
        #expect(result.model?.description == #"say "hi" twice, then 'bye'"#)
    }

    @Test func unterminatedLongStringReportsTheEnd() {
        let body = #"{"Name":"twenty-four characters long"#
        let result = bindJSON(body)
        #expect(entryTexts(result).first == "model.Name: Unterminated string. Expected delimiter: \". Path 'Name', "
            + "line 1, position \(body.utf16.count).")
    }

    @Test func nonASCIIWhiteSpaceBetweenTokens() {
        let result = bindJSON("{\u{A0}\"Name\"\u{3000}:\u{2028}\"x\"\u{85},\"Value\":1,\"CloseDate\":\"2027-01-01\"}")
        #expect(result.model?.name == "x")
        #expect(result.errors.isEmpty)
    }
}

@Suite struct KaptaXMLFastPathTests {
    private typealias Support = XMLTestSupport

    @Test func sharedNamespaceMakesDuplicateAttributes() {
        let members = #"<Name xmlns:p="urn:u" xmlns:q="urn:u" p:a="1" q:a="2">x</Name>"#
        let message = Support.errorMessage(Support.read(Support.model(members)))
        #expect(message?.contains("Duplicate attribute found. Both 'p:a' and 'q:a' are from the namespace 'urn:u'.")
            == true)
    }

    @Test func distinctNamespacesAreNotDuplicates() {
        let members = #"<Name xmlns:p="urn:u" xmlns:q="urn:v" p:a="1" q:a="2">x</Name>"#
        let result = Support.read(Support.model(members))
        #expect(result.errors.isEmpty)
        #expect(result.model?.name == "x")
    }

    @Test func prefixedContractNamespaceBinds() {
        let xml = #"<m:UpdateOpportunityModel xmlns:m=""# + Support.contractNamespace + #"">"#
            + "<m:Name>x</m:Name><Stage xmlns=\"\(Support.contractNamespace)\">s</Stage></m:UpdateOpportunityModel>"
        let result = Support.read(xml)
        #expect(result.model?.name == "x")
        #expect(result.model?.stage == "s")
    }

    @Test func emptyDefaultNamespaceIsNotTheContract() throws {
        let result = Support.read(Support.model(#"<Name xmlns="">x</Name><Stage>s</Stage>"#))
        #expect(result.model?.name == nil)
        #expect(result.model?.stage == "s")
        let warning = try #require(result.warnings.first)
        #expect(warning.hasPrefix("XML element 'Name' in UpdateOpportunityModel skipped: it is in namespace ''"))
    }

    /// Text of one node is taken whole, and several nodes (references, CDATA, line breaks) are joined.
    @Test(arguments: [("Zürich € 😀", "Zürich € 😀"), ("plain ASCII text", "plain ASCII text"),
                      ("a&amp;b&#x20AC;c", "a&b€c"), ("x<![CDATA[<y>]]>z", "x<y>z"), ("a\r\nb", "a\nb"),
                      ("&amp;", "&")])
    func textContentIsDecoded(text: String, expected: String) {
        let result = Support.read(Support.model("<Name>\(text)</Name>"))
        #expect(result.model?.name == expected)
    }

    @Test func invalidUTF8InTextIsAConversionError() {
        let body = Array(Support.model("<Name>a").utf8) + [0xC3, 0x28] + Array("</Name>\(Support.close)".utf8)
        let result = XMLModelReader.read(body: body, charset: nil)
        #expect(result.model == nil)
        #expect(result.errors.count == 1)
    }

    @Test func nonASCIIElementNameIsCheckedAndNamed() throws {
        let result = Support.read(Support.model("<Überschrift>x</Überschrift><Stage>s</Stage>"))
        #expect(result.model?.stage == "s")
        let warning = try #require(result.warnings.first)
        #expect(warning.hasPrefix("XML element 'Überschrift' in UpdateOpportunityModel skipped"))
    }

    @Test func customFieldOwnerIsNamedInWarnings() throws {
        let item = "<UDFFieldModel><Unknown>u</Unknown><FieldName>Region</FieldName></UDFFieldModel>"
        let result = Support.read(Support.model("<CustomFields>\(item)</CustomFields>"))
        #expect(result.model?.customFields?.first?.fieldName == "Region")
        let warning = try #require(result.warnings.first)
        #expect(warning.hasPrefix("XML element 'Unknown' in CustomFields item 0 skipped"))
    }

    @Test(arguments: [("\u{A0}2027-03-31T08:30:00.5Z\u{3000}", "2027-03-31T08:30:00.5Z"),
                      ("2027-03-31T08:30:00.5Z", "2027-03-31T08:30:00.5Z")])
    func closeDateWithNonASCIISpaceMatchesASCII(text: String, expected: String) {
        let result = Support.read(Support.model("<CloseDate>\(text)</CloseDate>"))
        #expect(result.model?.closeDate?.description == expected)
    }
}
