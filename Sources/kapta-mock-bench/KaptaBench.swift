import KaptaMock

/// `kapta-mock-bench kapta [ITERATIONS]`: times binding the benchmark's 238-byte JSON body
/// and the whole `KaptaAPI.handle` of the PUT that carries it, on the calling thread.
func benchmarkKapta(arguments: [String]) -> Int32 {
    let iterations = arguments.first.flatMap { Int($0) } ?? 200_000
    let body = Array(("{\"OpportunityID\":\"OPP-2001\",\"Name\":\"Renewal 2027\",\"Description\":\"Annual renewal\","
        + "\"CloseDate\":\"2027-03-31T00:00:00+00:00\",\"Value\":125000.50,\"Stage\":\"negotiation\","
        + "\"CustomFields\":[{\"FieldName\":\"Region\",\"Type\":\"String\",\"StringValue\":\"EMEA\"}]}").utf8)
    let fields: HTTPFields = ["Host": "127.0.0.1:8080", "Authorization": "token alice-token",
                              "Content-Type": "application/json", "Content-Length": String(body.count)]
    let head = HTTPRequestHead(method: "PUT", target: "/v1/account/ACC-1001/opportunity/OPP-2001",
                               version: .http1_1, fields: fields)
    let store = TenantStore(tenants: [benchmarkTenant()])
    let bind = KaptaBenchmarks.nanosecondsPerBinding(body: body, iterations: iterations)
    let handle = KaptaBenchmarks.nanosecondsPerHandle(store: store, request: HTTPRequest(head: head, body: body),
                                                      iterations: iterations)
    let request = HTTPRequest(head: head, body: body)
    let application = KaptaBenchmarks.nanosecondsPerApplicationRequest(request: request, iterations: iterations)
    var raw = "PUT \(head.target) HTTP/1.1\r\n"
    for field in fields {
        raw += "\(field.name): \(field.value)\r\n"
    }
    let exchange = KaptaBenchmarks.nanosecondsPerHTTP1Exchange(raw: Array((raw + "\r\n").utf8) + body,
                                                               iterations: iterations)
    print("body bytes: \(body.count), iterations: \(iterations)")
    print("bind JSON body: \(Int(bind.rounded())) ns")
    print("KaptaAPI.handle: \(Int(handle.rounded())) ns")
    print("application handler (faults, API, journal, info log line): \(Int(application.rounded())) ns")
    print("HTTP/1.1 parse and response write: \(Int(exchange.rounded())) ns")
    return 0
}

/// The part of the default `acme` tenant the benchmark request touches.
private func benchmarkTenant() -> Tenant {
    let alice = User(id: "u-alice", email: "alice@acme.example", password: "alice-pass", token: "alice-token",
                     scope: .selfOnly)
    let opportunity = Opportunity(id: "OPP-2001", name: "Renewal 2027",
                                  closeDate: DateTimeValue(year: 2027, month: 3, day: 31, zone: .offset(minutes: 0)),
                                  value: DecimalNumber(isNegative: false, coefficient: 12_500_050, scale: 2),
                                  stage: "Negotiation")
    return Tenant(id: "acme",
                  stages: ["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"],
                  customFields: [CustomFieldDefinition(name: "Region", type: .string),
                                 CustomFieldDefinition(name: "Probability", type: .double),
                                 CustomFieldDefinition(name: "Renewal Date", type: .datetime)],
                  users: [alice],
                  accounts: [Account(id: "ACC-1001", name: "Globex", owner: "u-alice", opportunities: [opportunity])])
}
