import Glibc
import Testing
@testable import KaptaMock

/// Starts a `KaptaMockServer` on 127.0.0.1 port 0, runs `body`, and stops the server.
func withKaptaMockServer<Result>(configure: (inout KaptaMockConfiguration) -> Void = { _ in },
                                 _ body: (KaptaMockServer, Int) throws -> Result) throws -> Result {
    var configuration = KaptaMockConfiguration.default
    configuration.server.port = 0
    configuration.server.eventLoopCount = 2
    configure(&configuration)
    let server = KaptaMockServer(configuration: configuration, logger: .disabled)
    try server.start()
    defer { server.stop() }
    let port = try #require(server.port)
    return try body(server, port)
}

/// Sends one request on a new connection and reads the response.
func exchange(port: Int, _ method: String, _ target: String, headers: [String] = [], body: String = "") throws
    -> WireResponse
{
    let client = try RawHTTPClient(port: port)
    var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for header in headers {
        request += header + "\r\n"
    }
    request += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    try client.send(request)
    return try client.readFinalResponse(requestMethod: method)
}

@Suite struct KaptaMockServerTests {
    @Test func reportsBaseURLWithBoundPort() throws {
        try withKaptaMockServer { server, port in
            #expect(server.baseURL == "http://127.0.0.1:\(port)")
        }
    }

    @Test func listensOnIPv6Loopback() throws {
        try withKaptaMockServer(configure: { $0.server.host = "::1" }) { server, port in
            #expect(server.baseURL == "http://[::1]:\(port)")
            let client = try RawHTTPClient(port: port, host: "::1")
            try client.send("GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse(requestMethod: "GET").status == 200)
        }
    }

    /// A host set in code skips the configuration reader. The socket layer still rejects a
    /// NUL, which inet_pton(3) would treat as the end of the address.
    @Test func rejectsHostWithNUL() {
        var configuration = KaptaMockConfiguration.default
        configuration.server.host = "127.0.0.1\u{0}evil"
        configuration.server.port = 0
        let server = KaptaMockServer(configuration: configuration, logger: .disabled)
        #expect(throws: HTTPServerError.self) {
            try server.start()
        }
        server.stop()
    }

    @Test func keepsStateOfEachServerApart() throws {
        try withKaptaMockServer { first, firstPort in
            try withKaptaMockServer { second, secondPort throws in
                let deleted = try exchange(port: firstPort, "DELETE", "/__admin/tenants/acme")
                #expect(deleted.status == 204)
                #expect(first.store.tenant("acme") == nil)
                #expect(second.store.tenant("acme") != nil)
                let kept = try exchange(port: secondPort, "GET", "/__admin/tenants/acme")
                #expect(kept.status == 200)
            }
        }
    }

    @Test func resetsThroughLibrary() throws {
        try withKaptaMockServer { server, port in
            _ = try exchange(port: port, "DELETE", "/__admin/tenants/acme")
            server.reset()
            #expect(server.store.tenant("acme") != nil)
        }
    }

    @Test func stopIsIdempotent() throws {
        var configuration = KaptaMockConfiguration.default
        configuration.server.port = 0
        let server = KaptaMockServer(configuration: configuration, logger: .disabled)
        try server.start()
        server.stop()
        server.stop()
        #expect(server.port == nil)
    }

    @Test func requiresAdminTokenOverTheWire() throws {
        try withKaptaMockServer(configure: { $0.admin.token = "s3cret" }) { _, port in
            #expect(try exchange(port: port, "GET", "/__admin/health").status == 401)
            let authorized = try exchange(port: port, "GET", "/__admin/health", headers: ["Authorization: Bearer s3cret"])
            #expect(authorized.status == 200)
        }
    }
}

@Suite struct FaultOverWireTests {
    private func installFault(port: Int, _ json: String) throws {
        #expect(try exchange(port: port, "POST", "/__admin/faults", body: json).status == 201)
    }

    @Test func replacesResponse() throws {
        try withKaptaMockServer { _, port in
            try installFault(port: port, #"{"action":{"response":{"status":503,"headers":{"Retry-After":"2"},"body":"down"}}}"#)
            let response = try exchange(port: port, "GET", "/v1/x")
            #expect(response.status == 503)
            #expect(response.fields["Retry-After"] == "2")
            #expect(response.bodyText == "down")
        }
    }

    @Test func delaysResponse() throws {
        try withKaptaMockServer { _, port in
            let undelayed = try exchange(port: port, "GET", "/v1/x")
            try installFault(port: port, #"{"times":1,"action":{"delayMilliseconds":300}}"#)
            let started = Clock.monotonicNanoseconds()
            let response = try exchange(port: port, "GET", "/v1/x")
            let elapsed = (Clock.monotonicNanoseconds() - started) / 1_000_000
            #expect(response.status == undelayed.status)
            #expect(elapsed >= 300)
        }
    }

    @Test(arguments: TransportFault.allCases)
    func breaksConnection(kind: TransportFault) throws {
        try withKaptaMockServer { server, port in
            try installFault(port: port, #"{"action":{"transportFault":"\#(kind.rawValue)"}}"#)
            let client = try RawHTTPClient(port: port)
            try client.send("GET /v1/x HTTP/1.1\r\nHost: x\r\n\r\n")
            let (bytes, closed) = client.readAll()
            #expect(closed)
            switch kind {
            case .connectionReset, .emptyResponse:
                #expect(bytes.isEmpty)
            case .malformedResponse:
                #expect(!bytes.isEmpty)
                let statusLine = String(decoding: bytes.prefix { $0 != ASCII.carriageReturn }, as: UTF8.self)
                let statusCode = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) }
                #expect(statusCode == nil)
            }
            #expect(server.journal.page(since: nil, limit: nil).entries.first?.fault?.action == kind.rawValue)
        }
    }
}
