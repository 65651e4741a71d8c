import Testing
@testable import KaptaMock

@Suite struct AdminHealthTests {
    @Test func reportsStatusAndVersion() {
        let reply = HandlerExchange().send("GET", "/__admin/health")
        #expect(reply.status == 200)
        #expect(reply.fields["Content-Type"] == "application/json; charset=utf-8")
        #expect(reply.object["status"] as? String == "ok")
        #expect(reply.object["version"] as? String == KaptaMockVersion.current)
        #expect(reply.object["uptimeSeconds"] as? Int == 0)
    }

    @Test func rejectsWrongMethodWithAllow() {
        let reply = HandlerExchange().send("POST", "/__admin/health")
        #expect(reply.status == 405)
        #expect(reply.fields["Allow"] == "GET")
        #expect(reply.text == #"{"error":"method POST is not allowed here; allowed: GET"}"#)
    }

    @Test func rejectsUnknownRoute() {
        let reply = HandlerExchange().send("GET", "/__admin/nothing")
        #expect(reply.status == 404)
        #expect(reply.object["error"] as? String == "no admin route matches \"/__admin/nothing\"; routes: "
            + "/__admin/health, /__admin/reset, /__admin/tenants, /__admin/requests, /__admin/faults")
    }

    @Test func rejectsUnknownQueryParameter() {
        let reply = HandlerExchange().send("GET", "/__admin/requests?limt=5")
        #expect(reply.status == 400)
        #expect(reply.object["error"] as? String == "unknown query parameter \"limt\"; allowed: limit, since")
    }
}

@Suite struct AdminTokenTests {
    private func exchange() -> HandlerExchange {
        var configuration = KaptaMockConfiguration.default
        configuration.admin.token = "s3cret"
        return HandlerExchange(configuration: configuration)
    }

    @Test func rejectsMissingToken() {
        let reply = exchange().send("GET", "/__admin/health")
        #expect(reply.status == 401)
        #expect(reply.fields["WWW-Authenticate"] == #"Bearer realm="kapta-mock admin""#)
        #expect(reply.text == #"{"error":"the admin API requires Authorization: Bearer <admin token>"}"#)
    }

    @Test func rejectsWrongToken() {
        let reply = exchange().send("GET", "/__admin/health", headers: [("Authorization", "Bearer s3crex")])
        #expect(reply.status == 401)
    }

    @Test func acceptsBearerToken() {
        let reply = exchange().send("GET", "/__admin/health", headers: [("Authorization", "bearer s3cret")])
        #expect(reply.status == 200)
    }

    @Test func decidesBeforeBody() {
        let handler = exchange().handler
        let head = HTTPRequestHead(method: "PUT", target: "/__admin/tenants/x", version: .http1_1, fields: HTTPFields())
        let context = RequestContext(remoteAddress: "", connectionID: 1, receivedAt: 0, logger: .disabled)
        #expect(handler.responseBeforeBody(to: head, context: context)?.status.code == 401)
    }
}

@Suite struct AdminTenantTests {
    /// Sends a Kapta PUT of OPP-2001 as alice, the way a client under test changes data.
    private static func updateOpportunity(_ exchange: HandlerExchange, body: String) -> HandlerExchange.Reply {
        let headers = [("Authorization", "token alice-token"), ("Content-Type", "application/json")]
        return exchange.send("PUT", "/v1/account/ACC-1001/opportunity/OPP-2001", headers: headers, body: body)
    }

    @Test func listsTenants() {
        let reply = HandlerExchange().send("GET", "/__admin/tenants")
        #expect(reply.text == #"{"tenants":["acme","umbrella"]}"#)
    }

