import Foundation
import Testing

/// Runs curl and returns its exit status and stdout.
private func curl(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["-s", "--max-time", "10"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The whole logon flow of a client against the `kapta-mock` binary, driven by curl.
@Suite struct LogonFlowTests {
    static let redirect = "http://localhost:8765/callback"
    static let putBody = #"{"OpportunityID":"OPP-2001","Name":"After logon","CloseDate":"2027-05-01T00:00:00Z","#
        + #""Value":1,"Stage":"Proposal"}"#

    /// Puts the benchmark body with `token` and returns the status curl saw.
    private func put(_ base: String, token: String) throws -> String {
        try curl(["-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT",
                  "-H", "Authorization: token \(token)", "-H", "Content-Type: application/json",
                  "--data-binary", Self.putBody, base + "/v1/account/ACC-1001/opportunity/OPP-2001"]).output
    }

    /// The value of `"access_token"` in a logon response.
    private func accessToken(in json: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return try #require(object?["access_token"] as? String)
    }

    @Test func tokensFromBothFlowsAuthorizeAPut() throws {
        let server = try KaptaMockProcess(["--port", "0", "--log-level", "debug", "--log-format", "json"])
        let base = try server.readReadyLine()

        let logon = try curl(["-X", "POST", base + "/auth/login/logonaccesstoken",
                              "--data-urlencode", "client_id=demo-client", "--data-urlencode", "client_secret=demo-secret",
                              "--data-urlencode", "redirect_uri=\(Self.redirect)", "--data-urlencode", "scope=self",
                              "--data-urlencode", "email=alice@acme.example", "--data-urlencode", "password=alice-pass"])
        let passwordToken = try accessToken(in: logon.output)
        #expect(try put(base, token: passwordToken) == "200")

        let authorize = try curl(["-o", "/dev/null", "-w", "%{redirect_url}",
                                  base + "/auth/login/authorize?client_id=demo-client&redirect_uri=\(Self.redirect)"
                                      + "&scope=self&state=opaque-42"])
        let location = try #require(URLComponents(string: authorize.output))
        #expect(location.queryItems?.first { $0.name == "state" }?.value == "opaque-42")
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
        let exchange = try curl(["-X", "POST", base + "/auth/login/accesstoken",
                                 "-d", "client_id=demo-client", "-d", "client_secret=demo-secret", "-d", "code=\(code)",
                                 "--data-urlencode", "redirect_uri=\(Self.redirect)"])
        let codeToken = try accessToken(in: exchange.output)
        #expect(try put(base, token: codeToken) == "200")

        let journal = try curl([base + "/__admin/requests"]).output
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        let logs = server.standardErrorText()
        for secret in ["alice-pass", "demo-secret", code, passwordToken] {
            #expect(!logs.contains(secret), "the log shows \(secret)")
            #expect(!journal.contains(secret), "the journal shows \(secret)")
        }
        #expect(journal.contains("/auth/login/accesstoken"))
    }
}
