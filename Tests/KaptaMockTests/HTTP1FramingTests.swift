import Glibc
import Synchronization
import Testing
@testable import KaptaMock

/// A malformed request sent over the wire, the status it must get, and a request hidden
/// after it: if the hidden request were answered, the framing was misread (smuggling).
struct FramingCase: CustomTestStringConvertible, Sendable {
    var label: String
    var raw: String
    var status: Int

    var testDescription: String { label }
}

private let put = "PUT /v1/account/ACC-1001/opportunity/OPP-2001 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    + "Authorization: token alice-token\r\nContent-Type: application/json; charset=utf-8\r\n"
private let hidden = "GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

let framingCases: [FramingCase] = [
    FramingCase(label: "CL and TE together",
                raw: put + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nc\r\n{\"Name\":\"x\"}\r\n0\r\n\r\n" + hidden,
                status: 400),
    FramingCase(label: "two conflicting Content-Length fields",
                raw: put + "Content-Length: 12\r\nContent-Length: 0\r\n\r\n{\"Name\":\"x\"}" + hidden, status: 400),
    FramingCase(label: "chunked not the final coding",
                raw: put + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x-custom\r\n\r\nc\r\n{\"Name\":\"x\"}\r\n0\r\n\r\n" + hidden,
                status: 400),
    FramingCase(label: "chunk size overflow",
                raw: put + "Transfer-Encoding: chunked\r\n\r\n1000000000000000c\r\n{\"Name\":\"x\"}\r\n0\r\n\r\n" + hidden,
                status: 400),
    FramingCase(label: "negative Content-Length", raw: put + "Content-Length: -1\r\n\r\n{\"Name\":\"x\"}", status: 400),
    FramingCase(label: "Content-Length beyond 64 bits",
                raw: put + "Content-Length: 18446744073709551628\r\n\r\n{\"Name\":\"x\"}" + hidden, status: 400),
    FramingCase(label: "bare LF after chunk extension",
                raw: put + "Transfer-Encoding: chunked\r\n\r\nc;ext=1\n{\"Name\":\"x\"}\r\n0\r\n\r\n" + hidden, status: 400),
    FramingCase(label: "white space before colon",
                raw: put + "Content-Length : 12\r\n\r\n{\"Name\":\"x\"}" + hidden, status: 400),
    FramingCase(label: "obsolete line folding",
                raw: put + "X-Note: first part\r\n second part\r\nContent-Length: 2\r\n\r\n{}" + hidden, status: 400),
    FramingCase(label: "100 kB header field",
                raw: put + "X-Big: " + String(repeating: "a", count: 100_000) + "\r\nContent-Length: 2\r\n\r\n{}", status: 431),
    FramingCase(label: "request line over 8 KiB",
                raw: "GET /" + String(repeating: "a", count: 9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", status: 414),
    FramingCase(label: "more than 100 fields",
                raw: "GET / HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-F\($0): v\r\n" }.joined() + "\r\n", status: 431),
    FramingCase(label: "body over 4 MiB", raw: put + "Content-Length: 4194305\r\n\r\n", status: 413),
    FramingCase(label: "HTTP/1.1 without Host", raw: "GET / HTTP/1.1\r\n\r\n" + hidden, status: 400),
    FramingCase(label: "unknown transfer coding", raw: put + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", status: 501),
    FramingCase(label: "white space after chunk size",
                raw: put + "Transfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n" + hidden, status: 400),
    FramingCase(label: "target without leading slash", raw: "GET __admin/health HTTP/1.1\r\nHost: x\r\n\r\n" + hidden,
                status: 400),
    FramingCase(label: "asterisk form outside OPTIONS", raw: "GET * HTTP/1.1\r\nHost: x\r\n\r\n" + hidden, status: 400),
    FramingCase(label: "authority form", raw: "GET 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n" + hidden, status: 400),
    FramingCase(label: "fragment in target",
                raw: "PUT /v1/account/ACC-1001/opportunity/OPP-2001#part HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                    + hidden, status: 400),
]

@Suite struct HTTP1FramingTests {
    @Test(arguments: framingCases)
    func malformedRequestRejectedAndClosed(_ testCase: FramingCase) throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try? client.send(testCase.raw)
            let response = try client.readResponse()
            #expect(response.status == testCase.status)
            #expect(response.fields["Connection"] == "close")
            #expect(response.fields["Content-Type"] == "text/html; charset=us-ascii")
            let rest = client.readAll()
            #expect(!String(decoding: rest.bytes, as: UTF8.self).contains("HTTP/1.1"), "a hidden request was answered")
            #expect(rest.closed)

            let other = try RawHTTPClient(port: port)
            try other.send("GET /still-serving HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try other.readResponse(requestMethod: "GET").status == 200)
        }
    }
}

@Suite struct TransportFaultTests {
    @Test func resetSendsRST() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /fault/connectionReset HTTP/1.1\r\nHost: x\r\n\r\n")
            var chunk = [UInt8](repeating: 0, count: 64)
            let count = recv(client.fd, &chunk, chunk.count, 0)
            #expect(count == -1)
            #expect(errno == ECONNRESET)
        }
    }

    @Test func emptyResponseClosesWithoutBytes() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /fault/emptyResponse HTTP/1.1\r\nHost: x\r\n\r\n")
            let result = client.readAll()
            #expect(result.bytes.isEmpty)
            #expect(result.closed)
        }
    }

    @Test func malformedResponseIsNotHTTP() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /fault/malformedResponse HTTP/1.1\r\nHost: x\r\n\r\n")
            let result = client.readAll()
            #expect(result.bytes == HTTP1Session.malformedResponse)
            #expect(result.closed)
        }
    }

    @Test func earlierPipelinedResponsesSentBeforeFault() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /fault/emptyResponse HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse(requestMethod: "GET").bodyText == "GET /first 0")
            #expect(client.waitForClose())
        }
    }
}