    @Test func returnsTenantInConfigShape() throws {
        let reply = HandlerExchange().send("GET", "/__admin/tenants/umbrella")
        #expect(reply.status == 200)
        #expect(reply.text == #"{"id":"umbrella","stages":["New","Won","Lost"],"customFields":[],"users":[{"id":"u-dave","#
            + #""email":"dave@umbrella.example","password":"dave-pass","token":"dave-token","scope":"administrator","team":[]}],"#
            + #""applications":[],"authorizeUser":null,"accounts":[{"id":"ACC-9001","name":"Umbrella Pharma","owner":"u-dave","#
            + #""opportunities":[{"id":"OPP-9001","name":"Supply Contract","description":null,"closeDate":"2027-09-30T00:00:00Z","#
            + #""value":"90000.00","stage":"New","customFields":[],"version":1}]}]}"#)
    }

    /// The PUT accepts what the GET returned. Each opportunity counts as written again, so
    /// its version goes from 1 to 2 and nothing else changes.
    @Test func roundTripsTenantThroughPut() {
        let exchange = HandlerExchange()
        let original = exchange.send("GET", "/__admin/tenants/acme").text
        #expect(original.contains(#""version":1"#))
        let put = exchange.send("PUT", "/__admin/tenants/acme", body: original)
        #expect(put.status == 200)
        #expect(put.text == original.replacing(#""version":1"#, with: #""version":2"#))
    }

