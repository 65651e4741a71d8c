import Testing
@testable import KaptaMock

private typealias Support = XMLTestSupport

@Suite struct XMLModelBindingTests {
    static let realSample = """
        <UpdateOpportunityModel xmlns:i="http://www.w3.org/2001/XMLSchema-instance" \
        xmlns="http://schemas.datacontract.org/2004/07/KAPTA.Domain.ViewModel.v1">
        <CloseDate>2027-03-31T17:30:00.1234567-05:30</CloseDate>
        <CustomFields>
        <UDFFieldModel>
        <DatetimeValue>2027-01-31T08:00:00Z</DatetimeValue>
        <DoubleValue>0.75</DoubleValue>
        <FieldName>Probability</FieldName>
        <StringValue i:nil="true"/>
        <Type>Double</Type>
        </UDFFieldModel>
        <UDFFieldModel>
        <DatetimeValue i:nil="true"/>
        <DoubleValue i:nil="true"/>
        <FieldName>Region</FieldName>
        <StringValue>EMEA &amp; APAC</StringValue>
        <Type>String</Type>
        </UDFFieldModel>
        </CustomFields>
        <Description>Two-year renewal</Description>
        <Name>Renewal 2027</Name>
        <OpportunityID>OPP-2001</OpportunityID>
        <Stage>Negotiation</Stage>
        <Value>125000.50</Value>
        </UpdateOpportunityModel>
        """

