import Testing
@testable import KaptaMock

let jsonUTF8 = "application/json; charset=utf-8"
let deniedBody = #"{"Message":"Authorization has been denied for this request."}"#
let invalidBody = #"{"Message":"The request is invalid."}"#

/// Section 3 of the behaviour: the order of checks and each check's response, over a socket.
@Suite struct KaptaAuthenticationTests {
    @Test func missingHeaderIs401() throws {
        let response = try exchange(headers: ["Content-Type": "application/json"], body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 401)
        #expect(response.fields["Content-Type"] == jsonUTF8)
        #expect(response.bodyText == deniedBody)
    }

    @Test func bearerIs401WithWarning() throws {
        let response = try exchange(headers: ["Authorization": "Bearer alice-token"], body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 401)
        #expect(response.bodyText == deniedBody)
        #expect(response.fields["X-Kapta-Mock-Warning"] ==
            "Kapta rejects the Bearer scheme; send 'Authorization: token <access_token>'")
    }

    @Test func basicIs401WithoutWarning() throws {
        let response = try exchange(headers: ["Authorization": "Basic YTpi"], body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 401)
        #expect(response.fields["X-Kapta-Mock-Warning"] == nil)
    }

    @Test func unknownTokenIs401() throws {
        let response = try exchange(headers: ["Authorization": "token nobody"], body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 401)
        #expect(response.bodyText == deniedBody)
    }

    @Test func schemeIsCaseInsensitive() throws {
        let response = try exchange(headers: ["Authorization": "TOKEN alice-token", "Content-Type": "application/json"],
                                    body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 200)
    }

    @Test func authenticationRunsBeforeRouting() throws {
        let response = try exchange(method: "GET", target: "/v1/nothing/here", headers: [:])
        #expect(response.status == 401)
        #expect(response.bodyText == deniedBody)
    }

    @Test func pathsOutsideV1NeedNoToken() throws {
        let response = try exchange(method: "GET", target: "/elsewhere", headers: [:])
        #expect(response.status == 404)
    }
}

@Suite struct KaptaRoutingTests {
    @Test func unknownPathIs404WithAbsoluteURI() throws {
        try withKaptaServer { server in
            let response = try server.exchange(method: "GET", target: "/v1/accounts?x=1",
                                               headers: ["Authorization": "token alice-token"])
            #expect(response.status == 404)
            #expect(response.fields["Content-Type"] == jsonUTF8)
            #expect(response.bodyText == "{\"Message\":\"No HTTP resource was found that matches the request URI "
                + "'http://127.0.0.1:\(server.port)/v1/accounts?x=1'.\"}")
        }
    }

    @Test(arguments: ["/V1/Account/ACC-1001/Opportunity/OPP-2001", "/v1/account/ACC-1001/opportunity/OPP-2001/",
                      "/v1/account/ACC-1001/opportunity/OPP-2001?debug=1",
                      "/v1/account/ACC%2D1001/opportunity/OPP-2001"])
    func matchingTargets(target: String) throws {
        let response = try exchange(target: target, body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 200)
    }

    @Test(arguments: ["/v1/account/ACC-1001/opportunity/OPP-2001//", "/v1/account/ACC%2F1001/opportunity/OPP-2001",
                      "/v1/account//opportunity/OPP-2001", "/v1/account/ACC-1001/opportunity"])
    func nonMatchingTargets(target: String) throws {
        let response = try exchange(target: target, body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 404)
    }

    @Test(arguments: ["/v1/account/ACC%ZZ1001/opportunity/OPP-2001", "/v1/account/ACC-1001/opportunity/OPP-2001%",
                      "/v1/account/ACC-1001/opportunity/OPP%4"])
    func invalidPercentEncodingIs400(target: String) throws {
        let response = try exchange(target: target, body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 400)
        #expect(response.fields["Content-Type"] == "text/html; charset=us-ascii")
        #expect(response.bodyText.contains("<h2>Bad Request - Invalid URL</h2>"))
    }

    @Test(arguments: ["GET", "POST", "DELETE", "Patch"])
    func otherMethodIs405(method: String) throws {
        let response = try exchange(method: method, headers: ["Authorization": "token alice-token"])
        #expect(response.status == 405)
        #expect(response.fields["Allow"] == "PUT")
        #expect(response.fields["Content-Type"] == jsonUTF8)
        #expect(response.bodyText == "{\"Message\":\"The requested resource does not support http method "
            + "'\(method)'.\"}")
    }
}

