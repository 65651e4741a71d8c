@testable import KaptaMock

/// The default configuration's tenants (`acme` and `umbrella`), built here until tests can
/// load the shipped configuration file.
enum KaptaFixtures {
    static let acmeStages = ["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]

    static func tenants() -> [Tenant] {
        [acme(), umbrella()]
    }

    static func acme() -> Tenant {
        let alice = User(id: "u-alice", email: "alice@acme.example", password: "alice-pass", token: "alice-token",
                         scope: .selfOnly)
        let bob = User(id: "u-bob", email: "bob@acme.example", password: "bob-pass", token: "bob-token",
                       scope: .manager, team: ["u-alice"])
        let carol = User(id: "u-carol", email: "carol@acme.example", password: "carol-pass", token: "carol-token",
                         scope: .administrator)
        let renewal = Opportunity(id: "OPP-2001", name: "Renewal 2027",
                                  closeDate: date("2027-03-31T00:00:00+00:00"), value: decimal("125000.50"),
                                  stage: "Negotiation")
        let expansion = Opportunity(id: "OPP-2002", name: "Expansion", closeDate: date("2027-06-30T00:00:00Z"),
                                    value: decimal("48000"), stage: "Proposal")
        return Tenant(id: "acme", stages: acmeStages,
                      customFields: [CustomFieldDefinition(name: "Region", type: .string),
                                     CustomFieldDefinition(name: "Probability", type: .double),
                                     CustomFieldDefinition(name: "Renewal Date", type: .datetime)],
                      users: [alice, bob, carol],
                      applications: [APIApplication(clientID: "demo-client", clientSecret: "demo-secret",
                                                    redirectURI: "http://localhost:8765/callback")],
                      authorizeUser: "u-alice",
                      accounts: [Account(id: "ACC-1001", name: "Globex", owner: "u-alice", opportunities: [renewal]),
                                 Account(id: "ACC-1002", name: "Initech", owner: "u-bob", opportunities: [expansion])])
    }

    static func umbrella() -> Tenant {
        let dave = User(id: "u-dave", email: "dave@umbrella.example", password: "dave-pass", token: "dave-token",
                        scope: .administrator)
        let deal = Opportunity(id: "OPP-9001", name: "Containment", closeDate: date("2027-01-31T00:00:00Z"),
                               value: decimal("1000"), stage: "New")
        return Tenant(id: "umbrella", stages: ["New", "Won", "Lost"], users: [dave],
                      accounts: [Account(id: "ACC-9001", name: "Raccoon", owner: "u-dave", opportunities: [deal])])
    }

    static func date(_ text: String) -> DateTimeValue {
        DateTimeValue(iso8601: text[...]) ?? .minValue
    }

    static func decimal(_ text: String) -> DecimalNumber {
        DecimalNumber(plainText: text[...]) ?? .zero
    }

    /// The 238-byte body of the benchmark, valid for alice's OPP-2001.
    static let benchmarkBody = #"{"OpportunityID":"OPP-2001","Name":"Renewal 2027","Description":"Annual renewal","#
        + #""CloseDate":"2027-03-31T00:00:00+00:00","Value":125000.50,"Stage":"negotiation","#
        + #""CustomFields":[{"FieldName":"Region","Type":"String","StringValue":"EMEA"}]}"#

    static let opportunityPath = "/v1/account/ACC-1001/opportunity/OPP-2001"

    /// Builds a body for OPP-2001 from the benchmark body's members, replaced or extended by
    /// `members`. A nil value removes the member.
    static func body(_ members: KeyValuePairs<String, String?> = [:]) -> String {
        var order = ["OpportunityID", "Name", "Description", "CloseDate", "Value", "Stage", "CustomFields"]
        var values: [String: String] = [
            "OpportunityID": #""OPP-2001""#, "Name": #""Renewal 2027""#, "Description": #""Annual renewal""#,
            "CloseDate": #""2027-03-31T00:00:00+00:00""#, "Value": "125000.50", "Stage": #""negotiation""#,
            "CustomFields": #"[{"FieldName":"Region","Type":"String","StringValue":"EMEA"}]"#,
        ]
        for (name, value) in members {
            if !order.contains(name) {
                order.append(name)
            }
            values[name] = value
        }
        let parts = order.compactMap { name in values[name].map { "\"\(name)\":\($0)" } }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

/// Adapts `KaptaAPI` to the transport for tests, as the product's server does.
struct KaptaTestHandler: HTTPHandler {
    let api: KaptaAPI

    func responseBeforeBody(to head: HTTPRequestHead, context: RequestContext) -> HTTPResponse? {
        api.responseBeforeBody(to: head)?.response
    }

    func handle(_ request: HTTPRequest, context: RequestContext) -> HandlerResult {
        .response(api.handle(request).response)
    }
}

/// A running fake on 127.0.0.1 with the default tenants, for tests that talk over sockets.
struct KaptaTestServer {
    let port: Int
    let store: TenantStore

    /// Sends one request on a new connection and reads the response.
    func exchange(method: String = "PUT", target: String = KaptaFixtures.opportunityPath,
                  headers: KeyValuePairs<String, String> = ["Authorization": "token alice-token",
                                                            "Content-Type": "application/json"],
                  body: [UInt8] = []) throws -> WireResponse {
        try exchange(method: method, target: target, headerList: headers.map { ($0.key, $0.value) }, body: body)
    }

    /// Sends one request with the header fields in `headerList`, in order.
    func exchange(method: String, target: String, headerList: [(String, String)],
                  body: [UInt8]) throws -> WireResponse {
        let client = try RawHTTPClient(port: port)
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headerList {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\n\r\n"
        try client.send(Array(head.utf8) + body)
        return try client.readFinalResponse(requestMethod: method)
    }

    func exchange(method: String = "PUT", target: String = KaptaFixtures.opportunityPath,
                  headers: KeyValuePairs<String, String> = ["Authorization": "token alice-token",
                                                            "Content-Type": "application/json"],
                  body: String) throws -> WireResponse {
        try exchange(method: method, target: target, headers: headers, body: Array(body.utf8))
    }

    /// Returns the stored opportunity, for checks after an update.
    func opportunity(tenant: String = "acme", account: String = "ACC-1001", id: String = "OPP-2001") -> Opportunity? {
        store.tenant(tenant)?.accounts.first { $0.id == account }?.opportunities.first { $0.id == id }
    }
}

/// Starts the fake with the default tenants on 127.0.0.1 port 0, runs `body`, stops it.
func withKaptaServer<Result>(fidelity: FidelitySettings = FidelitySettings(),
                             _ body: (KaptaTestServer) throws -> Result) throws -> Result {
    let store = TenantStore(tenants: KaptaFixtures.tenants())
    let api = KaptaAPI(store: store, fidelity: fidelity)
    return try withHTTPServer(handler: KaptaTestHandler(api: api)) { port, _ in
        try body(KaptaTestServer(port: port, store: store))
    }
}

/// Sends one request to a fresh fake with the default tenants.
func exchange(method: String = "PUT", target: String = KaptaFixtures.opportunityPath,
              headers: KeyValuePairs<String, String> = ["Authorization": "token alice-token",
                                                        "Content-Type": "application/json"],
              body: String = "", fidelity: FidelitySettings = FidelitySettings()) throws -> WireResponse {
    try withKaptaServer(fidelity: fidelity) { server in
        try server.exchange(method: method, target: target, headers: headers, body: body)
    }
}
