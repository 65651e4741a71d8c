import Foundation
import Testing
@testable import KaptaMock

@Suite struct RequestJournalTests {
    private func entry(body: Int = 0) -> JournalEntry {
        JournalEntry(epochMicroseconds: 0, method: "PUT", target: "/v1/x", headers: [],
                     body: Array(repeating: UInt8(ascii: "a"), count: body), tenantID: nil, status: 200,
                     responseBody: [], reason: "", warnings: [], fault: nil, durationMicroseconds: 0)
    }

    /// An evicted entry must be released at once: a journal bounded to 16 MiB that kept
    /// evicted 4 MiB bodies until a batch cleanup could hold gigabytes.
    @Test func releasesEvictedBodiesAtOnce() {
        let journal = RequestJournal(limits: JournalLimits(maxEntries: 3, maxBytes: 1 << 20))
        var probe = [UInt8](repeating: UInt8(ascii: "a"), count: 4096)
        let original = probe.withUnsafeBufferPointer { $0.baseAddress }
        journal.record(JournalEntry(epochMicroseconds: 0, method: "PUT", target: "/v1/x", headers: [], body: probe,
                                    tenantID: nil, status: 200, responseBody: [], reason: "", warnings: [],
                                    fault: nil, durationMicroseconds: 0))
        for _ in 0..<3 {
            journal.record(entry())
        }
        // The probe shares its buffer with the entry until the entry is gone; writing to a
        // shared buffer would copy it to a new address.
        probe[0] = UInt8(ascii: "b")
        #expect(probe.withUnsafeBufferPointer { $0.baseAddress } == original)
        #expect(journal.page(since: nil, limit: nil).evicted == 1)
    }

    @Test func evictsOldestByCount() {
        let journal = RequestJournal(limits: JournalLimits(maxEntries: 3, maxBytes: 1 << 20))
        for _ in 0..<5 {
            journal.record(entry())
        }
        let page = journal.page(since: nil, limit: nil)
        #expect(page.entries.map(\.id) == [3, 4, 5])
        #expect(page.evicted == 2)
        #expect(page.stored == 3)
    }

    @Test func evictsOldestByBytes() {
        let cost = RequestJournal.cost(of: entry(body: 1_000))
        let journal = RequestJournal(limits: JournalLimits(maxEntries: 100, maxBytes: cost * 2))
        for _ in 0..<4 {
            journal.record(entry(body: 1_000))
        }
        let page = journal.page(since: nil, limit: nil)
        #expect(page.entries.map(\.id) == [3, 4])
        #expect(page.evicted == 2)
    }

    @Test func omitsBodiesOfOversizedEntry() {
        let journal = RequestJournal(limits: JournalLimits(maxEntries: 10, maxBytes: 500))
        journal.record(entry(body: 10_000))
        let stored = journal.page(since: nil, limit: nil).entries.first
        #expect(stored?.bodiesOmitted == true)
        #expect(stored?.body.isEmpty == true)
    }

    @Test func pagesForwardWithSince() {
        let journal = RequestJournal(limits: JournalLimits())
        for _ in 0..<6 {
            journal.record(entry())
        }
        #expect(journal.page(since: 2, limit: 2).entries.map(\.id) == [3, 4])
        #expect(journal.page(since: nil, limit: 2).entries.map(\.id) == [5, 6])
    }

    @Test func keepsIDsAfterClear() {
        let journal = RequestJournal(limits: JournalLimits(maxEntries: 1, maxBytes: 1 << 20))
        journal.record(entry())
        journal.record(entry())
        journal.clear()
        journal.record(entry())
        let page = journal.page(since: nil, limit: nil)
        #expect(page.entries.map(\.id) == [3])
        #expect(page.evicted == 0)
    }

