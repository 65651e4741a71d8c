import Dispatch
import Synchronization
import Testing
@testable import KaptaMock

/// The update itself: what is stored, stage and custom-field matching, visibility and
/// tenant isolation, and atomicity under concurrent PUTs, all over real sockets.
@Suite struct KaptaUpdateTests {
    /// The help page's JSON sample with the ids, stage and custom fields the default
    /// configuration defines.
    static let helpPageSample = """
        {
        "OpportunityID": "OPP-2001",
        "Name": "sample string 2",
        "Description": "sample string 3",
        "CloseDate": "2025-12-15T21:04:08.10331+00:00",
        "Value": 5.1,
        "Stage": "Proposal",
        "CustomFields": [
        {
        "FieldName": "Region",
        "Type": "String",
        "StringValue": "sample string 3",
        "DoubleValue": 4.1,
        "DatetimeValue": "2025-12-15T21:04:08.10331+00:00"
        },
        {
        "FieldName": "Probability",
        "Type": "Double",
        "StringValue": "sample string 3",
        "DoubleValue": 4.1,
        "DatetimeValue": "2025-12-15T21:04:08.10331+00:00"
        }
        ]
        }
        """

    @Test func helpPageSampleIsStoredAsSent() throws {
        try withKaptaServer { server in
            let response = try server.exchange(body: Self.helpPageSample)
            #expect(response.status == 200)
            let closeDate = DateTimeValue(year: 2025, month: 12, day: 15, hour: 21, minute: 4, second: 8,
                                          fraction: "10331", zone: .offset(minutes: 0))
            let expected = Opportunity(id: "OPP-2001", name: "sample string 2", description: "sample string 3",
                                       closeDate: closeDate, value: KaptaFixtures.decimal("5.1"), stage: "Proposal",
                                       customFields: [CustomFieldValue(fieldName: "Region", type: .string,
                                                                       stringValue: "sample string 3"),
                                                      CustomFieldValue(fieldName: "Probability", type: .double,
                                                                       doubleValue: 4.1)],
                                       version: 2)
            #expect(server.opportunity() == expected)
        }
    }

