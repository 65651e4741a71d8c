import Testing
@testable import KaptaMock

/// XML request bodies through the whole endpoint over a real socket: binding, the stored
/// result, negotiated error bodies and warnings.
@Suite struct KaptaXMLBodyWireTests {
    static let namespace = "http://schemas.datacontract.org/2004/07/KAPTA.Domain.ViewModel.v1"

    /// The help page's XML sample with ids, stage and custom fields the default tenant defines.
    static let helpPageSample = """
        <UpdateOpportunityModel xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="\(namespace)">
        <CloseDate>2025-12-15T21:04:08.10331+00:00</CloseDate>
        <CustomFields>
        <UDFFieldModel>
        <DatetimeValue>2025-12-15T21:04:08.10331+00:00</DatetimeValue>
        <DoubleValue>4.1</DoubleValue>
        <FieldName>Renewal Date</FieldName>
        <StringValue>sample string 3</StringValue>
        <Type>Datetime</Type>
        </UDFFieldModel>
        <UDFFieldModel>
        <DatetimeValue>2025-12-15T21:04:08.10331+00:00</DatetimeValue>
        <DoubleValue>4.1</DoubleValue>
        <FieldName>probability</FieldName>
        <StringValue>sample string 3</StringValue>
        <Type>Double</Type>
        </UDFFieldModel>
        </CustomFields>
        <Description>sample string 3</Description>
        <Name>sample string 2</Name>
        <OpportunityID>OPP-2001</OpportunityID>
        <Stage>closed won</Stage>
        <Value>5.10</Value>
        </UpdateOpportunityModel>
        """

    static func model(_ members: String) -> String {
        "<UpdateOpportunityModel xmlns=\"\(namespace)\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + members + "</UpdateOpportunityModel>"
    }

    static let validMembers = "<CloseDate>2027-05-01T00:00:00</CloseDate><Description>xml body</Description>"
        + "<Name>Xml deal</Name><OpportunityID>OPP-2001</OpportunityID><Stage>negotiation</Stage><Value>99.5</Value>"

    static let xmlHeaders: KeyValuePairs<String, String> = ["Authorization": "token alice-token",
                                                            "Content-Type": "application/xml; charset=utf-8"]

    @Test func helpPageSampleStoredExactly() throws {
        try withKaptaServer { server in
            let response = try server.exchange(headers: Self.xmlHeaders, body: Self.helpPageSample)
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            #expect(response.fields["Content-Type"] == nil)
            let stored = try #require(server.opportunity())
            #expect(stored.name == "sample string 2")
            #expect(stored.description == "sample string 3")
            #expect(stored.closeDate.description == "2025-12-15T21:04:08.10331+00:00")
            #expect(stored.value.description == "5.10")
            #expect(stored.stage == "Closed Won")
            #expect(stored.customFields.count == 2)
            #expect(stored.customFields.first?.fieldName == "Renewal Date")
            #expect(stored.customFields.first?.datetimeValue?.description == "2025-12-15T21:04:08.10331+00:00")
            #expect(stored.customFields.last?.fieldName == "Probability")
            #expect(stored.customFields.last?.doubleValue == 4.1)
        }
    }

    @Test func xmlBodyWithoutAcceptSucceeds() throws {
        try withKaptaServer { server in
            let response = try server.exchange(headers: Self.xmlHeaders, body: Self.model(Self.validMembers))
            #expect(response.status == 200)
            #expect(server.opportunity()?.value.description == "99.5")
            #expect(server.opportunity()?.closeDate.description == "2027-05-01T00:00:00")
        }
    }