    @Test func compactsAfterManyEvictions() {
        let journal = RequestJournal(limits: JournalLimits(maxEntries: 2, maxBytes: 1 << 20))
        for _ in 0..<5_000 {
            journal.record(entry())
        }
        let page = journal.page(since: nil, limit: nil)
        #expect(page.entries.map(\.id) == [4_999, 5_000])
        #expect(page.evicted == 4_998)
    }
}

@Suite struct JournalAPITests {
    @Test func recordsRequestWithRedactedAuthorization() throws {
        let exchange = HandlerExchange()
        exchange.send("PUT", "/v1/account/ACC-1001/opportunity/OPP-2001?x=1",
                      headers: [("Authorization", "token alice-token"), ("Content-Type", "application/json")],
                      body: opportunityBody)
        let entry = try #require(exchange.journal().first)
        #expect(entry["id"] as? Int == 1)
        #expect(entry["method"] as? String == "PUT")
        #expect(entry["target"] as? String == "/v1/account/ACC-1001/opportunity/OPP-2001?x=1")
        #expect(entry["tenant"] as? String == "acme")
        let headers = entry["headers"] as? [[String: String]] ?? []
        #expect(headers.map { $0["name"] ?? "" } == ["Host", "Authorization", "Content-Type"])
        #expect(headers.first { $0["name"] == "Authorization" }?["value"] == "token [redacted]")
        #expect(entry["body"] as? String == opportunityBody)
        #expect(entry["bodyEncoding"] as? String == "text")
        #expect(entry["status"] as? Int != nil)
        #expect(entry["reason"] as? String != nil)
        #expect(entry["fault"] is NSNull)
        #expect(!exchange.send("GET", "/__admin/requests").text.contains("alice-token"))
    }

    @Test(arguments: ["alice-token", "alice-token x", "token,alice-token", "Bearer\talice-token x"])
    func journalHidesSchemelessToken(authorization: String) throws {
        let exchange = HandlerExchange()
        exchange.send("PUT", "/v1/account/ACC-1001/opportunity/OPP-2001",
                      headers: [("Authorization", authorization), ("Content-Type", "application/json")],
                      body: opportunityBody)
        let entry = try #require(exchange.journal().first)
        let headers = entry["headers"] as? [[String: String]] ?? []
        let value = headers.first { $0["name"] == "Authorization" }?["value"] ?? ""
        #expect(value == "[redacted]" || value == "Bearer [redacted]")
        #expect(!exchange.send("GET", "/__admin/requests").text.contains("alice-token"))
    }

    @Test func encodesBinaryBodyAsBase64() throws {
        let exchange = HandlerExchange()
        exchange.send("PUT", "/v1/x", bytes: [0xFF, 0x00, 0x41])
        let entry = try #require(exchange.journal().first)
        #expect(entry["body"] as? String == "/wBB")
        #expect(entry["bodyEncoding"] as? String == "base64")
    }