@Suite struct GracefulShutdownTests {
    @Test func inFlightRequestFinishesAndIdleCloses() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 2
        let server = HTTPServer(configuration: configuration, handler: EchoHandler(), logger: .disabled)
        try server.start()
        let port = try #require(server.localAddress?.port)
        let idle = try RawHTTPClient(port: port)
        try idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try idle.readResponse(requestMethod: "GET")
        let busy = try RawHTTPClient(port: port)
        try busy.send("GET /delay/300 HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(50_000)

        let start = Clock.monotonicNanoseconds()
        server.shutdown()
        let elapsed = (Clock.monotonicNanoseconds() - start) / 1_000_000
        #expect(elapsed < 2_000)
        let response = try busy.readResponse(requestMethod: "GET")
        #expect(response.status == 200)
        #expect(response.fields["Connection"] == "close")
        #expect(idle.waitForClose())
        #expect(throws: RawClientError.self) { _ = try RawHTTPClient(port: port) }
    }

    @Test func stuckRequestCutAtGraceDeadline() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.timeouts.shutdownGrace = 300
        let server = HTTPServer(configuration: configuration, handler: EchoHandler(), logger: .disabled)
        try server.start()
        let port = try #require(server.localAddress?.port)
        let client = try RawHTTPClient(port: port)
        try client.send("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        usleep(50_000)
        let start = Clock.monotonicNanoseconds()
        server.shutdown()
        let elapsed = (Clock.monotonicNanoseconds() - start) / 1_000_000
        #expect(elapsed >= 250)
        #expect(elapsed < 1_000)
        #expect(client.waitForClose())
    }

    @Test func shutdownEndsWhenPeerCloses() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.timeouts.shutdownGrace = 1_500
        let server = HTTPServer(configuration: configuration, handler: EchoHandler(), logger: .disabled)
        try server.start()
        let port = try #require(server.localAddress?.port)
        let client = try RawHTTPClient(port: port)
        try client.send("GET /delay/200 HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(50_000)
        let start = Clock.monotonicNanoseconds()
        let closer = spawnThread(name: "test-closer") {
            // The client reads its response and closes, as clients do on `Connection: close`.
            let response = try? client.readResponse(requestMethod: "GET")
            #expect(response?.fields["Connection"] == "close")
            #expect(client.waitForClose())
            shutdown(client.fd, Int32(SHUT_RDWR))
        }
        server.shutdown()
        pthread_join(closer, nil)
        let elapsed = (Clock.monotonicNanoseconds() - start) / 1_000_000
        // The response goes out at about 200 ms; the server then waits only for the peer.
        #expect(elapsed < 1_000)
    }

    /// Clients sending requests back to back must see each request answered or the
    /// connection end cleanly on shutdown, never a reset: a RST can destroy a response the
    /// client has not read, and a client cannot tell whether its request was processed.
    @Test func busyConnectionsNotResetOnShutdown() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, handler: EchoHandler(), logger: .disabled)
        try server.start()
        let port = try #require(server.localAddress?.port)
        let resets = Atomic<Int>(0)
        let threads = (0..<16).map { index in
            spawnThread(name: "test-client-\(index)") {
                guard let client = try? RawHTTPClient(port: port) else { return }
                while true {
                    do {
                        try client.send("PUT /c\(index) HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
                        let response = try client.readResponse()
                        if response.fields["Connection"] == "close" {
                            return
                        }
                    } catch RawClientError.reset {
                        resets.add(1, ordering: .relaxed)
                        return
                    } catch {
                        // A clean end of the connection after the server's FIN.
                        return
                    }
                }
            }
        }
        usleep(300_000)
        server.shutdown()
        for thread in threads {
            pthread_join(thread, nil)
        }
        #expect(resets.load(ordering: .relaxed) == 0)
    }
}
