import Synchronization
import Testing
@testable import KaptaMock

/// Serves only the logon endpoints, so these tests run over real sockets.
private struct LogonHandler: HTTPHandler {
    let api: LogonAPI

    func responseBeforeBody(to head: HTTPRequestHead, context: RequestContext) -> HTTPResponse? {
        nil
    }

    func handle(_ request: HTTPRequest, context: RequestContext) -> HandlerResult {
        .response(api.handle(request).response)
    }
}

/// A clock tests can move forward.
private final class ManualClock: Sendable {
    let nanoseconds = Atomic<UInt64>(1_000_000_000)

    func advance(seconds: UInt64) {
        nanoseconds.add(seconds * 1_000_000_000, ordering: .relaxed)
    }
}

private func logonTenants() -> [Tenant] {
    let acme = Tenant(
        id: "acme", stages: ["Negotiation"],
        users: [
            User(id: "u-alice", email: "alice@acme.example", password: "alice-pass", token: "alice-token", scope: .selfOnly),
            User(id: "u-bob", email: "bob@acme.example", password: "bob-pass", token: "bob-token", scope: .manager,
                 team: ["u-alice"]),
            User(id: "u-carol", email: "carol@acme.example", password: "carol-pass", token: "carol-token",
                 scope: .administrator),
        ],
        applications: [APIApplication(clientID: "demo-client", clientSecret: "demo-secret",
                                      redirectURI: "http://localhost:8765/callback")],
        authorizeUser: "u-alice")
    let umbrella = Tenant(
        id: "umbrella", stages: ["New"],
        users: [User(id: "u-dave", email: "dave@umbrella.example", password: "dave-pass", token: "dave-token",
                     scope: .administrator)],
        applications: [APIApplication(clientID: "other-client", clientSecret: "other-secret",
                                      redirectURI: "http://localhost:9999/cb")],
        authorizeUser: "u-dave")
    return [acme, umbrella]
}

private let form = "application/x-www-form-urlencoded"
private let logonForm = "client_id=demo-client&client_secret=demo-secret&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback"
    + "&email=bob%40acme.example&password=bob-pass"

@Suite struct LogonTests {
    private func withLogonServer(clock: ManualClock = ManualClock(), _ body: (RawHTTPClient) throws -> Void) throws {
        let codes = AuthorizationCodes(now: { clock.nanoseconds.load(ordering: .relaxed) })
        let api = LogonAPI(store: TenantStore(tenants: logonTenants()), fidelity: FidelitySettings(), codes: codes)
        try withHTTPServer(handler: LogonHandler(api: api)) { port, _ in
            try body(try RawHTTPClient(port: port))
        }
    }

