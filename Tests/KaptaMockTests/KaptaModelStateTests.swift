import Testing
@testable import KaptaMock

/// Section 8: ModelState bodies, with error detail off (the default) and on, in JSON and XML.
@Suite struct KaptaModelStateTests {
    static let detailOn = FidelitySettings(errorDetail: true)

    @Test func emptyObjectWithoutDetail() throws {
        let response = try exchange(body: "{}")
        #expect(response.status == 400)
        #expect(response.fields["Content-Type"] == jsonUTF8)
        #expect(response.bodyText == #"{"Message":"The request is invalid.","ModelState":{"model":["An error has "#
            + #"occurred.","#
            + #""An error has occurred."],"model.OpportunityID":["The OpportunityID field is required."],"#
            + #""model.Name":["The Name field is required."],"model.Stage":["The Stage field is required."]}}"#)
    }

    @Test func emptyObjectWithDetail() throws {
        let response = try exchange(body: "{}", fidelity: Self.detailOn)
        #expect(response.status == 400)
        #expect(response.bodyText == #"{"Message":"The request is invalid.","ModelState":{"model":["Required property "#
            + #"'CloseDate' not found in JSON. Path '', line 1, position 2.","Required property 'Value' not found in "#
                + #"JSON. "#
            + #"Path '', line 1, position 2."],"model.OpportunityID":["The OpportunityID field is required."],"#
            + #""model.Name":["The Name field is required."],"model.Stage":["The Stage field is required."]}}"#)
    }

    @Test(arguments: [#""""#, #""   ""#, "null"])
    func blankNameIsRequiredError(value: String) throws {
        let response = try exchange(body: KaptaFixtures.body(["Name": value]))
        #expect(response.status == 400)
        #expect(response.bodyText ==
            #"{"Message":"The request is invalid.","ModelState":{"model.Name":["The Name field is required."]}}"#)
    }

    @Test func missingStageIsRequiredError() throws {
        let response = try exchange(body: KaptaFixtures.body(["Stage": nil]))
        #expect(response.bodyText ==
            #"{"Message":"The request is invalid.","ModelState":{"model.Stage":["The Stage field is required."]}}"#)
    }

    @Test func bindingErrorsComeBeforeValidation() throws {
        let body = KaptaFixtures.body(["CloseDate": #""tomorrow""#, "Name": nil])
        let response = try exchange(body: body, fidelity: Self.detailOn)
        let position = body.utf8.count - body.split(separator: "tomorrow")[1].utf8.count + 1
        #expect(response.bodyText == #"{"Message":"The request is invalid.","ModelState":{"model.CloseDate":["Could "#
            + #"not "#
            + "convert string to DateTime: tomorrow. Path 'CloseDate', line 1, position \(position).\"],"
            + #""model":["Required property 'CloseDate' not found in JSON. Path '', line 1, position "#
                + #"\#(body.utf8.count)."],"#
            + #""model.Name":["The Name field is required."]}}"#)
    }

    @Test func sameKeyJoinsBindingAndValidation() throws {
        let response = try exchange(body: KaptaFixtures.body(["Name": "{}"]))
        #expect(response.bodyText == #"{"Message":"The request is invalid.","ModelState":{"model.Name":["An error "#
            + #"has occurred.","#
            + #""An error has occurred."]}}"#)
    }

    @Test func xmlFormWithoutDetail() throws {
        let response = try exchange(headers: ["Authorization": "token alice-token", "Content-Type": "application/json",
                                              "Accept": "application/xml"], body: "{}")
        #expect(response.fields["Content-Type"] == "application/xml; charset=utf-8")
        #expect(response.bodyText == "<Error><Message>The request is invalid.</Message><ModelState>"
            + "<model>An error has occurred. An error has occurred.</model>"
            + "<model.OpportunityID>The OpportunityID field is required.</model.OpportunityID>"
            + "<model.Name>The Name field is required.</model.Name>"
            + "<model.Stage>The Stage field is required.</model.Stage></ModelState></Error>")
    }

    @Test func xmlFormEscapesKeysAndText() throws {
        let items = #"[{"FieldName":"Region","Type":"Double"},{"FieldName":"<Nope>","Type":"String"}]"#
        let response = try exchange(headers: ["Authorization": "token alice-token", "Content-Type": "application/json",
                                              "Accept": "text/xml"], body: KaptaFixtures.body(["CustomFields": items]))
        #expect(response.status == 400)
        #expect(response.bodyText == "<Error><Message>The request is invalid.</Message><ModelState>"
            + "<model.CustomFields_x005B_0_x005D_.Type>The custom field 'Region' has type 'String', not 'Double'."
            + "</model.CustomFields_x005B_0_x005D_.Type>"
            + "<model.CustomFields_x005B_1_x005D_.FieldName>The custom field '&lt;Nope&gt;' is not defined. "
            + "Defined custom fields: Region, Probability, Renewal Date.</model.CustomFields_x005B_1_x005D_.FieldName>"
            + "</ModelState></Error>")
    }

    @Test func xmlDetailKeepsLineBreaks() throws {
        let response = try exchange(headers: ["Authorization": "token alice-token", "Content-Type": "application/json",
                                              "Accept": "application/xml"], body: "[]", fidelity: Self.detailOn)
        #expect(response.bodyText.hasPrefix("<Error><Message>The request is invalid.</Message><ModelState><model>"
            + "Cannot deserialize the current JSON array (e.g. [1,2,3]) into type"))
        #expect(response.bodyText.hasSuffix("JSON array.\r\nPath '', line 1, position 1.</model></ModelState></Error>"))
    }

    @Test func jsonDetailEscapesLineBreaks() throws {
        let response = try exchange(body: "[]", fidelity: Self.detailOn)
        #expect(response.bodyText.hasSuffix(#"JSON array.\r\nPath '', line 1, position 1."]}}"#))
    }

    @Test func invalidBytesWithoutDetail() throws {
        try withKaptaServer { server in
            let body = Array(#"{"Name":""#.utf8) + [0xFF] + Array(#""}"#.utf8)
            let response = try server.exchange(body: body)
            #expect(response.status == 400)
            #expect(response.bodyText ==
                #"{"Message":"The request is invalid.","ModelState":{"model":["An error has occurred."]}}"#)
        }
    }

    @Test func stageNotDefined() throws {
        let response = try exchange(body: KaptaFixtures.body(["Stage": #""Negotiations""#]))
        #expect(response.status == 400)
        #expect(response.fields["Content-Type"] == jsonUTF8)
        #expect(response.bodyText == #"{"Message":"The request is invalid.","ModelState":{"model.Stage":["The stage "#
            + #"'Negotiations' is not defined. Defined stages: Prospecting, Qualification, Proposal, Negotiation, "#
            + #"Closed Won, Closed Lost."]}}"#)
    }

    @Test func customFieldErrorsListEveryItem() throws {
        let items = #"[{"FieldName":"Nope","Type":"String"},{"FieldName":"probability","Type":"String"},null]"#
        let response = try exchange(body: KaptaFixtures.body(["CustomFields": items]))
        #expect(response.status == 400)
        #expect(response.bodyText == #"{"Message":"The request is invalid.","ModelState":{"#
            + #""model.CustomFields[0].FieldName":["The custom field 'Nope' is not defined. Defined custom fields: "#
            + #"Region, Probability, Renewal Date."],"model.CustomFields[1].Type":["The custom field 'Probability' "#
            + #"has type 'Double', not 'String'."],"model.CustomFields[2].FieldName":["The custom field '' is not "#
            + #"defined. Defined custom fields: Region, Probability, Renewal Date."]}}"#)
    }
}