    /// A tenant PUT ignores the versions in its body, as the opportunity PUT does: a replaced
    /// opportunity gets the stored version plus one, a new one gets 1, so a version written
    /// by the Kapta PUT never goes down.
    @Test func replacingTenantIncrementsVersions() throws {
        let exchange = HandlerExchange()
        let update = Self.updateOpportunity(exchange, body: opportunityBody)
        #expect(update.status == 200)
        let opportunityPath = "/__admin/tenants/acme/accounts/ACC-1001/opportunities/OPP-2001"
        #expect(exchange.send("GET", opportunityPath).object["version"] as? Int == 2)

        let tenant = exchange.send("GET", "/__admin/tenants/acme").text
        let newOpportunity = #"{"id":"OPP-NEW","name":"New","closeDate":"2028-01-01","value":"1","stage":"Proposal","#
            + #""version":7},"#
        let changed = tenant.replacing(#""version":2"#, with: #""version":1"#)
            .replacing(#""name":"Renewal 2027""#, with: #""name":"Changed by tenant PUT""#)
            .replacing(#""opportunities":["#, with: #""opportunities":["# + newOpportunity, maxReplacements: 1)
        #expect(changed != tenant)
        let replaced = exchange.send("PUT", "/__admin/tenants/acme", body: changed)
        #expect(replaced.status == 200)

        let stored = exchange.send("GET", opportunityPath).object
        #expect(stored["name"] as? String == "Changed by tenant PUT")
        #expect(stored["version"] as? Int == 3)
        let created = exchange.send("GET", "/__admin/tenants/acme/accounts/ACC-1001/opportunities/OPP-NEW").object
        #expect(created["version"] as? Int == 1)
        let untouched = exchange.send("GET", "/__admin/tenants/acme/accounts/ACC-1002/opportunities/OPP-2002").object
        #expect(untouched["version"] as? Int == 2)
    }

    /// The tenant reader rejects undefined stages even in GET output, as the README states, so
    /// a stage dropped from the registry must be restored or replaced before the PUT.
    @Test func droppedStageBreaksRoundTrip() {
        let exchange = HandlerExchange()
        let stages = exchange.send("PUT", "/__admin/tenants/acme/stages", body: #"{"stages":["Open","Won"]}"#)
        #expect(stages.status == 200)
        let tenant = exchange.send("GET", "/__admin/tenants/acme").text
        let rejected = exchange.send("PUT", "/__admin/tenants/acme", body: tenant)
        #expect(rejected.status == 400)
        #expect((rejected.object["error"] as? String)?.hasPrefix(#"stage "Negotiation" is not defined"#) == true)

        let restored = tenant.replacing(#""stages":["Open","Won"]"#,
                                        with: #""stages":["Open","Won","Proposal","Negotiation"]"#)
        #expect(exchange.send("PUT", "/__admin/tenants/acme", body: restored).status == 200)
    }

    /// Every write at the maximum version keeps it, so the tenant GET output still reads back.
    @Test func versionStaysAtMaximum() throws {
        var configuration = KaptaMockConfiguration.default
        let tenantIndex = try #require(configuration.tenants.firstIndex { $0.id == "acme" })
        let accountIndex = try #require(configuration.tenants[tenantIndex].accounts.firstIndex { $0.id == "ACC-1001" })
        configuration.tenants[tenantIndex].accounts[accountIndex].opportunities[0].version = 2_147_483_647
        let exchange = HandlerExchange(configuration: configuration)
        let opportunityPath = "/__admin/tenants/acme/accounts/ACC-1001/opportunities/OPP-2001"

        #expect(Self.updateOpportunity(exchange, body: opportunityBody).status == 200)
        #expect(exchange.send("GET", opportunityPath).object["version"] as? Int == 2_147_483_647)

        let tenant = exchange.send("GET", "/__admin/tenants/acme").text
        let replaced = exchange.send("PUT", "/__admin/tenants/acme", body: tenant)
        #expect(replaced.status == 200)
        #expect(exchange.send("GET", opportunityPath).object["version"] as? Int == 2_147_483_647)

        let opportunity = exchange.send("GET", opportunityPath).text
        let rewritten = exchange.send("PUT", opportunityPath, body: opportunity)
        #expect(rewritten.status == 200)
        #expect(rewritten.object["version"] as? Int == 2_147_483_647)
    }

    /// The Kapta PUT stores names and custom field values as Json.NET read them, control
    /// characters and surrounding white space included. The tenant GET writes them as JSON
    /// escapes, and the tenant PUT accepts that output.
    @Test func roundTripsControlCharactersAndWhiteSpace() throws {
        let exchange = HandlerExchange()
        let body = #"{"OpportunityID":"OPP-2001","Name":" a\u0001b\t","Description":"\u0002","#
            + #""CloseDate":"2027-03-31T00:00:00Z","Value":1,"Stage":"Proposal","#
            + #""CustomFields":[{"FieldName":"Region","Type":"String","StringValue":"\u001f "}]}"#
        let update = Self.updateOpportunity(exchange, body: body)
        #expect(update.status == 200)
        let tenant = exchange.send("GET", "/__admin/tenants/acme").text
        #expect(tenant.contains(#""name":" a\u0001b\t""#))

        let replaced = exchange.send("PUT", "/__admin/tenants/acme", body: tenant)
        #expect(replaced.status == 200)
        let stored = try #require(exchange.handler.store.tenant("acme")?.accounts.first?.opportunities.first)
        #expect(stored.name == " a\u{1}b\t")
        #expect(stored.description == "\u{2}")
        #expect(stored.customFields.first?.stringValue == "\u{1F} ")
    }

    /// Json.NET reads the literals Infinity, -Infinity and NaN into a double. JSON numbers
    /// cannot express them, so the admin API writes them as strings and reads them back.
    @Test(arguments: [("Infinity", Double.infinity), ("-Infinity", -Double.infinity), ("NaN", Double.nan)])
    func roundTripsNonFiniteDouble(literal: String, expected: Double) throws {
        let exchange = HandlerExchange()
        let body = #"{"OpportunityID":"OPP-2001","Name":"Renewal","CloseDate":"2027-03-31T00:00:00Z","Value":1,"#
            + #""Stage":"Proposal","CustomFields":[{"FieldName":"Probability","Type":"Double","DoubleValue":"#
            + literal + "}]}"
        let update = Self.updateOpportunity(exchange, body: body)
        #expect(update.status == 200)
        let shown = exchange.send("GET", "/__admin/tenants/acme/accounts/ACC-1001/opportunities/OPP-2001").text
        #expect(shown.contains(#""doubleValue":""# + literal + #"""#))

        let tenant = exchange.send("GET", "/__admin/tenants/acme").text
        let replaced = exchange.send("PUT", "/__admin/tenants/acme", body: tenant)
        #expect(replaced.status == 200)
        let stored = exchange.handler.store.tenant("acme")?.accounts.first?.opportunities.first?.customFields.first
        let value = try #require(stored?.doubleValue)
        #expect(value.isNaN == expected.isNaN)
        #expect(value.isNaN || value == expected)
    }

    /// Json.NET accepts zone offsets up to 99:99 in /Date(ms±hhmm)/. Those beyond 99:59 are
    /// kept in UTC, so the stored date stays ISO 8601 and the tenant GET output reads back.
    @Test func roundTripsWideDateOffset() {
        let exchange = HandlerExchange()
        let body = #"{"OpportunityID":"OPP-2001","Name":"Renewal","CloseDate":"/Date(0-9999)/","Value":1,"#
            + #""Stage":"Proposal"}"#
        let update = Self.updateOpportunity(exchange, body: body)
        #expect(update.status == 200)
        let stored = exchange.send("GET", "/__admin/tenants/acme/accounts/ACC-1001/opportunities/OPP-2001")
        #expect(stored.object["closeDate"] as? String == "1970-01-01T00:00:00Z")
        let tenant = exchange.send("GET", "/__admin/tenants/acme").text
        let replaced = exchange.send("PUT", "/__admin/tenants/acme", body: tenant)
        #expect(replaced.status == 200)
    }

    @Test func createsTenant() {
        let exchange = HandlerExchange()
        let body = #"{"stages":["Open"],"users":[{"id":"u-eve","email":"eve@x.example","password":"p","token":"eve-token","scope":"self"}]}"#
        let reply = exchange.send("PUT", "/__admin/tenants/initrode", body: body)
        #expect(reply.status == 201)
        #expect(exchange.handler.store.principal(forToken: "eve-token")?.tenantID == "initrode")
    }

    @Test func rejectsInvalidTenantWithPath() {
        let body = #"{"users":[{"id":"u-eve","email":"eve@x.example","password":"p","token":"t","scope":"boss"}]}"#
        let reply = HandlerExchange().send("PUT", "/__admin/tenants/initrode", body: body)
        #expect(reply.status == 400)
        #expect(reply.text == #"{"error":"invalid value \"boss\"; allowed values: self, manager, administrator","path":"$.users[0].scope"}"#)
    }

    /// RFC 6749, 3.1.2 forbids a fragment in a redirection URI: the authorize step would add
    /// the code after the `#`, where the client never sees it.
    @Test func rejectsRedirectURIWithFragment() {
        let exchange = HandlerExchange()
        let tenant = #"{"users":[{"id":"u","email":"u@example.com","password":"p","token":"fragment-token","#
            + #""scope":"self"}],"applications":[{"clientId":"fragment-client","clientSecret":"s","#
            + #""redirectUri":"http://localhost:9/cb#section"}],"authorizeUser":"u"}"#
        let created = exchange.send("PUT", "/__admin/tenants/fragment", body: tenant)
        #expect(created.status == 400)
        #expect(created.object["path"] as? String == "$.applications[0].redirectUri")
        #expect((created.object["error"] as? String)?.contains("must not contain a fragment") == true)

        let authorize = exchange.send("GET", "/auth/login/authorize?client_id=fragment-client"
            + "&redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fcb%23section&state=s")
        #expect(authorize.status == 400)
        #expect(authorize.fields["Location"] == nil)
    }

    @Test func rejectsTokenOfAnotherTenant() {
        let body = #"{"users":[{"id":"u-eve","email":"eve@x.example","password":"p","token":"alice-token","scope":"self"}]}"#
        let reply = HandlerExchange().send("PUT", "/__admin/tenants/initrode", body: body)
        #expect(reply.status == 400)
        #expect(reply.object["path"] as? String == "$.users[0].token")
    }

    @Test func rejectsMismatchedID() {
        let reply = HandlerExchange().send("PUT", "/__admin/tenants/initrode", body: #"{"id":"acme"}"#)
        #expect(reply.object["error"] as? String == "the id in the body does not match the tenant \"initrode\" in the URL; "
            + "leave it out or make them equal")
    }

    @Test func rejectsBrokenJSON() {
        let reply = HandlerExchange().send("PUT", "/__admin/tenants/x", body: "{\"stages\":[\"a\",]}")
        #expect(reply.status == 400)
        #expect(reply.text == #"{"error":"line 1, column 16: invalid JSON: unexpected ']'; expected a JSON value","path":"$.stages[1]"}"#)
    }

    @Test func rejectsEmptyBody() {
        let reply = HandlerExchange().send("PUT", "/__admin/tenants/x")
        #expect(reply.text == #"{"error":"the request body is empty; expected a JSON object"}"#)
    }

    @Test func deletesTenant() {
        let exchange = HandlerExchange()
        #expect(exchange.send("DELETE", "/__admin/tenants/umbrella").status == 204)
        #expect(exchange.send("GET", "/__admin/tenants/umbrella").status == 404)
        #expect(exchange.handler.store.principal(forToken: "dave-token") == nil)
    }

    @Test func reportsUnknownTenant() {
        let reply = HandlerExchange().send("DELETE", "/__admin/tenants/nobody")
        #expect(reply.status == 404)
        #expect(reply.text == #"{"error":"tenant \"nobody\" not found"}"#)
    }
}

@Suite struct AdminStageTests {
    @Test func returnsStages() {
        let reply = HandlerExchange().send("GET", "/__admin/tenants/umbrella/stages")
        #expect(reply.text == #"{"stages":["New","Won","Lost"]}"#)
    }

    @Test func replacesStages() {
        let exchange = HandlerExchange()
        let reply = exchange.send("PUT", "/__admin/tenants/umbrella/stages", body: #"{"stages":["Open","Done"]}"#)
        #expect(reply.status == 200)
        #expect(exchange.handler.store.tenant("umbrella")?.stages == ["Open", "Done"])
    }

    @Test func rejectsDuplicateStage() {
        let reply = HandlerExchange().send("PUT", "/__admin/tenants/umbrella/stages", body: #"{"stages":["Open","OPEN"]}"#)
        #expect(reply.status == 400)
        #expect(reply.object["path"] as? String == "$.stages[1]")
    }

    /// The duplicate check is one hash lookup per stage, so 30,000 stages take well under a
    /// second. Comparing every pair took about a minute on a 2-core VM, and the event loop
    /// served nothing else meanwhile. If a pairwise check comes back, this test takes as long.
    @Test func replacesLargeRegistry() {
        let exchange = HandlerExchange()
        let names = (0..<30_000).map { "\"Stage \($0)\"" }
        let reply = exchange.send("PUT", "/__admin/tenants/umbrella/stages",
                                  body: #"{"stages":["# + names.joined(separator: ",") + "]}")
        #expect(reply.status == 200)
        #expect(exchange.handler.store.tenant("umbrella")?.stages.count == 30_000)
        #expect(exchange.handler.store.tenant("umbrella")?.stages.last == "Stage 29999")
    }

    @Test func rejectsDuplicateAtEndOfLargeRegistry() {
        let names = (0..<30_000).map { "\"Stage \($0)\"" } + [#""STAGE 0""#]
        let reply = HandlerExchange().send("PUT", "/__admin/tenants/umbrella/stages",
                                           body: #"{"stages":["# + names.joined(separator: ",") + "]}")
        #expect(reply.status == 400)
        #expect(reply.object["path"] as? String == "$.stages[30000]")
        #expect(reply.object["error"] as? String == #"duplicate stage "STAGE 0"; stages are matched "#
            + #"case-insensitively, so it repeats "Stage 0""#)
    }

    @Test func rejectsDelete() {
        let reply = HandlerExchange().send("DELETE", "/__admin/tenants/umbrella/stages")
        #expect(reply.status == 405)
        #expect(reply.fields["Allow"] == "GET, PUT")
    }
}

@Suite struct AdminOpportunityTests {
    private let path = "/__admin/tenants/acme/accounts/ACC-1001/opportunities/OPP-2001"

    @Test func returnsStoredOpportunity() {
        let reply = HandlerExchange().send("GET", path)
        #expect(reply.text == #"{"id":"OPP-2001","name":"Renewal 2027","description":null,"#
            + #""closeDate":"2027-03-31T00:00:00+00:00","value":"125000.50","stage":"Negotiation","customFields":[],"version":1}"#)
    }

    @Test func matchesIDsCaseInsensitively() {
        let reply = HandlerExchange().send("GET", "/__admin/tenants/acme/accounts/acc-1001/opportunities/opp-2001")
        #expect(reply.status == 200)
    }

    @Test func replacesAndIncrementsVersion() {
        let exchange = HandlerExchange()
        let body = #"{"name":"Renewal","closeDate":"2028-01-01T00:00:00.1234567Z","value":"1.25E+3","stage":"proposal","#
            + #""customFields":[{"fieldName":"region","type":"String","stringValue":"EMEA"}],"version":99}"#
        let reply = exchange.send("PUT", path, body: body)
        #expect(reply.status == 200)
        #expect(reply.text == #"{"id":"OPP-2001","name":"Renewal","description":null,"closeDate":"2028-01-01T00:00:00.1234567Z","#
            + #""value":"1250","stage":"Proposal","customFields":[{"fieldName":"Region","type":"String","stringValue":"EMEA"}],"#
            + #""version":2}"#)
    }

    @Test func createsOpportunity() {
        let exchange = HandlerExchange()
        let body = #"{"name":"New","closeDate":"2028-01-01","value":7,"stage":"Proposal"}"#
        let reply = exchange.send("PUT", "/__admin/tenants/acme/accounts/ACC-1001/opportunities/OPP-3000", body: body)
        #expect(reply.status == 201)
        #expect(reply.object["version"] as? Int == 1)
        #expect(exchange.send("GET", "/__admin/tenants/acme/accounts/ACC-1001/opportunities/OPP-3000").status == 200)
    }

    @Test func rejectsIDOfAnotherAccount() {
        let body = #"{"name":"New","closeDate":"2028-01-01","value":7,"stage":"Proposal"}"#
        let reply = HandlerExchange().send("PUT", "/__admin/tenants/acme/accounts/ACC-1001/opportunities/OPP-2002", body: body)
        #expect(reply.status == 409)
        #expect(reply.object["error"] as? String == "opportunity \"OPP-2002\" already exists in account \"ACC-1002\"; "
            + "opportunity ids are unique in a tenant")
    }

    @Test func rejectsUndefinedStage() {
        let body = #"{"name":"N","closeDate":"2028-01-01","value":7,"stage":"Won"}"#
        let reply = HandlerExchange().send("PUT", path, body: body)
        #expect(reply.status == 400)
        #expect(reply.text == #"{"error":"stage \"Won\" is not defined; defined stages: Prospecting, Qualification, "#
            + #"Proposal, Negotiation, Closed Won, Closed Lost","path":"$.stage"}"#)
    }

    @Test func deletesOpportunity() {
        let exchange = HandlerExchange()
        #expect(exchange.send("DELETE", path).status == 204)
        #expect(exchange.send("GET", path).text == #"{"error":"opportunity \"OPP-2001\" not found in account \"ACC-1001\""}"#)
    }

    @Test func reportsUnknownAccount() {
        let reply = HandlerExchange().send("GET", "/__admin/tenants/acme/accounts/ACC-0/opportunities/OPP-2001")
        #expect(reply.status == 404)
        #expect(reply.text == #"{"error":"account \"ACC-0\" not found in tenant \"acme\""}"#)
    }

    @Test func decodesPercentEncodedSegments() {
        let reply = HandlerExchange().send("GET", "/__admin/tenants/acme/accounts/ACC%2D1001/opportunities/OPP-2001")
        #expect(reply.status == 200)
    }

    @Test func rejectsBadPercentEncoding() {
        let reply = HandlerExchange().send("GET", "/__admin/tenants/acme/accounts/ACC%ZZ/opportunities/OPP-2001")
        #expect(reply.status == 400)
    }

    /// Ids in the URL follow the rule of ids in a tenant body, so a tenant GET and PUT can
    /// read back everything the admin API stored.
    @Test(arguments: ["a%2Fb", "%20x", "x%20", "%00", "x%0d%0a", "..", ".", "%2E%2E"])
    func rejectsInvalidOpportunityIDInURL(id: String) {
        let exchange = HandlerExchange()
        let body = #"{"name":"New","closeDate":"2028-01-01","value":7,"stage":"Proposal"}"#
        let reply = exchange.send("PUT", "/__admin/tenants/acme/accounts/ACC-1001/opportunities/\(id)", body: body)
        #expect(reply.status == 400)
        #expect((reply.object["error"] as? String)?.hasPrefix("opportunity id in the URL: ") == true)
        let tenant = exchange.send("GET", "/__admin/tenants/acme").text
        #expect(exchange.send("PUT", "/__admin/tenants/acme", body: tenant).status == 200)
    }

    @Test(arguments: ["ACC%2F1001", "%20ACC-1001", "ACC-1001%09", "ACC%7F1001"])
    func rejectsInvalidAccountIDInURL(id: String) {
        let reply = HandlerExchange().send("GET", "/__admin/tenants/acme/accounts/\(id)/opportunities/OPP-2001")
        #expect(reply.status == 400)
        #expect((reply.object["error"] as? String)?.hasPrefix("account id in the URL: ") == true)
    }

    @Test(arguments: ["/__admin/tenants/ac%20me", "/__admin/tenants/acme%00/stages", "/__admin/tenants/..",
                      "/__admin/tenants/%2E/stages",
                      "/__admin/tenants/a%2Fb/accounts/ACC-1001/opportunities/OPP-2001"])
    func rejectsInvalidTenantIDInURL(path: String) {
        let reply = HandlerExchange().send("GET", path)
        #expect(reply.status == 400)
        #expect((reply.object["error"] as? String)?.hasPrefix("invalid tenant id") == true)
    }
}

@Suite struct AdminResetTests {
    @Test func restoresDataAndClearsJournalAndFaults() {
        let exchange = HandlerExchange()
        exchange.send("DELETE", "/__admin/tenants/acme")
        exchange.send("GET", "/v1/anything")
        exchange.send("POST", "/__admin/faults", body: #"{"action":{"delayMilliseconds":5}}"#)
        #expect(exchange.send("POST", "/__admin/reset").status == 204)
        #expect(exchange.handler.store.tenant("acme") != nil)
        #expect(exchange.journal().isEmpty)
        #expect(exchange.handler.faults.all().isEmpty)
    }

    @Test func resetsOneTenant() {
        let exchange = HandlerExchange()
        exchange.send("PUT", "/__admin/tenants/umbrella/stages", body: #"{"stages":["X"]}"#)
        exchange.send("PUT", "/__admin/tenants/acme/stages", body: #"{"stages":["Y"]}"#)
        #expect(exchange.send("POST", "/__admin/reset?tenant=umbrella").status == 204)
        #expect(exchange.handler.store.tenant("umbrella")?.stages == ["New", "Won", "Lost"])
        #expect(exchange.handler.store.tenant("acme")?.stages == ["Y"])
    }

    @Test func rejectsRestoreThatClashesOnToken() {
        let exchange = HandlerExchange()
        exchange.send("DELETE", "/__admin/tenants/umbrella")
        let body = #"{"users":[{"id":"u-x","email":"x@x.example","password":"p","token":"dave-token","scope":"self"}]}"#
        #expect(exchange.send("PUT", "/__admin/tenants/initrode", body: body).status == 201)
        let reply = exchange.send("POST", "/__admin/reset?tenant=umbrella")
        #expect(reply.status == 409)
        #expect(reply.object["error"] as? String == "tenant \"umbrella\" cannot be restored: this token is already used "
            + "by user \"u-x\" of tenant \"initrode\"; each user needs its own token; change or delete the other tenant first")
        #expect(exchange.handler.store.tenant("umbrella") == nil)
    }

    @Test func reportsUnknownTenant() {
        let reply = HandlerExchange().send("POST", "/__admin/reset?tenant=nobody")
        #expect(reply.status == 404)
    }
}