    @Test func redactsLogonSecrets() throws {
        let exchange = HandlerExchange()
        exchange.send("POST", "/auth/login/logonaccesstoken?code=abc&state=s",
                      headers: [("Content-Type", "application/x-www-form-urlencoded")],
                      body: "client_id=demo-client&client_secret=demo-secret&email=a@x&password=alice-pass")
        let entry = try #require(exchange.journal().first)
        #expect(entry["target"] as? String == "/auth/login/logonaccesstoken?code=[redacted]&state=s")
        #expect(entry["body"] as? String
            == "client_id=demo-client&client_secret=[redacted]&email=a@x&password=[redacted]")
    }

    /// The form reader percent-decodes names, so `pass%77ord` is a password too, in the body
    /// and in the query.
    @Test func redactsPercentEncodedSecretNames() throws {
        let exchange = HandlerExchange()
        exchange.send("POST", "/auth/login/logonaccesstoken?client_%73ecret=query-secret&state=s",
                      headers: [("Content-Type", "application/x-www-form-urlencoded")],
                      body: "client_id=demo-client&client_%73ecret=demo-secret&pass%77ord=alice-pass&PASSWORD=upper")
        let entry = try #require(exchange.journal().first)
        #expect(entry["target"] as? String == "/auth/login/logonaccesstoken?client_%73ecret=[redacted]&state=s")
        #expect(entry["body"] as? String
            == "client_id=demo-client&client_%73ecret=[redacted]&pass%77ord=[redacted]&PASSWORD=[redacted]")
    }

    /// A form body that is not UTF-8 is stored as base64, with its secrets redacted all the
    /// same. A name that does not decode keeps no value, because it cannot be checked.
    @Test func redactsSecretsInBinaryFormBody() throws {
        let exchange = HandlerExchange()
        let body = Array("client_secret=demo-secret&password=alice-pass&%zz=bad-name&x=".utf8) + [0xFF]
        exchange.send("POST", "/auth/login/logonaccesstoken",
                      headers: [("Content-Type", "application/x-www-form-urlencoded")], bytes: body)
        let entry = try #require(exchange.journal().first)
        #expect(entry["bodyEncoding"] as? String == "base64")
        let encoded = try #require(entry["body"] as? String)
        let stored = try #require(Data(base64Encoded: encoded))
        #expect(Array(stored) == Array("client_secret=[redacted]&password=[redacted]&%zz=[redacted]&x=".utf8) + [0xFF])
    }

    @Test func redactsPasswordLogon() throws {
        let exchange = HandlerExchange()
        let reply = exchange.send("POST", "/auth/login/logonaccesstoken",
                                  headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                  body: "client_id=demo-client&client_secret=demo-secret&"
                                      + "redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback&email=alice%40acme.example&password=alice-pass")
        #expect(reply.status == 200)
        #expect(reply.text.contains("alice-token"))
        let entry = try #require(exchange.journal().first)
        let responseBody = try #require(entry["responseBody"] as? String)
        #expect(responseBody.contains(#""access_token":"[redacted]""#))
        #expect(!responseBody.contains("alice-token"))
        #expect((entry["body"] as? String)?.contains("alice-pass") == false)
    }

    @Test func redactsAccessTokenInResponse() {
        let body = Array(#"{"access_token":"alice-token","token_type":"token"}"#.utf8)
        #expect(String(decoding: Redaction.responseBody(body), as: UTF8.self)
            == #"{"access_token":"[redacted]","token_type":"token"}"#)
    }

    @Test func doesNotRecordAdminRequests() {
        let exchange = HandlerExchange()
        exchange.send("GET", "/__admin/health")
        #expect(exchange.journal().isEmpty)
    }

    @Test func reportsEvictionsInResponse() {
        var configuration = KaptaMockConfiguration.default
        configuration.admin.journal = JournalLimits(maxEntries: 2, maxBytes: 1 << 20)
        let exchange = HandlerExchange(configuration: configuration)
        for _ in 0..<5 {
            exchange.send("GET", "/v1/x")
        }
        let reply = exchange.send("GET", "/__admin/requests")
        #expect(reply.object["evicted"] as? Int == 3)
        #expect(reply.object["stored"] as? Int == 2)
        #expect(exchange.journal().map { $0["id"] as? Int ?? 0 } == [4, 5])
    }

    @Test func appliesLimitAndSince() {
        let exchange = HandlerExchange()
        for _ in 0..<5 {
            exchange.send("GET", "/v1/x")
        }
        #expect(exchange.journal("?limit=2").map { $0["id"] as? Int ?? 0 } == [4, 5])
        #expect(exchange.journal("?since=1&limit=2").map { $0["id"] as? Int ?? 0 } == [2, 3])
        #expect(exchange.send("GET", "/__admin/requests?limit=0").status == 400)
    }

    @Test func clearsJournal() {
        let exchange = HandlerExchange()
        exchange.send("GET", "/v1/x")
        #expect(exchange.send("DELETE", "/__admin/requests").status == 204)
        #expect(exchange.journal().isEmpty)
    }
}