    @Test func wrongNamespaceGivesXMLError() throws {
        let body = "<UpdateOpportunityModel xmlns=\"http://example.invalid/wrong\"><Name>wrong ns</Name><Value>1</Value>"
            + "</UpdateOpportunityModel>"
        let response = try exchange(headers: ["Authorization": "token alice-token",
                                              "Content-Type": "application/xml; charset=utf-8", "Accept": "application/xml"],
                                    body: body)
        #expect(response.status == 400)
        #expect(response.fields["Content-Type"] == "application/xml; charset=utf-8")
        #expect(response.bodyText == "<Error><Message>The request is invalid.</Message><ModelState>"
            + "<model>An error has occurred.</model></ModelState></Error>")
    }

    @Test func wrongNamespaceDetailNamesTheNamespace() throws {
        let body = "<UpdateOpportunityModel xmlns=\"http://example.invalid/wrong\"><Name>x</Name></UpdateOpportunityModel>"
        let response = try exchange(headers: Self.xmlHeaders, body: body, fidelity: FidelitySettings(errorDetail: true))
        #expect(response.status == 400)
        #expect(response.bodyText == "<Error><Message>The request is invalid.</Message><ModelState><model>"
            + "Error in line 1 position 62. Expecting element 'UpdateOpportunityModel' from namespace "
            + "'\(Self.namespace)'.. Encountered 'Element'  with name 'UpdateOpportunityModel', namespace "
            + "'http://example.invalid/wrong'. </model></ModelState></Error>")
    }

    @Test func missingNameNegotiatesXMLFromContentType() throws {
        let members = "<CloseDate>2027-05-01T00:00:00</CloseDate><OpportunityID>OPP-2001</OpportunityID>"
            + "<Stage>Proposal</Stage><Value>1</Value>"
        let response = try exchange(headers: ["Authorization": "token alice-token", "Content-Type": "text/xml"],
                                    body: Self.model(members))
        #expect(response.status == 400)
        #expect(response.fields["Content-Type"] == "text/xml; charset=utf-8")
        #expect(response.bodyText == "<Error><Message>The request is invalid.</Message><ModelState>"
            + "<model.Name>The Name field is required.</model.Name></ModelState></Error>")
    }

    @Test(arguments: [
        ("DOCTYPE", "<?xml version=\"1.0\"?><!DOCTYPE UpdateOpportunityModel []>" + model(validMembers)),
        ("external entity", "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
            + model("<Name>&xxe;</Name>")),
        ("undefined entity", model("<Name>&nope;</Name>")),
        ("processing instruction", "<?xml-stylesheet href=\"a\"?>" + model(validMembers)),
        ("malformed", model("<Name>unclosed")),
        ("decimal with exponent", model("<Value>1e3</Value>")),
        ("nil on Value", model("<Value i:nil=\"true\"/>")),
        ("bad date", model("<CloseDate>2024-01-15 10:00</CloseDate>")),
        ("wrong root", "<Opportunity xmlns=\"\(namespace)\"/>"),
    ])
    func rejectedBodyGivesModelError(label: String, body: String) throws {
        try withKaptaServer { server in
            let before = server.opportunity()
            let response = try server.exchange(headers: Self.xmlHeaders, body: body)
            #expect(response.status == 400)
            #expect(response.bodyText == "<Error><Message>The request is invalid.</Message><ModelState>"
                + "<model>An error has occurred.</model></ModelState></Error>")
            #expect(server.opportunity() == before)
        }
    }

    @Test func outOfOrderElementSkippedWithWarning() throws {
        let members = "<CloseDate>2027-05-01T00:00:00</CloseDate><Name>Xml deal</Name><Description>skipped</Description>"
            + "<OpportunityID>OPP-2001</OpportunityID><Stage>Proposal</Stage><Value>2</Value>"
        try withKaptaServer { server in
            let response = try server.exchange(headers: Self.xmlHeaders, body: Self.model(members))
            #expect(response.status == 200)
            #expect(server.opportunity()?.description == nil)
            #expect(response.fields.values(for: "X-Kapta-Mock-Warning").contains { $0.contains("Description") })
        }
    }

    @Test func missingCloseDateAndValueStoreDefaults() throws {
        let members = "<Name>No date</Name><OpportunityID>OPP-2001</OpportunityID><Stage>Proposal</Stage>"
        try withKaptaServer { server in
            let response = try server.exchange(headers: Self.xmlHeaders, body: Self.model(members))
            #expect(response.status == 200)
            #expect(server.opportunity()?.closeDate.description == "0001-01-01T00:00:00")
            #expect(server.opportunity()?.value.description == "0")
            let warnings = response.fields.values(for: "X-Kapta-Mock-Warning")
            #expect(warnings.contains { $0.contains("CloseDate") })
            #expect(warnings.contains { $0.contains("Value") })
        }
    }

    @Test func utf16BodyWithCharset() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in Self.model(Self.validMembers).utf16 {
            bytes.append(UInt8(unit & 0xFF))
            bytes.append(UInt8(unit >> 8))
        }
        try withKaptaServer { server in
            let response = try server.exchange(headers: ["Authorization": "token alice-token",
                                                         "Content-Type": "application/xml; charset=utf-16"], body: bytes)
            #expect(response.status == 200)
            #expect(server.opportunity()?.name == "Xml deal")
        }
    }

    @Test func deepNestingRejectedAndServerServes() throws {
        let body = Self.model(String(repeating: "<a>", count: 100_000))
        try withKaptaServer { server in
            let response = try server.exchange(headers: Self.xmlHeaders, body: body)
            #expect(response.status == 400)
            let next = try server.exchange(headers: Self.xmlHeaders, body: Self.model(Self.validMembers))
            #expect(next.status == 200)
        }
    }

    /// A warning quotes the skipped element's name. A name of 100,000 characters must not
    /// become a header line that long, because clients reject such lines.
    @Test func warningFieldStaysShort() throws {
        let members = "<" + String(repeating: "N", count: 100_000) + "/>" + Self.validMembers
        try withKaptaServer { server in
            let response = try server.exchange(headers: Self.xmlHeaders, body: Self.model(members))
            #expect(response.status == 200)
            let warnings = response.fields.values(for: "X-Kapta-Mock-Warning")
            #expect(warnings.count == 1)
            #expect((warnings.first?.utf8.count ?? 0) <= KaptaResponder.maxWarningLength + 3)
            #expect(warnings.first?.hasSuffix("...") == true)
        }
    }
}