    @Test func sampleBindsEveryMember() throws {
        let result = Support.read(Self.realSample)
        let model = try #require(result.model)
        #expect(result.errors.isEmpty)
        #expect(result.warnings.isEmpty)
        #expect(model.opportunityID == "OPP-2001")
        #expect(model.name == "Renewal 2027")
        #expect(model.description == "Two-year renewal")
        #expect(model.stage == "Negotiation")
        #expect(model.value?.description == "125000.50")
        #expect(model.value?.scale == 2)
        #expect(model.closeDate == DateTimeValue(year: 2027, month: 3, day: 31, hour: 17, minute: 30,
                                                 fraction: "1234567", zone: .offset(minutes: -330)))
        #expect(model.customFields?.count == 2)
    }

    @Test func sampleBindsCustomFieldItems() throws {
        let fields = try #require(Support.read(Self.realSample).model?.customFields)
        let first = UDFFieldModel(fieldName: "Probability", type: "Double", stringValue: nil, doubleValue: 0.75,
                                  datetimeValue: DateTimeValue(year: 2027, month: 1, day: 31, hour: 8, zone: .utc))
        let second = UDFFieldModel(fieldName: "Region", type: "String", stringValue: "EMEA & APAC",
                                   doubleValue: nil, datetimeValue: nil)
        #expect(fields.first == first)
        #expect(fields.last == second)
    }

    @Test func helpPageSampleBindsAsPrinted() throws {
        let sample = """
            <UpdateOpportunityModel xmlns:i="http://www.w3.org/2001/XMLSchema-instance" \
            xmlns="http://schemas.datacontract.org/2004/07/KAPTA.Domain.ViewModel.v1">
            <CloseDate>2025-12-15T21:04:08.10331+00:00</CloseDate>
            <CustomFields>
            <UDFFieldModel>
            <DatetimeValue>2025-12-15T21:04:08.10331+00:00</DatetimeValue>
            <DoubleValue>4.1</DoubleValue>
            <FieldName>sample string 1</FieldName>
            <StringValue>sample string 3</StringValue>
            <Type>sample string 2</Type>
            </UDFFieldModel>
            </CustomFields>
            <Description>sample string 3</Description>
            <Name>sample string 2</Name>
            <OpportunityID>sample string 1</OpportunityID>
            <Stage>sample string 6</Stage>
            <Value>5.1</Value>
            </UpdateOpportunityModel>
            """
        let model = try #require(Support.read(sample).model)
        let date = DateTimeValue(year: 2025, month: 12, day: 15, hour: 21, minute: 4, second: 8, fraction: "10331",
                                 zone: .offset(minutes: 0))
        #expect(model.closeDate == date)
        #expect(model.closeDate?.description == "2025-12-15T21:04:08.10331+00:00")
        #expect(model.value?.description == "5.1")
        #expect(model.name == "sample string 2")
        #expect(model.customFields?.first?.doubleValue == 4.1)
        #expect(model.customFields?.first?.datetimeValue == date)
    }

    @Test func textIsKeptVerbatim() {
        let model = Support.read(Support.model("<Name>  Renewal\n\t2027 </Name>")).model
        #expect(model?.name == "  Renewal\n\t2027 ")
    }

    @Test(arguments: [
        ("<Name/>", ""),
        ("<Name></Name>", ""),
        ("<Name><![CDATA[<b>bold</b> & more]]></Name>", "<b>bold</b> & more"),
        ("<Name>a<!-- note -->b</Name>", "ab"),
        ("<Name>x &lt;&gt;&amp;&quot;&apos; y</Name>", "x <>&\"' y"),
        ("<Name>&#65;&#x42;&#x1F600;</Name>", "AB\u{1F600}"),
        ("<Name>a\r\nb\rc</Name>", "a\nb\nc"),
        ("<Name><![CDATA[a\r\nb]]></Name>", "a\r\nb"),
    ])
    func nameText(members: String, expected: String) {
        #expect(Support.read(Support.model(members)).model?.name == expected)
    }

    @Test func nilGivesNullForReferenceMembers() throws {
        let members = "<CustomFields i:nil=\"true\"/><Description i:nil=\"1\"/><Name i:nil=\"true\">ignored</Name>"
        let model = try #require(Support.read(Support.model(members)).model)
        #expect(model.customFields == nil)
        #expect(model.description == nil)
        #expect(model.name == nil)
    }

    @Test func nilFalseReadsTheText() {
        #expect(Support.read(Support.model("<Name i:nil=\"false\">x</Name>")).model?.name == "x")
    }

    @Test func emptyCustomFieldsIsEmptyList() {
        #expect(Support.read(Support.model("<CustomFields/>")).model?.customFields == [])
    }

    @Test func emptyItemHasNoValues() {
        let fields = Support.read(Support.model("<CustomFields><UDFFieldModel/></CustomFields>")).model?.customFields
        #expect(fields == [UDFFieldModel()])
    }

    @Test func nilItemBindsEmptyItemWithWarning() {
        let result = Support.read(Support.model("<CustomFields><UDFFieldModel i:nil=\"true\"/></CustomFields>"))
        #expect(result.model?.customFields == [UDFFieldModel()])
        #expect(result.warnings.contains { $0.contains("CustomFields item 0 is i:nil") })
    }

    @Test func rootNilGivesNullModelWithoutError() {
        let result = Support.read("<UpdateOpportunityModel xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" "
            + "i:nil=\"true\" xmlns=\"\(Support.contractNamespace)\"/>")
        #expect(result.model == nil)
        #expect(result.errors.isEmpty)
    }

    @Test func emptyBodyGivesNullModelWithoutError() {
        let result = XMLModelReader.read(body: [], charset: nil)
        #expect(result == BindingResult(model: nil))
    }

    @Test func redeclaredPrefixIsRestoredAfterScope() {
        let xml = "<m:UpdateOpportunityModel xmlns:m=\"\(Support.contractNamespace)\">"
            + "<Extra xmlns:m=\"http://example.invalid/other\" xmlns=\"http://example.invalid/other\"><m:x/></Extra>"
            + "<m:Name>x</m:Name></m:UpdateOpportunityModel>"
        #expect(Support.read(xml).model?.name == "x")
    }

    @Test func prefixedElementsMatchByNamespace() {
        let xml = "<m:UpdateOpportunityModel xmlns:m=\"\(Support.contractNamespace)\"><m:Name>x</m:Name>"
            + "</m:UpdateOpportunityModel>"
        #expect(Support.read(xml).model?.name == "x")
    }
}

