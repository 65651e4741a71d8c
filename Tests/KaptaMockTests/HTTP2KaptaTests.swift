import Testing
@testable import KaptaMock

/// The whole product (Kapta API, journal, IIS headers) over HTTP/2 through curl: every
/// response matches the HTTP/1.1 one byte for byte, fields aside from connection-specific
/// ones and `date`.
@Suite struct HTTP2KaptaTests {
    struct RequestCase: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var body: String?
        var expectedStatus: Int

        var testDescription: String { name }
    }

    private static let alice = ["-H", "Authorization: token alice-token"]
    private static let json = ["-H", "Content-Type: application/json"]
    private static let xml = ["-H", "Content-Type: application/xml; charset=utf-8"]
    private static let xmlBody = "<UpdateOpportunityModel xmlns=\"\(KaptaXMLBodyWireTests.namespace)\" "
        + "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">" + KaptaXMLBodyWireTests.validMembers
        + "</UpdateOpportunityModel>"

    static let cases = [
        RequestCase(name: "valid JSON", arguments: ["-X", "PUT"] + alice + json, body: KaptaFixtures.benchmarkBody,
                    expectedStatus: 200),
        RequestCase(name: "valid XML", arguments: ["-X", "PUT"] + alice + xml, body: xmlBody, expectedStatus: 200),
        RequestCase(name: "chunked XML", arguments: ["-X", "PUT", "-H", "Transfer-Encoding: chunked"] + alice + xml,
                    body: xmlBody, expectedStatus: 200),
        RequestCase(name: "missing Name", arguments: ["-X", "PUT"] + alice + json,
                    body: KaptaFixtures.body(["Name": nil]), expectedStatus: 400),
        RequestCase(name: "no token", arguments: ["-X", "PUT"] + json, body: KaptaFixtures.benchmarkBody,
                    expectedStatus: 401),
        RequestCase(name: "text body", arguments: ["-X", "PUT", "-H", "Content-Type: text/plain"] + alice,
                    body: "hello", expectedStatus: 415),
        RequestCase(name: "GET", arguments: alice, body: nil, expectedStatus: 405),
    ]

    private func withProductServer(_ body: (Int) throws -> Void) throws {
        var configuration = KaptaMockConfiguration.default
        configuration.server.port = 0
        configuration.server.eventLoopCount = 2
        let server = KaptaMockServer(configuration: configuration, logger: .disabled)
        try server.start()
        defer { server.stop() }
        let port = try #require(server.port)
        try body(port)
    }

    /// curl sends `Transfer-Encoding: chunked` as given only over HTTP/1.1, so the chunked
    /// case runs over the upgrade and HTTP/1.1, not with prior knowledge.
    @Test(arguments: cases) func responsesMatchHTTP1(_ requestCase: RequestCase) throws {
        let directory = try TemporaryDirectory()
        var arguments = requestCase.arguments
        if let body = requestCase.body {
            arguments += ["--data-binary", "@" + (try directory.write(Array(body.utf8), named: "body"))]
        }
        let isChunked = arguments.contains("Transfer-Encoding: chunked")
        let modes = isChunked ? ["--http2"] : ["--http2-prior-knowledge", "--http2"]
        try withProductServer { port in
            let path = KaptaFixtures.opportunityPath
            let http1 = try curl(port: port, path: path, ["--http1.1"] + arguments)
            #expect(http1.status == requestCase.expectedStatus)
            for mode in modes {
                let http2 = try curl(port: port, path: path, [mode] + arguments)
                #expect(http2.version == "2", "\(mode)")
                #expect(http2.status == http1.status, "\(mode)")
                #expect(http2.body == http1.body, "\(mode)")
                #expect(http2.comparableFields == http1.comparableFields, "\(mode)")
            }
        }
    }
}