    private func post(_ client: RawHTTPClient, _ path: String, _ body: String, contentType: String = form) throws -> WireResponse {
        try client.send("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try client.readResponse(requestMethod: "POST")
    }

    private func authorize(_ client: RawHTTPClient, _ query: String) throws -> WireResponse {
        try client.send("GET /auth/login/authorize?\(query) HTTP/1.1\r\nHost: x\r\n\r\n")
        return try client.readResponse(requestMethod: "GET")
    }

    /// The `code` parameter of a redirect's Location.
    private func authorizationCode(in response: WireResponse) -> String? {
        guard let location = response.fields["Location"], let query = location.split(separator: "?").last else {
            return nil
        }
        return query.split(separator: "&").first { $0.hasPrefix("code=") }.map { String($0.dropFirst(5)) }
    }

    @Test(arguments: ["/auth/login/logonaccesstoken", "/auth/login/v2/logonaccesstoken", "/AUTH/Login/LogonAccessToken/"])
    func passwordLogonReturnsToken(path: String) throws {
        try withLogonServer { client in
            let response = try post(client, path, logonForm + "&scope=manager")
            #expect(response.status == 200)
            #expect(response.fields["Content-Type"] == "application/json; charset=utf-8")
            #expect(response.fields["Cache-Control"] == "no-cache")
            #expect(response.bodyText == #"{"access_token":"bob-token","token_type":"token","scope":"manager"}"#)
        }
    }

    @Test(arguments: [
        ("", "self"), ("&scope=self", "self"), ("&scope=administrator", "manager"), ("&scope=nonsense", "self"),
        ("&scope=self+administrator", "manager"), ("&scope=MANAGER", "manager"),
    ])
    func scopeCappedAtUsersOwn(scopeParameter: String, granted: String) throws {
        try withLogonServer { client in
            let response = try post(client, "/auth/login/logonaccesstoken", logonForm + scopeParameter)
            #expect(response.bodyText == #"{"access_token":"bob-token","token_type":"token","scope":"\#(granted)"}"#)
        }
    }

    @Test(arguments: [
        ("client_id=nope&client_secret=demo-secret&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback"
            + "&email=bob%40acme.example&password=bob-pass", "invalid_client"),
        ("client_id=demo-client&client_secret=wrong&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback"
            + "&email=bob%40acme.example&password=bob-pass", "invalid_client"),
        ("client_id=demo-client&client_secret=demo-secret&redirect_uri=http%3A%2F%2Fevil.example%2F"
            + "&email=bob%40acme.example&password=bob-pass", "invalid_client"),
        ("client_id=demo-client&client_secret=demo-secret&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback"
            + "&email=bob%40acme.example&password=wrong", "invalid_grant"),
        ("client_id=demo-client&client_secret=demo-secret&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback"
            + "&email=nobody%40acme.example&password=bob-pass", "invalid_grant"),
        ("client_id=demo-client&client_secret=demo-secret&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback"
            + "&email=dave%40umbrella.example&password=dave-pass", "invalid_grant"),
        ("client_id=demo-client&client_secret=demo-secret&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback"
            + "&email=bob%40acme.example", "invalid_request"),
        ("client_id=demo-client&client_id=demo-client&client_secret=demo-secret", "invalid_request"),
        ("client_id=demo%ZZ", "invalid_request"),
    ])
    func wrongParameterRejected(body: String, error: String) throws {
        try withLogonServer { client in
            let response = try post(client, "/auth/login/logonaccesstoken", body)
            #expect(response.status == 400)
            #expect(response.bodyText == #"{"error":"\#(error)"}"#)
        }
    }

    @Test func formMustBeFormEncoded() throws {
        try withLogonServer { client in
            let response = try post(client, "/auth/login/logonaccesstoken", logonForm, contentType: "application/json")
            #expect(response.status == 400)
            #expect(response.bodyText == #"{"error":"invalid_request"}"#)
        }
    }

    @Test func plusDecodesToSpace() throws {
        let tenants = logonTenants().map { tenant -> Tenant in
            var tenant = tenant
            if tenant.id == "acme" { tenant.users[0].password = "two words+" }
            return tenant
        }
        let api = LogonAPI(store: TenantStore(tenants: tenants), fidelity: FidelitySettings())
        try withHTTPServer(handler: LogonHandler(api: api)) { port, _ in
            let client = try RawHTTPClient(port: port)
            let body = "client_id=demo-client&client_secret=demo-secret&redirect_uri=http://localhost:8765/callback"
                + "&email=alice@acme.example&password=two+words%2B"
            let response = try post(client, "/auth/login/logonaccesstoken", body)
            #expect(response.status == 200)
        }
    }

    @Test func wrongMethodGets405() throws {
        try withLogonServer { client in
            try client.send("GET /auth/login/logonaccesstoken HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse(requestMethod: "GET")
            #expect(response.status == 405)
            #expect(response.fields["Allow"] == "POST")
            #expect(response.bodyText == #"{"Message":"The requested resource does not support http method 'GET'."}"#)
        }
    }

    @Test func codeFlowIssuesTokenOnce() throws {
        try withLogonServer { client in
            let redirect = try authorize(client, "client_id=demo-client&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback"
                + "&scope=administrator&state=xyz%201")
            #expect(redirect.status == 302)
            let location = try #require(redirect.fields["Location"])
            #expect(location.hasPrefix("http://localhost:8765/callback?code="))
            #expect(location.hasSuffix("&state=xyz%201"))
            let code = try #require(authorizationCode(in: redirect))
            #expect(code.count == 32)

            let exchange = "client_id=demo-client&client_secret=demo-secret&code=\(code)"
                + "&redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcallback&grant_type=authorization_code"
            let token = try post(client, "/auth/login/accesstoken", exchange)
            #expect(token.status == 200)
            #expect(token.bodyText == #"{"access_token":"alice-token","token_type":"token","scope":"self"}"#)

            let reused = try post(client, "/auth/login/accesstoken", exchange)
            #expect(reused.status == 400)
            #expect(reused.bodyText == #"{"error":"invalid_grant"}"#)
        }
    }

    @Test func codeBoundToItsClientAndRedirect() throws {
        try withLogonServer { client in
            let redirect = try authorize(client, "client_id=demo-client&redirect_uri=http://localhost:8765/callback&state=s")
            let code = try #require(authorizationCode(in: redirect))
            let otherClient = try post(client, "/auth/login/accesstoken",
                                       "client_id=other-client&client_secret=other-secret&code=\(code)&redirect_uri=http://localhost:9999/cb")
            #expect(otherClient.bodyText == #"{"error":"invalid_grant"}"#)
            let otherRedirect = try post(client, "/auth/login/accesstoken",
                                         "client_id=demo-client&client_secret=demo-secret&code=\(code)&redirect_uri=http://x/")
            #expect(otherRedirect.bodyText == #"{"error":"invalid_grant"}"#)
            let wrongSecret = try post(client, "/auth/login/accesstoken",
                                       "client_id=demo-client&client_secret=no&code=\(code)&redirect_uri=http://localhost:8765/callback")
            #expect(wrongSecret.bodyText == #"{"error":"invalid_client"}"#)
            let legitimate = try post(client, "/auth/login/accesstoken",
                                      "client_id=demo-client&client_secret=demo-secret&code=\(code)&redirect_uri=http://localhost:8765/callback")
            #expect(legitimate.status == 200)
        }
    }

    @Test func codeExpiresAfterTenMinutes() throws {
        let clock = ManualClock()
        try withLogonServer(clock: clock) { client in
            let redirect = try authorize(client, "client_id=demo-client&redirect_uri=http://localhost:8765/callback&state=s")
            let code = try #require(authorizationCode(in: redirect))
            clock.advance(seconds: 601)
            let late = try post(client, "/auth/login/accesstoken",
                                "client_id=demo-client&client_secret=demo-secret&code=\(code)&redirect_uri=http://localhost:8765/callback")
            #expect(late.status == 400)
            #expect(late.bodyText == #"{"error":"invalid_grant"}"#)
        }
    }

    @Test func missingStateRedirectsWithError() throws {
        try withLogonServer { client in
            let response = try authorize(client, "client_id=demo-client&redirect_uri=http://localhost:8765/callback")
            #expect(response.status == 302)
            #expect(response.fields["Location"]
                == "http://localhost:8765/callback?error=invalid_request&error_description=state%20is%20required")
        }
    }

    @Test(arguments: [
        ("client_id=nobody&redirect_uri=http://localhost:8765/callback&state=s", "invalid_client"),
        ("client_id=demo-client&redirect_uri=http://evil.example/&state=s", "invalid_request"),
        ("client_id=demo-client&state=s", "invalid_request"),
    ])
    func authorizeErrorsAreNotRedirected(query: String, error: String) throws {
        try withLogonServer { client in
            let response = try authorize(client, query)
            #expect(response.status == 400)
            #expect(response.fields["Location"] == nil)
            #expect(response.bodyText == #"{"error":"\#(error)"}"#)
        }
    }

    @Test func unknownGrantTypeRejected() throws {
        try withLogonServer { client in
            let response = try post(client, "/auth/login/accesstoken", "grant_type=password&client_id=demo-client")
            #expect(response.bodyText == #"{"error":"unsupported_grant_type"}"#)
        }
    }
}
