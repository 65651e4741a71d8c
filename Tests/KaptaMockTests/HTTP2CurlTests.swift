import Testing
@testable import KaptaMock

/// HTTP/2 through curl: prior knowledge and `Upgrade: h2c` get the same response as HTTP/1.1.
@Suite struct HTTP2CurlTests {
    struct BodyCase: CustomTestStringConvertible, Sendable {
        var contentType: String
        var body: String

        var testDescription: String { contentType }
    }

    static let bodies = [
        BodyCase(contentType: "application/json",
                 body: #"{"name":"Renewal 2027","amount":12500.50,"stage":"Negotiation","closeDate":"2027-03-31"}"#),
        BodyCase(contentType: "application/xml",
                 body: #"<Opportunity xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Name>Renewal 2027</Name>"#
                     + "<Amount>12500.50</Amount><Stage>Negotiation</Stage></Opportunity>"),
    ]

    private func putArguments(_ bodyCase: BodyCase, file: String) -> [String] {
        ["-X", "PUT", "-H", "Content-Type: \(bodyCase.contentType)", "--data-binary", "@\(file)"]
    }

    private func expectSameAnswer(_ http2: CurlResponse, _ http1: CurlResponse) {
        #expect(http2.version == "2")
        #expect(http1.version == "1.1")
        #expect(http2.status == http1.status)
        #expect(http2.body == http1.body)
        #expect(http2.comparableFields == http1.comparableFields)
        #expect(http2.fields["date"] != nil)
    }

    @Test(arguments: bodies) func priorKnowledgeMatchesHTTP1(_ bodyCase: BodyCase) throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(Array(bodyCase.body.utf8), named: "body")
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let path = "/v1/account/ACC-1001/opportunity/OPP-2001?culture=en"
            let priorKnowledge = ["--http2-prior-knowledge"] + putArguments(bodyCase, file: file)
            let http2 = try curl(port: port, path: path, priorKnowledge)
            let http1 = try curl(port: port, path: path, ["--http1.1"] + putArguments(bodyCase, file: file))
            expectSameAnswer(http2, http1)
            #expect(http2.bodyText == "PUT \(path) \(bodyCase.body.utf8.count)")
        }
    }

    @Test(arguments: bodies) func upgradeMatchesHTTP1(_ bodyCase: BodyCase) throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(Array(bodyCase.body.utf8), named: "body")
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let path = "/v1/account/ACC-1001/opportunity/OPP-2001"
            let http2 = try curl(port: port, path: path, ["--http2"] + putArguments(bodyCase, file: file))
            let http1 = try curl(port: port, path: path, ["--http1.1"] + putArguments(bodyCase, file: file))
            expectSameAnswer(http2, http1)
            #expect(http2.bodyText == "PUT \(path) \(bodyCase.body.utf8.count)")
        }
    }

    @Test func upgradeWithChunkedBodyMatchesHTTP1() throws {
        let bodyCase = Self.bodies[0]
        let directory = try TemporaryDirectory()
        let file = try directory.write(Array(bodyCase.body.utf8), named: "body")
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let chunked = putArguments(bodyCase, file: file) + ["-H", "Transfer-Encoding: chunked"]
            let http2 = try curl(port: port, path: "/chunked", ["--http2"] + chunked)
            let http1 = try curl(port: port, path: "/chunked", ["--http1.1"] + chunked)
            expectSameAnswer(http2, http1)
            #expect(http2.bodyText == "PUT /chunked \(bodyCase.body.utf8.count)")
        }
    }

    // With -I curl writes the header section into the body file, so only fields are
    // compared. curl's HTTP/2 layer (nghttp2) fails a HEAD response that carries DATA
    // frames, so a response read without error had no body.
    @Test func headAnswerMatchesHTTP1() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let http2 = try curl(port: port, path: "/head", ["--http2-prior-knowledge", "-I"])
            let http1 = try curl(port: port, path: "/head", ["--http1.1", "-I"])
            #expect(http2.version == "2")
            #expect(http2.status == http1.status)
            #expect(http2.comparableFields == http1.comparableFields)
            #expect(http2.fields["content-length"] == "12")
        }
    }

    @Test func headOverUpgradeHasLengthOnly() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let response = try curl(port: port, path: "/head", ["--http2", "-I"])
            #expect(response.version == "2")
            #expect(response.status == 200)
            #expect(response.fields["content-length"] == "12")
        }
    }

    @Test(arguments: ["--http2-prior-knowledge", "--http2"]) func requestBodyOf3MiBArrives(_ mode: String) throws {
        let directory = try TemporaryDirectory()
        let size = 3 * 1024 * 1024
        let file = try directory.write(patternBytes(count: size), named: "large")
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let response = try curl(port: port, path: "/upload", [mode, "-X", "PUT", "--data-binary", "@\(file)"])
            #expect(response.version == "2")
            #expect(response.status == 200)
            #expect(response.bodyText == "PUT /upload \(size)")
        }
    }

    @Test func largeResponseArrivesWhole() throws {
        let size = 3 * 1024 * 1024 + 7
        try withHTTPServer(handler: LargeBodyHandler()) { port, _ in
            let response = try curl(port: port, path: "/bytes/\(size)", ["--http2-prior-knowledge"])
            #expect(response.status == 200)
            #expect(response.fields["content-length"] == String(size))
            #expect(response.body == patternBytes(count: size))
        }
    }

    @Test func upgradeDisabledAnswersInHTTP1() throws {
        try withHTTPServer(handler: EchoHandler(), configure: { $0.http2.upgrade = false }) { port, _ in
            let response = try curl(port: port, path: "/plain", ["--http2"])
            #expect(response.version == "1.1")
            #expect(response.bodyText == "GET /plain 0")
        }
    }
}