@Suite struct FaultMatchTests {
    @Test(arguments: [
        ("/v1/account/*/opportunity/*", "/v1/account/ACC-1/opportunity/OPP-2", true),
        ("/v1/*", "/v1/account/a/opportunity/b", true),
        ("/V1/ACCOUNT/*", "/v1/account/a", true),
        ("/v1/account/*/opportunity/*", "/v1/account/a", false),
        ("/v1/a*b*c", "/v1/aXbYbZc", true),
        ("/v1/a*b*c", "/v1/aXbYbZ", false),
        ("/exact", "/exact/", false),
    ])
    func matchesGlob(pattern: String, path: String, expected: Bool) {
        #expect(FaultMatch.glob(Array(pattern.utf8), matches: Array(path.utf8)) == expected)
    }

    @Test func matchesMethodIgnoringCase() {
        #expect(FaultMatch(method: "put").matches(method: "PUT", path: "/", tenant: nil))
    }

    @Test func requiresTenant() {
        let match = FaultMatch(tenant: "acme")
        #expect(!match.matches(method: "PUT", path: "/", tenant: nil))
        #expect(!match.matches(method: "PUT", path: "/", tenant: "umbrella"))
        #expect(match.matches(method: "PUT", path: "/", tenant: "acme"))
    }
}

@Suite struct FaultRegistryTests {
    /// Adds `count` faults that match every GET.
    private static func addFaults(_ count: Int, times: Int?, to registry: FaultRegistry) {
        for _ in 0..<count {
            #expect(registry.add(match: FaultMatch(method: "GET"), times: times, action: .delay(milliseconds: 0)) != nil)
        }
    }

    /// Used-up faults stay listed, but the oldest of them give way once the limit is reached.
    @Test func usedUpFaultsMakeRoomAtLimit() {
        let registry = FaultRegistry()
        Self.addFaults(FaultRegistry.maxFaults, times: 1, to: registry)
        for _ in 0..<FaultRegistry.maxFaults {
            #expect(registry.fire(method: "GET", path: "/", tenant: nil) != nil)
        }
        #expect(registry.all().count == FaultRegistry.maxFaults)

        let added = registry.add(match: FaultMatch(), times: 1, action: .delay(milliseconds: 0))
        #expect(added?.id == FaultRegistry.maxFaults + 1)
        let ids = registry.all().map(\.id)
        #expect(ids.count == FaultRegistry.maxFaults)
        #expect(ids.first == 2)
        #expect(ids.last == FaultRegistry.maxFaults + 1)
    }

    @Test func activeFaultsReachLimit() {
        let registry = FaultRegistry()
        Self.addFaults(FaultRegistry.maxFaults, times: nil, to: registry)
        #expect(registry.add(match: FaultMatch(), times: 1, action: .delay(milliseconds: 0)) == nil)
        #expect(registry.all().count == FaultRegistry.maxFaults)
    }

    /// Only the used-up fault goes, even when older active faults are listed before it.
    @Test func dropsOnlyUsedUpFaults() {
        let registry = FaultRegistry()
        Self.addFaults(FaultRegistry.maxFaults - 1, times: nil, to: registry)
        let usedUp = registry.add(match: FaultMatch(method: "DELETE"), times: 1, action: .delay(milliseconds: 0))
        #expect(registry.fire(method: "DELETE", path: "/", tenant: nil)?.id == usedUp?.id)

        #expect(registry.add(match: FaultMatch(), times: 1, action: .delay(milliseconds: 0)) != nil)
        let ids = registry.all().map(\.id)
        #expect(ids.count == FaultRegistry.maxFaults)
        #expect(!ids.contains { $0 == usedUp?.id })
        #expect(ids.first == 1)
        #expect(registry.add(match: FaultMatch(), times: 1, action: .delay(milliseconds: 0)) == nil)
    }
}

@Suite struct FaultAPITests {
    private let target = "/v1/account/ACC-1001/opportunity/OPP-2001"
    private let auth = [("Authorization", "token alice-token"), ("Content-Type", "application/json")]