@Suite struct KaptaBodyRuleTests {
    @Test func unsupportedMediaTypeIs415() throws {
        let response = try exchange(headers: ["Authorization": "token alice-token", "Content-Type": "text/plain; "
            + "charset=utf-8"],
                                    body: "hello")
        #expect(response.status == 415)
        #expect(response.fields["Content-Type"] == jsonUTF8)
        #expect(response.bodyText ==
            #"{"Message":"The request entity's media type 'text/plain' is not supported for this resource."}"#)
    }

    @Test func formEncodedIs415() throws {
        let response = try exchange(headers: ["Authorization": "token alice-token",
                                              "Content-Type": "application/x-www-form-urlencoded"], body: "a=b")
        #expect(response.status == 415)
    }

    @Test func missingContentTypeIs415() throws {
        let response = try exchange(headers: ["Authorization": "token alice-token"], body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 415)
        #expect(response.bodyText == "{\"Message\":\"The request contains an entity body but no Content-Type header. "
            + "The inferred media type 'application/octet-stream' is not supported for this resource.\"}")
    }

    @Test(arguments: ["", "null", " \r\n "])
    func emptyOrNullBodyIs400(body: String) throws {
        let response = try exchange(body: body)
        #expect(response.status == 400)
        #expect(response.fields["Content-Type"] == jsonUTF8)
        #expect(response.bodyText == invalidBody)
    }

    @Test func emptyBodyWithUnsupportedTypeIs400() throws {
        let response = try exchange(headers: ["Authorization": "token alice-token", "Content-Type": "text/plain"])
        #expect(response.status == 400)
        #expect(response.bodyText == invalidBody)
    }

    @Test(arguments: ["text/json", "text/html", "application/json; charset=utf-8; foo=bar", "application/*", "*/*"])
    func jsonMediaTypesAreRead(contentType: String) throws {
        let response = try exchange(headers: ["Authorization": "token alice-token", "Content-Type": contentType],
                                    body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 200)
    }

    @Test func identityMismatchIs400() throws {
        let response = try exchange(body: KaptaFixtures.body(["OpportunityID": #""OPP-2002""#]))
        #expect(response.status == 400)
        #expect(response.fields["Content-Type"] == jsonUTF8)
        #expect(response.bodyText ==
            #"{"Message":"The OpportunityID in the body does not match the opportunity in the URI."}"#)
    }

    @Test func identityComparesIgnoringCase() throws {
        let response = try exchange(body: KaptaFixtures.body(["OpportunityID": #""opp-2001""#]))
        #expect(response.status == 200)
    }

    @Test func unknownAccountIs404WithEmptyBody() throws {
        let response = try exchange(target: "/v1/account/ACC-4040/opportunity/OPP-2001",
                                    body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 404)
        #expect(response.body.isEmpty)
        #expect(response.fields["Content-Type"] == nil)
        #expect(response.fields["Content-Length"] == "0")
    }

    @Test func opportunityOfAnotherAccountIs404() throws {
        let response = try exchange(target: "/v1/account/ACC-1001/opportunity/OPP-2002",
                                    headers: ["Authorization": "token carol-token", "Content-Type": "application/json"],
                                    body: KaptaFixtures.body(["OpportunityID": #""OPP-2002""#]))
        #expect(response.status == 404)
        #expect(response.body.isEmpty)
    }

    @Test func successIs200WithEmptyBody() throws {
        let response = try exchange(body: KaptaFixtures.benchmarkBody)
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.fields["Content-Type"] == nil)
        #expect(response.fields["Content-Length"] == "0")
    }
}

/// Section 4: the headers on every response of the Kapta routes.
@Suite struct KaptaResponseHeaderTests {
    @Test(arguments: [(KaptaFixtures.benchmarkBody, 200), ("{}", 400), ("", 400)])
    func iisAndCachingHeaders(body: String, status: Int) throws {
        let response = try exchange(body: body)
        #expect(response.status == status)
        let names = response.fields.map(\.name).filter { $0 != "Content-Type" }
        #expect(names == ["Cache-Control", "Pragma", "Expires", "Server", "X-AspNet-Version", "X-Powered-By", "Date",
                          "Content-Length"])
        #expect(response.fields["Cache-Control"] == "no-cache")
        #expect(response.fields["Pragma"] == "no-cache")
        #expect(response.fields["Expires"] == "-1")
        #expect(response.fields["Server"] == "Microsoft-IIS/10.0")
        #expect(response.fields["X-AspNet-Version"] == "4.0.30319")
        #expect(response.fields["X-Powered-By"] == "ASP.NET")
    }

    @Test func iisHeadersCanBeTurnedOff() throws {
        let response = try exchange(body: "{}", fidelity: FidelitySettings(iisHeaders: false))
        #expect(response.fields["Server"] == nil)
        #expect(response.fields["X-AspNet-Version"] == nil)
        #expect(response.fields["X-Powered-By"] == nil)
        #expect(response.fields["Cache-Control"] == "no-cache")
    }

    @Test func warningHeaderForCaseInsensitiveName() throws {
        let response = try exchange(body: KaptaFixtures.body(["Description": nil, "description": #""d""#]))
        #expect(response.status == 200)
        #expect(response.fields["X-Kapta-Mock-Warning"] ==
            "JSON property 'description' matched 'Description' only when letter case is ignored")
    }
}

/// `responseBeforeBody`: the outcomes the request head alone decides.
@Suite struct KaptaHeadOnlyTests {
    let api = KaptaAPI(store: TenantStore(tenants: KaptaFixtures.tenants()), fidelity: FidelitySettings())

    func head(method: String = "PUT", target: String = KaptaFixtures.opportunityPath,
              fields: HTTPFields = ["Authorization": "token alice-token", "Content-Type": "application/json",
                                    "Content-Length": "10"]) -> HTTPRequestHead {
        HTTPRequestHead(method: method, target: target, version: .http1_1, fields: fields)
    }

    @Test func validHeadNeedsTheBody() {
        #expect(api.responseBeforeBody(to: head()) == nil)
    }

    @Test func missingTokenDecided() {
        #expect(api.responseBeforeBody(to: head(fields: ["Content-Length": "10"]))?.response.status.code == 401)
    }

    @Test func unknownRouteDecided() {
        #expect(api.responseBeforeBody(to: head(target: "/v1/x"))?.response.status.code == 404)
    }

    @Test func otherMethodDecided() {
        #expect(api.responseBeforeBody(to: head(method: "POST"))?.response.status.code == 405)
    }

    @Test func badEncodingDecided() {
        #expect(api.responseBeforeBody(to: head(target: "/v1/%G0"))?.response.status.code == 400)
    }

    @Test func unsupportedTypeDecided() {
        let fields: HTTPFields = ["Authorization": "token alice-token", "Content-Type": "text/plain",
                                  "Content-Length": "3"]
        #expect(api.responseBeforeBody(to: head(fields: fields))?.response.status.code == 415)
    }

    @Test func missingTypeDecided() {
        let fields: HTTPFields = ["Authorization": "token alice-token", "Content-Length": "3"]
        #expect(api.responseBeforeBody(to: head(fields: fields))?.response.status.code == 415)
    }

    @Test func emptyBodyWithoutTypeNeedsTheBody() {
        let fields: HTTPFields = ["Authorization": "token alice-token", "Content-Length": "0"]
        #expect(api.responseBeforeBody(to: head(fields: fields)) == nil)
    }

    @Test func expectContinueGetsFinal415OverTheWire() throws {
        try withKaptaServer { server in
            let client = try RawHTTPClient(port: server.port)
            try client.send("PUT \(KaptaFixtures.opportunityPath) HTTP/1.1\r\nHost: x\r\nAuthorization: token "
                + "alice-token\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 415)
        }
    }
}

/// The reason and warnings `KaptaAPI.handle` gives the request journal.
@Suite struct KaptaOutcomeTests {
    let api = KaptaAPI(store: TenantStore(tenants: KaptaFixtures.tenants()), fidelity: FidelitySettings())

    func handle(_ body: String, authorization: String = "token alice-token") -> KaptaOutcome {
        let fields: HTTPFields = ["Host": "127.0.0.1", "Authorization": authorization,
                                  "Content-Type": "application/json"]
        let head = HTTPRequestHead(method: "PUT", target: KaptaFixtures.opportunityPath, version: .http1_1,
                                   fields: fields)
        return api.handle(HTTPRequest(head: head, body: Array(body.utf8)))
    }

    @Test func updateReason() {
        let outcome = handle(KaptaFixtures.benchmarkBody)
        #expect(outcome.reason == "updated opportunity OPP-2001 of account ACC-1001")
        #expect(outcome.tenantID == "acme")
        #expect(outcome.warnings.isEmpty)
    }

    @Test func stageReason() {
        let outcome = handle(KaptaFixtures.body(["Stage": #""foo""#]))
        #expect(outcome.reason == "stage 'foo' is not defined")
    }

    @Test func visibilityReason() {
        let outcome = handle(KaptaFixtures.benchmarkBody, authorization: "token dave-token")
        #expect(outcome.response.status.code == 404)
        #expect(outcome.reason == "account 'ACC-1001' does not exist in tenant 'umbrella'")
        #expect(outcome.tenantID == "umbrella")
    }

    @Test func bearerWarningInOutcome() {
        let outcome = handle(KaptaFixtures.benchmarkBody, authorization: "Bearer alice-token")
        #expect(outcome.reason == "the Authorization scheme 'Bearer' is not 'token'")
        #expect(outcome.warnings == ["Kapta rejects the Bearer scheme; send 'Authorization: token <access_token>'"])
        #expect(outcome.tenantID == nil)
    }

    @Test(arguments: ["alice-token", "token,alice-token", "alice-token extra", "Bäsic alice-token"])
    func unknownSchemeNotEchoedInReason(authorization: String) {
        let outcome = handle(KaptaFixtures.benchmarkBody, authorization: authorization)
        #expect(outcome.response.status.code == 401)
        #expect(outcome.reason == "the Authorization scheme is not 'token'")
        #expect(outcome.warnings.isEmpty)
    }

    @Test func knownSchemeEchoedInFixedSpelling() {
        let outcome = handle(KaptaFixtures.benchmarkBody, authorization: "nEgOtIaTe alice-token")
        #expect(outcome.reason == "the Authorization scheme 'Negotiate' is not 'token'")
        let bearer = handle(KaptaFixtures.benchmarkBody, authorization: "BEARER alice-token")
        #expect(bearer.reason == "the Authorization scheme 'Bearer' is not 'token'")
        #expect(bearer.warnings.count == 1)
    }

    @Test func octalWarningInOutcome() {
        let outcome = handle(KaptaFixtures.body(["Value": "010"]))
        #expect(outcome.response.status.code == 200)
        #expect(outcome.warnings == ["the number at 'Value' starts with 0 and was read as octal, as Json.NET does"])
    }
}
