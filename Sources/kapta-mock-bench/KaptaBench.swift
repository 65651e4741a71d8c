import KaptaMock

/// `kapta-mock-bench kapta [ITERATIONS]`: times binding the benchmark's 238-byte JSON body,
/// the whole `KaptaAPI.handle` of the PUT that carries it, and the same PUT with the XML
/// body of `bench/put.lua`, on the calling thread.
func benchmarkKapta(arguments: [String]) -> Int32 {
    let iterations = arguments.first.flatMap { Int($0) } ?? 200_000
    let body = Array(("{\"OpportunityID\":\"OPP-2001\",\"Name\":\"Renewal 2027\",\"Description\":\"Annual renewal\","
        + "\"CloseDate\":\"2027-03-31T00:00:00+00:00\",\"Value\":125000.50,\"Stage\":\"negotiation\","
        + "\"CustomFields\":[{\"FieldName\":\"Region\",\"Type\":\"String\",\"StringValue\":\"EMEA\"}]}").utf8)
    let xmlBody = Array(("<UpdateOpportunityModel "
        + "xmlns=\"http://schemas.datacontract.org/2004/07/KAPTA.Domain.ViewModel.v1\">"
        + "<CloseDate>2027-03-31T00:00:00+00:00</CloseDate><CustomFields><UDFFieldModel>"
        + "<FieldName>Region</FieldName><StringValue>EMEA</StringValue><Type>String</Type></UDFFieldModel>"
        + "</CustomFields><Description>Annual renewal</Description><Name>Renewal 2027</Name>"
        + "<OpportunityID>OPP-2001</OpportunityID><Stage>negotiation</Stage><Value>125000.50</Value>"
        + "</UpdateOpportunityModel>").utf8)
    let fields: HTTPFields = ["Host": "127.0.0.1:8080", "Authorization": "token alice-token",
                              "Content-Type": "application/json", "Content-Length": String(body.count)]
    let head = HTTPRequestHead(method: "PUT", target: "/v1/account/ACC-1001/opportunity/OPP-2001",
                               version: .http1_1, fields: fields)

    let store = TenantStore(tenants: [benchmarkTenant()])
    let bind = KaptaBenchmarks.nanosecondsPerBinding(body: body, iterations: iterations)
    let handle = KaptaBenchmarks.nanosecondsPerHandle(store: store, request: HTTPRequest(head: head, body: body),
                                                      iterations: iterations)

    var xmlFields = fields
    xmlFields.set("Content-Type", to: "application/xml")
    xmlFields.set("Content-Length", to: String(xmlBody.count))
    let xmlHead = HTTPRequestHead(method: "PUT", target: head.target, version: .http1_1, fields: xmlFields)
    let xmlHandle = KaptaBenchmarks.nanosecondsPerXMLHandle(store: store,
                                                            request: HTTPRequest(head: xmlHead, body: xmlBody),
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
    print("KaptaAPI.handle, \(xmlBody.count)-byte XML body: \(Int(xmlHandle.rounded())) ns")
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