    @Test func replacesResponseWithoutProcessing() throws {
        let exchange = HandlerExchange()
        let fault = #"{"match":{"method":"PUT","path":"/v1/account/*/opportunity/*","tenant":"acme"},"times":1,"#
            + #""action":{"response":{"status":503,"headers":{"Retry-After":"1"},"body":"busy"}}}"#
        let installed = exchange.send("POST", "/__admin/faults", body: fault)
        #expect(installed.status == 201)
        let reply = exchange.send("PUT", target, headers: auth, body: opportunityBody)
        #expect(reply.status == 503)
        #expect(reply.fields["Retry-After"] == "1")
        #expect(reply.text == "busy")
        #expect(exchange.handler.store.tenant("acme")?.accounts.first?.opportunities.first?.version == 1)
        let entry = try #require(exchange.journal().first)
        #expect((entry["fault"] as? [String: Any])?["action"] as? String == "response")
        #expect(entry["status"] as? Int == 503)
    }

    /// The real service's responses carry the caching fields and, with fidelity.iisHeaders,
    /// IIS's own, so a fault's replacement carries them too, on Kapta and logon routes alike.
    @Test(arguments: ["/v1/account/ACC-1001/opportunity/OPP-2001", "/auth/login/logonaccesstoken"])
    func addsServiceFieldsToReplacement(path: String) {
        let exchange = HandlerExchange()
        let fault = #"{"action":{"response":{"status":503,"body":"busy"}}}"#
        #expect(exchange.send("POST", "/__admin/faults", body: fault).status == 201)
        let reply = exchange.send("PUT", path, headers: auth, body: opportunityBody)
        #expect(reply.status == 503)
        #expect(reply.fields["Cache-Control"] == "no-cache")
        #expect(reply.fields["Pragma"] == "no-cache")
        #expect(reply.fields["Expires"] == "-1")
        #expect(reply.fields["Server"] == "Microsoft-IIS/10.0")
        #expect(reply.fields["X-AspNet-Version"] == "4.0.30319")
        #expect(reply.fields["X-Powered-By"] == "ASP.NET")
        #expect(reply.text == "busy")
    }

    @Test func replacementFieldsOverrideServiceFields() {
        let exchange = HandlerExchange()
        let fault = #"{"action":{"response":{"status":200,"headers":{"cache-control":"max-age=60","#
            + #""Server":"nginx","Retry-After":"1"}}}}"#
        #expect(exchange.send("POST", "/__admin/faults", body: fault).status == 201)
        let reply = exchange.send("GET", "/v1/x")
        #expect(reply.fields.values(for: "Cache-Control") == ["max-age=60"])
        #expect(reply.fields.values(for: "Server") == ["nginx"])
        #expect(reply.fields["Pragma"] == "no-cache")
        #expect(reply.fields["Retry-After"] == "1")
    }