@Suite struct XMLMemberOrderTests {
    @Test func outOfOrderElementIsSkipped() throws {
        let result = Support.read(Support.model("<Stage>Proposal</Stage><Name>late</Name>"))
        let model = try #require(result.model)
        #expect(model.stage == "Proposal")
        #expect(model.name == nil)
        #expect(result.warnings.first?.contains("XML element 'Name' in UpdateOpportunityModel skipped: it comes "
            + "after 'Stage'") == true)
    }

    @Test func laterMembersStillBindAfterSkip() {
        let model = Support.read(Support.model("<Stage>Proposal</Stage><Name>late</Name><Value>7</Value>")).model
        #expect(model?.value?.description == "7")
    }

    @Test func repeatedElementKeepsFirst() throws {
        let result = Support.read(Support.model("<Name>first</Name><Name>second</Name>"))
        #expect(result.model?.name == "first")
        #expect(result.warnings.first?.contains("it repeats 'Name', and the service keeps the first one") == true)
    }

    @Test func otherCaseIsSkipped() throws {
        let result = Support.read(Support.model("<name>lower</name>"))
        #expect(result.model?.name == nil)
        #expect(result.warnings.first?.contains("case-sensitive, and the service expects 'Name'") == true)
    }

    @Test func otherNamespaceIsSkipped() throws {
        let result = Support.read(Support.model("<Name xmlns=\"http://example.invalid/other\">x</Name>"))
        #expect(result.model?.name == nil)
        #expect(result.warnings.first?.contains("it is in namespace 'http://example.invalid/other'") == true)
    }

    @Test func unknownElementIsSkippedWithContent() throws {
        let result = Support.read(Support.model("<Extra><Name>inner</Name><x/></Extra><Name>outer</Name>"))
        #expect(result.model?.name == "outer")
        #expect(result.warnings.first?.contains("XML element 'Extra' in UpdateOpportunityModel skipped: the "
            + "service has no member") == true)
    }

    @Test func warningNamesLineAndPosition() {
        let result = Support.read(Support.model("\n  <Extra/>"))
        #expect(result.warnings.first?.hasSuffix("(line 2, position 3)") == true)
    }

    @Test func itemMembersFollowTheirOwnOrder() throws {
        let item = "<UDFFieldModel><Type>String</Type><FieldName>Region</FieldName></UDFFieldModel>"
        let result = Support.read(Support.model("<CustomFields>\(item)</CustomFields>"))
        let field = try #require(result.model?.customFields?.first)
        #expect(field.type == "String")
        #expect(field.fieldName == nil)
        #expect(result.warnings.first?.contains("in CustomFields item 0 skipped: it comes after 'Type'") == true)
    }

    @Test func otherElementInCustomFieldsIsSkipped() {
        let items = "<Item/><UDFFieldModel><Type>T</Type></UDFFieldModel>"
        let result = Support.read(Support.model("<CustomFields>\(items)</CustomFields>"))
        #expect(result.model?.customFields?.count == 1)
        #expect(result.warnings.first?.contains("XML element 'Item' inside CustomFields skipped") == true)
    }

    @Test func skipWarningsAreCapped() {
        let members = String(repeating: "<Extra/>", count: 25)
        let warnings = Support.read(Support.model(members)).warnings
        #expect(warnings.filter { $0.contains("'Extra'") }.count == XMLModelBinder.maxListedSkips)
        #expect(warnings.contains("5 more skipped XML elements are not listed."))
    }
}

@Suite struct XMLDefaultsTests {
    @Test func missingCloseDateDefaultsWithWarning() throws {
        let result = Support.read(Support.model("<Value>1</Value>"))
        #expect(result.model?.closeDate == DateTimeValue.minValue)
        #expect(result.warnings == ["CloseDate missing in XML: the service does not reject this and stores "
            + "0001-01-01T00:00:00 (default(DateTime))."])
    }

    @Test func missingValueDefaultsWithWarning() throws {
        let result = Support.read(Support.model("<CloseDate>2027-01-01</CloseDate>"))
        #expect(result.model?.value == DecimalNumber.zero)
        #expect(result.warnings == ["Value missing in XML: the service does not reject this and stores 0."])
    }

    @Test func emptyRootHasBothDefaults() {
        let result = Support.read("<UpdateOpportunityModel xmlns=\"\(Support.contractNamespace)\"/>")
        #expect(result.model?.closeDate == DateTimeValue.minValue)
        #expect(result.model?.value == DecimalNumber.zero)
        #expect(result.warnings.count == 2)
    }

    @Test(arguments: [("CloseDate", "System.DateTime"), ("Value", "System.Decimal")])
    func nilOnValueTypeIsError(member: String, clrType: String) {
        let result = Support.read(Support.model("<\(member) i:nil=\"true\"/>"))
        #expect(result.model == nil)
        #expect(result.errors == [ModelStateEntry(key: "model", message: "ValueType '\(clrType)' cannot be null.",
                                                  isDeserializerError: true)])
    }

    @Test func invalidNilFlagIsError() {
        let result = Support.read(Support.model("<Name i:nil=\"yes\">x</Name>"))
        #expect(Support.errorMessage(result) == Support.deserializing
            + "The value 'yes' cannot be parsed as the type 'Boolean'.")
    }
}