    @Test func storedValuesKeepScaleAndZone() throws {
        try withKaptaServer { server in
            let body = KaptaFixtures.body(["Value": "1.25E+3", "CloseDate": #""2027-05-01T08:30:00.1230000Z""#,
                                           "CustomFields": #"[{"FieldName":"renewal date","Type":"Datetime","#
                                               + #""DatetimeValue":"2028-01-01T00:00:00"}]"#])
            let response = try server.exchange(body: body)
            #expect(response.status == 200)
            let stored = server.opportunity()
            #expect(stored?.value.description == "1250")
            #expect(stored?.closeDate.description == "2027-05-01T08:30:00.1230000Z")
            #expect(stored?.customFields.first?.fieldName == "Renewal Date")
            #expect(stored?.customFields.first?.datetimeValue?.description == "2028-01-01T00:00:00")
        }
    }

    @Test(arguments: [#""negotiation""#, #""NEGOTIATION""#, #"" Negotiation ""#, #""closed won""#])
    func stageStoredInRegistrySpelling(stage: String) throws {
        try withKaptaServer { server in
            let response = try server.exchange(body: KaptaFixtures.body(["Stage": stage]))
            #expect(response.status == 200)
            let expected = stage.contains("closed") ? "Closed Won" : "Negotiation"
            #expect(server.opportunity()?.stage == expected)
        }
    }

    @Test(arguments: [#""Negotiations""#, #""Won""#])
    func undefinedStageIsRejected(stage: String) throws {
        try withKaptaServer { server in
            let response = try server.exchange(body: KaptaFixtures.body(["Stage": stage]))
            #expect(response.status == 400)
            #expect(response.bodyText.contains("is not defined. Defined stages: Prospecting, Qualification"))
            #expect(server.opportunity()?.version == 1)
        }
    }

    @Test func registriesAreIndependentPerTenant() throws {
        try withKaptaServer { server in
            let headers: KeyValuePairs<String, String> = ["Authorization": "token dave-token",
                                                          "Content-Type": "application/json"]
            let target = "/v1/account/ACC-9001/opportunity/OPP-9001"
            let won = KaptaFixtures.body(["OpportunityID": #""OPP-9001""#, "Stage": #""won""#, "CustomFields": nil])
            let accepted = try server.exchange(target: target, headers: headers, body: won)
            #expect(accepted.status == 200)
            #expect(server.opportunity(tenant: "umbrella", account: "ACC-9001", id: "OPP-9001")?.stage == "Won")
            let negotiation = KaptaFixtures.body(["OpportunityID": #""OPP-9001""#, "CustomFields": nil])
            let rejected = try server.exchange(target: target, headers: headers, body: negotiation)
            #expect(rejected.status == 400)
            #expect(rejected.bodyText.contains("Defined stages: New, Won, Lost."))
        }
    }

    @Test func customFieldsOfAnotherTenantAreUndefined() throws {
        try withKaptaServer { server in
            let body = KaptaFixtures.body(["OpportunityID": #""OPP-9001""#, "Stage": #""New""#])
            let response = try server.exchange(target: "/v1/account/ACC-9001/opportunity/OPP-9001",
                                               headers: ["Authorization": "token dave-token",
                                                         "Content-Type": "application/json"], body: body)
            #expect(response.status == 400)
            #expect(response.bodyText.contains(#""model.CustomFields[0].FieldName":["The custom field 'Region' is "#
                + #"not defined. Defined custom fields: (none)."]"#))
        }
    }

    /// Each item is looked up by hash: a scan of the definitions per item took 46 s for
    /// 20,000 items in a debug build, with the store's lock held.
    @Test func manyCustomFieldsAreStoredInOnePut() throws {
        try withKaptaServer { server in
            let count = 20_000
            let definitions = (0..<count).map { CustomFieldDefinition(name: "Field \($0)", type: .double) }
            _ = server.store.modify(tenant: "acme") { $0.customFields = definitions }
            let items = (0..<count).map { #"{"FieldName":"field \#($0)","Type":"Double","DoubleValue":\#($0)}"# }
            let body = KaptaFixtures.body(["CustomFields": "[" + items.joined(separator: ",") + "]"])
            let response = try server.exchange(body: body)
            #expect(response.status == 200)
            let stored = server.opportunity()?.customFields
            #expect(stored?.count == count)
            #expect(stored?.last == CustomFieldValue(fieldName: "Field 19999", type: .double, doubleValue: 19_999))
        }
    }

    @Test func undefinedCustomFieldErrorsAreBounded() throws {
        try withKaptaServer { server in
            let definitions = (0..<150).map { CustomFieldDefinition(name: "Field \($0)", type: .string) }
            _ = server.store.modify(tenant: "acme") { $0.customFields = definitions }
            let items = (0..<1_500).map { #"{"FieldName":"Missing \#($0)","Type":"String"}"# }
            let body = KaptaFixtures.body(["CustomFields": "[" + items.joined(separator: ",") + "]"])
            let response = try server.exchange(body: body)
            #expect(response.status == 400)
            let text = response.bodyText
            #expect(text.contains(#""model.CustomFields[999].FieldName""#))
            #expect(!text.contains(#""model.CustomFields[1000].FieldName""#))
            #expect(text.contains("The custom field 'Missing 0' is not defined. Defined custom fields: Field 0, Field 1, "))
            #expect(text.contains("Field 98, Field 99 and 50 more."))
            #expect(!text.contains("Field 100"))
            #expect(server.opportunity()?.version == 1)
        }
    }

    /// Long field names would make each of 1,000 messages long too, so the listing also stops
    /// at a byte budget. 100 names of 500 bytes once made a 50 MB response.
    @Test func longCustomFieldNamesAreBounded() throws {
        try withKaptaServer { server in
            let long = String(repeating: "n", count: 500)
            let definitions = (0..<100).map { CustomFieldDefinition(name: "\(long) \($0)", type: .string) }
            _ = server.store.modify(tenant: "acme") { $0.customFields = definitions }
            let items = (0..<1_000).map { #"{"FieldName":"G\#($0)","Type":"String"}"# }
            let body = KaptaFixtures.body(["CustomFields": "[" + items.joined(separator: ",") + "]"])
            let response = try server.exchange(body: body)
            #expect(response.status == 400)
            #expect(response.body.count < 3_000_000)
            #expect(response.bodyText.contains("\(long) 2 and 97 more."))
        }
    }

    @Test func tooLongCustomFieldNamesAreCounted() throws {
        try withKaptaServer { server in
            let definitions = [CustomFieldDefinition(name: String(repeating: "n", count: 3_000), type: .string)]
            _ = server.store.modify(tenant: "acme") { $0.customFields = definitions }
            let body = KaptaFixtures.body(["CustomFields": #"[{"FieldName":"G","Type":"String"}]"#])
            let response = try server.exchange(body: body)
            #expect(response.status == 400)
            #expect(response.bodyText.contains("Defined custom fields: 1 field whose name is too long to list."))
        }
    }

    /// Who may update which account: alice owns ACC-1001, bob owns ACC-1002 and manages
    /// alice, carol administers acme, dave belongs to another tenant.
    @Test(arguments: [("alice-token", "ACC-1001", "OPP-2001", 200), ("alice-token", "ACC-1002", "OPP-2002", 404),
                      ("bob-token", "ACC-1001", "OPP-2001", 200), ("bob-token", "ACC-1002", "OPP-2002", 200),
                      ("carol-token", "ACC-1001", "OPP-2001", 200), ("carol-token", "ACC-1002", "OPP-2002", 200),
                      ("dave-token", "ACC-1001", "OPP-2001", 404), ("dave-token", "ACC-1002", "OPP-2002", 404)])
    func visibility(token: String, account: String, opportunity: String, status: Int) throws {
        try withKaptaServer { server in
            let body = KaptaFixtures.body(["OpportunityID": "\"\(opportunity)\""])
            let response = try server.exchange(target: "/v1/account/\(account)/opportunity/\(opportunity)",
                                               headers: ["Authorization": "token \(token)",
                                                         "Content-Type": "application/json"], body: body)
            #expect(response.status == status)
            let stored = server.opportunity(account: account, id: opportunity)
            #expect(stored?.version == (status == 200 ? 2 : 1))
        }
    }

    @Test func concurrentPutsLeaveOneBodyInFull() throws {
        try withKaptaServer { server in
            let threads = 8
            let requestsPerThread = 1_000
            let failures = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                do {
                    let client = try RawHTTPClient(port: server.port, timeoutSeconds: 30)
                    for request in 0..<requestsPerThread {
                        let body = Array(Self.concurrentBody(thread: thread, request: request).utf8)
                        try client.send("PUT \(KaptaFixtures.opportunityPath) HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: token alice-token\r\nContent-Type: application/json\r\n"
                            + "Content-Length: \(body.count)\r\n\r\n")
                        try client.send(body)
                        if try client.readFinalResponse().status != 200 {
                            failures.add(1, ordering: .relaxed)
                        }
                    }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
            #expect(failures.load(ordering: .relaxed) == 0)
            let stored = try #require(server.opportunity())
            #expect(stored.version == 1 + threads * requestsPerThread)
            let parts = stored.name.split(separator: "-").compactMap { Int($0) }
            let winner = try #require(parts.count == 2 ? (parts[0], parts[1]) : nil)
            var expected = Self.expectedOpportunity(thread: winner.0, request: winner.1)
            expected.version = stored.version
            #expect(stored == expected)
        }
    }

    static func concurrentBody(thread: Int, request: Int) -> String {
        let stage = KaptaFixtures.acmeStages[(thread + request) % KaptaFixtures.acmeStages.count]
        return KaptaFixtures.body(["Name": "\"\(thread)-\(request)\"", "Description": "\"thread \(thread)\"",
                                   "Value": "\(thread).\(request)0", "Stage": "\"\(stage)\"",
                                   "CloseDate": "\"2027-0\(thread + 1)-1\(request % 10)T00:00:00Z\"",
                                   "CustomFields": "[{\"FieldName\":\"Probability\",\"Type\":\"Double\","
                                       + "\"DoubleValue\":\(request)}]"])
    }

    static func expectedOpportunity(thread: Int, request: Int) -> Opportunity {
        let stage = KaptaFixtures.acmeStages[(thread + request) % KaptaFixtures.acmeStages.count]
        return Opportunity(id: "OPP-2001", name: "\(thread)-\(request)", description: "thread \(thread)",
                           closeDate: KaptaFixtures.date("2027-0\(thread + 1)-1\(request % 10)T00:00:00Z"),
                           value: KaptaFixtures.decimal("\(thread).\(request)0"), stage: stage,
                           customFields: [CustomFieldValue(fieldName: "Probability", type: .double,
                                                           doubleValue: Double(request))])
    }
}
