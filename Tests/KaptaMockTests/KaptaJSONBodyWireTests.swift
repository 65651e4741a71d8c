import Testing
@testable import KaptaMock

/// Section 6 over a socket: the JSON body rules as a client sees them.
@Suite struct KaptaJSONBodyWireTests {
    static let lenientBodies = [
        "{/*c*/'OpportunityID':'OPP-2001', Name: \"N\", Stage: 'Proposal', // c\n CloseDate: '2027-01-01',"
            + " Value: 1,}",
        #"{"OpportunityID":"OPP-2001","Name":"N","Stage":"Proposal","CloseDate":"2027-01-01","Value":1} trailing"#,
        #"{"OpportunityID":"OPP-2001","Name":"N","Stage":"Proposal","CloseDate":"2027-01-01","Value":"1,234.50","#
            + #""Extra":{"a":[1,2,{"b":null}]}}"#,
    ]

    @Test(arguments: lenientBodies)
    func lenientBodiesAreAccepted(body: String) throws {
        let response = try exchange(body: body)
        #expect(response.status == 200)
        #expect(response.fields["Content-Type"] == nil)
        #expect(response.body.isEmpty)
    }

    @Test func numberForDateIsRejectedWithDetail() throws {
        let body = KaptaFixtures.body(["CloseDate": "20270331"])
        let response = try exchange(body: body, fidelity: FidelitySettings(errorDetail: true))
        let position = body.utf8.count - body.split(separator: "20270331")[1].utf8.count - 7
        #expect(response.status == 400)
        #expect(response.fields["Content-Type"] == jsonUTF8)
        #expect(response.bodyText == #"{"Message":"The request is invalid.","ModelState":{"model.CloseDate":["#
            + #""Unexpected character encountered while parsing value: 2. Path 'CloseDate', line 1, position "#
            + #"\#(position)."],"model":["Required property 'CloseDate' not found in JSON. Path '', line 1, "#
            + #"position \#(body.utf8.count)."]}}"#)
    }

    @Test func octalValueWarns() throws {
        try withKaptaServer { server in
            let response = try server.exchange(body: KaptaFixtures.body(["Value": "0777"]))
            #expect(response.status == 200)
            #expect(response.fields["X-Kapta-Mock-Warning"] ==
                "the number at 'Value' starts with 0 and was read as octal, as Json.NET does")
            #expect(server.opportunity()?.value.description == "511")
        }
    }

    @Test func roundedValueWarns() throws {
        try withKaptaServer { server in
            let response = try server.exchange(body: KaptaFixtures.body(["Value": "12345678901234567890.1234567891"]))
            #expect(response.status == 200)
            #expect(response.fields["X-Kapta-Mock-Warning"] == "the decimal at 'Value' does not fit .NET's decimal "
                + "(29 significant digits, 28 decimal places) and was rounded to 12345678901234567890.123456789")
            #expect(server.opportunity()?.value.description == "12345678901234567890.123456789")
        }
    }

    /// A value below .NET's smallest decimal step becomes 0. The warning must state that
    /// instead of blaming the digit count.
    @Test func tinyValueWarnsOfRoundingToZero() throws {
        try withKaptaServer { server in
            let response = try server.exchange(body: KaptaFixtures.body(["Value": "1e-40"]))
            #expect(response.status == 200)
            #expect(response.fields["X-Kapta-Mock-Warning"] == "the decimal at 'Value' does not fit .NET's decimal "
                + "(29 significant digits, 28 decimal places) and was rounded to 0")
            #expect(server.opportunity()?.value.description == "0")
        }
    }

    @Test func utf16BodyIsRead() throws {
        try withKaptaServer { server in
            let text = KaptaFixtures.body(["Name": #""Größe""#])
            let body = text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
            let response = try server.exchange(headers: ["Authorization": "token alice-token",
                                                         "Content-Type": "application/json; charset=utf-16"],
                                               body: body)
            #expect(response.status == 200)
            #expect(server.opportunity()?.name == "Größe")
        }
    }

    @Test func deepNestingIs400() throws {
        let response = try exchange(body: String(repeating: "[", count: 100_000))
        #expect(response.status == 400)
        #expect(response.fields["Content-Type"] == jsonUTF8)
        #expect(response.bodyText ==
            #"{"Message":"The request is invalid.","ModelState":{"model":["An error has occurred."]}}"#)
    }

    @Test func deepNestingInMemberIs400() throws {
        let response = try exchange(body: KaptaFixtures.body(["Extra": String(repeating: "[", count: 100_000)]))
        #expect(response.status == 400)
        #expect(response.bodyText.hasPrefix(#"{"Message":"The request is invalid.","ModelState":{"model.Extra[0][0]"#))
    }

    /// Every case-insensitive property match warns, so a body with many of them must not
    /// give one header field per warning.
    @Test func warningFieldsCapped() throws {
        let item = #"{"fieldname":"Region","type":"String","stringvalue":"EU"}"#
        let items = "[" + Array(repeating: item, count: 10).joined(separator: ",") + "]"
        try withKaptaServer { server in
            let response = try server.exchange(body: KaptaFixtures.body(["CustomFields": items]))
            #expect(response.status == 200)
            let warnings = response.fields.values(for: "X-Kapta-Mock-Warning")
            #expect(warnings.count == KaptaResponder.maxWarningFields + 1)
            #expect(warnings.last == "10 more warnings are in the request journal")
        }
    }
}