    @Test func replacementOmitsIISFieldsWhenOff() {
        var configuration = KaptaMockConfiguration.default
        configuration.fidelity.iisHeaders = false
        let exchange = HandlerExchange(configuration: configuration)
        let installed = exchange.send("POST", "/__admin/faults", body: #"{"action":{"response":{"status":500}}}"#)
        #expect(installed.status == 201)
        let reply = exchange.send("GET", "/v1/x")
        #expect(reply.fields["Expires"] == "-1")
        #expect(reply.fields["Server"] == nil)
        #expect(reply.fields["X-Powered-By"] == nil)
    }

    @Test func firesOnlyGivenTimes() {
        let exchange = HandlerExchange()
        exchange.send("POST", "/__admin/faults", body: #"{"times":2,"action":{"response":{"status":500}}}"#)
        let statuses = (0..<3).map { _ in exchange.send("GET", "/v1/x").status }
        #expect(statuses[0] == 500)
        #expect(statuses[1] == 500)
        #expect(statuses[2] != 500)
        let listed = exchange.send("GET", "/__admin/faults").object["faults"] as? [[String: Any]]
        #expect(listed?.first?["fired"] as? Int == 2)
        #expect(listed?.first?["remaining"] as? Int == 0)
    }

    @Test func skipsOtherTenant() {
        let exchange = HandlerExchange()
        exchange.send("POST", "/__admin/faults", body: #"{"match":{"tenant":"umbrella"},"action":{"response":{"status":500}}}"#)
        #expect(exchange.send("PUT", target, headers: auth, body: opportunityBody).status != 500)
    }

    @Test func delaysAfterProcessing() throws {
        let exchange = HandlerExchange()
        let undelayed = exchange.send("GET", "/v1/x")
        exchange.send("POST", "/__admin/faults", body: #"{"action":{"delayMilliseconds":250}}"#)
        let reply = exchange.send("GET", "/v1/x")
        guard case .delayedResponse(let response, let milliseconds) = reply.result else {
            Issue.record("expected a delayed response, got \(reply.result)")
            return
        }
        #expect(milliseconds == 250)
        #expect(response.status.code == undelayed.status)
        #expect(response.body == undelayed.body)
        let entry = try #require(exchange.journal().last)
        #expect((entry["fault"] as? [String: Any])?["action"] as? String == "delay")
    }

    @Test(arguments: TransportFault.allCases)
    func producesTransportFault(kind: TransportFault) throws {
        let exchange = HandlerExchange()
        exchange.send("POST", "/__admin/faults", body: #"{"action":{"transportFault":"\#(kind.rawValue)"}}"#)
        let reply = exchange.send("PUT", target, headers: auth, body: opportunityBody)
        guard case .fault(let produced) = reply.result else {
            Issue.record("expected a transport fault, got \(reply.result)")
            return
        }
        #expect(produced == kind)
        #expect(exchange.handler.store.tenant("acme")?.accounts.first?.opportunities.first?.version == 1)
        let entry = try #require(exchange.journal().first)
        #expect(entry["status"] is NSNull)
        #expect((entry["fault"] as? [String: Any])?["action"] as? String == kind.rawValue)
    }

    @Test func neverAppliesToAdminRequests() {
        let exchange = HandlerExchange()
        exchange.send("POST", "/__admin/faults", body: #"{"action":{"response":{"status":500}}}"#)
        #expect(exchange.send("GET", "/__admin/health").status == 200)
    }

    @Test(arguments: [
        (#"{"action":{}}"#, #"{"error":"expected exactly one of response, delayMilliseconds, transportFault","path":"$.action"}"#),
        (#"{"action":{"delayMilliseconds":5,"transportFault":"emptyResponse"}}"#, #"{"error":"expected exactly one of response, delayMilliseconds, transportFault","path":"$.action"}"#),
        (#"{"action":{"transportFault":"hangUp"}}"#, #"{"error":"invalid value \"hangUp\"; allowed values: connectionReset, emptyResponse, malformedResponse","path":"$.action.transportFault"}"#),
        (#"{"action":{"delayMilliseconds":300001}}"#, #"{"error":"300001 is out of range; expected an integer from 0 to 300000","path":"$.action.delayMilliseconds"}"#),
        (#"{"action":{"response":{"status":99}}}"#, #"{"error":"99 is out of range; expected an integer from 200 to 599","path":"$.action.response.status"}"#),
        (#"{"action":{"response":{"status":500,"headers":{"Content-Length":"5"}}}}"#, #"{"error":"Content-Length is set by the server itself; leave it out","path":"$.action.response.headers[\"Content-Length\"]"}"#),
        (#"{"times":1.5,"action":{"delayMilliseconds":1}}"#, #"{"error":"1.5 is not an integer; it must be an integer from 1 to 1000000, written without a fraction or exponent","path":"$.times"}"#),
        (#"{"action":{"response":{"status":5e2}}}"#, #"{"error":"5e2 is not an integer; it must be an integer from 200 to 599, written without a fraction or exponent","path":"$.action.response.status"}"#),
        (#"{"action":{"response":{"status":204,"body":"x"}}}"#, #"{"error":"a 204 response has no content (RFC 9110, 15.3.5); leave body out or choose another status","path":"$.action.response.body"}"#),
        (#"{"action":{"response":{"status":205,"body":"x"}}}"#, #"{"error":"a 205 response has no content (RFC 9110, 15.3.6); leave body out or choose another status","path":"$.action.response.body"}"#),
        (#"{"action":{"response":{"status":304,"body":"{}"}}}"#, #"{"error":"a 304 response has no content (RFC 9110, 15.4.5); leave body out or choose another status","path":"$.action.response.body"}"#),
        (#"{"times":0,"action":{"delayMilliseconds":1}}"#, #"{"error":"0 is out of range; expected an integer from 1 to 1000000","path":"$.times"}"#),
        (#"{"match":{"path":"v1/x"},"action":{"delayMilliseconds":1}}"#, #"{"error":"invalid path pattern \"v1/x\"; expected a path such as /v1/account/*/opportunity/*, where * matches any characters","path":"$.match.path"}"#),
        (#"{"match":{"verb":"PUT"},"action":{"delayMilliseconds":1}}"#, #"{"error":"unknown key; allowed keys: method, path, tenant","path":"$.match.verb"}"#),
    ])
    func rejectsInvalidFault(body: String, expected: String) {
        let reply = HandlerExchange().send("POST", "/__admin/faults", body: body)
        #expect(reply.status == 400)
        #expect(reply.text == expected)
    }

    /// Framing fields and the connection-specific fields that RFC 9113, 8.2.2 forbids in
    /// HTTP/2 are the server's to set, in any spelling.
    @Test(arguments: ["Connection", "keep-alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "te",
                      "Content-Length", "Date"])
    func rejectsConnectionSpecificHeader(name: String) {
        let exchange = HandlerExchange()
        let body = #"{"action":{"response":{"status":503,"headers":{""# + name + #"":"v"}}}}"#
        let reply = exchange.send("POST", "/__admin/faults", body: body)
        #expect(reply.status == 400)
        #expect(reply.object["error"] as? String == "\(name) is set by the server itself; leave it out")
        #expect(exchange.send("GET", "/__admin/faults").text.contains(#""faults":[]"#))
    }

    @Test(arguments: [#"{"status":204}"#, #"{"status":204,"body":""}"#, #"{"status":304,"body":null}"#])
    func acceptsNoContentStatusWithoutBody(response: String) {
        let exchange = HandlerExchange()
        let installed = exchange.send("POST", "/__admin/faults", body: #"{"action":{"response":"# + response + "}}")
        #expect(installed.status == 201)
        let reply = exchange.send("GET", "/v1/x")
        #expect(reply.status == 204 || reply.status == 304)
        #expect(reply.body.isEmpty)
    }

    @Test func listsGetsAndDeletesFaults() {
        let exchange = HandlerExchange()
        let created = exchange.send("POST", "/__admin/faults", body: #"{"match":{"method":"PUT"},"action":{"delayMilliseconds":10}}"#)
        #expect(created.text == #"{"id":1,"match":{"method":"PUT","path":null,"tenant":null},"times":null,"remaining":null,"#
            + #""fired":0,"action":{"delayMilliseconds":10}}"#)
        #expect(exchange.send("GET", "/__admin/faults/1").status == 200)
        #expect(exchange.send("DELETE", "/__admin/faults/1").status == 204)
        #expect(exchange.send("GET", "/__admin/faults/1").status == 404)
        exchange.send("POST", "/__admin/faults", body: #"{"action":{"delayMilliseconds":10}}"#)
        #expect(exchange.send("DELETE", "/__admin/faults").status == 204)
        #expect(exchange.send("GET", "/__admin/faults").text == #"{"faults":[]}"#)
    }
}
