import Glibc
import Synchronization
import Testing
@testable import KaptaMock

/// The HTTP/1.1 engine over real sockets on 127.0.0.1.
@Suite struct HTTP1ServerTests {
    @Test func portZeroBindsAFreePort() throws {
        try withHTTPServer(handler: EchoHandler()) { port, server in
            #expect(port > 0)
            #expect(server.localAddress?.host == "127.0.0.1")
            let client = try RawHTTPClient(port: port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse(requestMethod: "GET")
            #expect(response.status == 200)
            #expect(response.reasonPhrase == "OK")
            #expect(response.bodyText == "GET /hello 0")
            #expect(response.fields["Date"]?.hasSuffix(" GMT") == true)
            #expect(response.fields["Content-Length"] == "12")
        }
    }

    @Test func servesIPv6() throws {
        try withHTTPServer(handler: EchoHandler(), configure: { $0.host = "::1" }) { port, server in
            #expect(server.localAddress?.description == "[::1]:\(port)")
            let client = try RawHTTPClient(port: port, host: "::1")
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse(requestMethod: "GET").status == 200)
        }
    }

    @Test func secondServerOnSamePortFails() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            var configuration = HTTPServerConfiguration()
            configuration.port = port
            let second = HTTPServer(configuration: configuration, handler: EchoHandler(), logger: .disabled)
            #expect(throws: HTTPServerError.self) { try second.start() }
        }
    }

    @Test func pipelinedRequestsAnsweredInOrder() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            var batch = ""
            for index in 0..<20 {
                batch += "PUT /r\(index) HTTP/1.1\r\nHost: x\r\nContent-Length: \(index)\r\n\r\n"
                    + String(repeating: "b", count: index)
            }
            try client.send(batch)
            for index in 0..<20 {
                let response = try client.readResponse()
                #expect(response.bodyText == "PUT /r\(index) \(index)")
            }
        }
    }

    @Test func delayedResponseKeepsPipelineOrder() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /delay/150 HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            let start = Clock.monotonicNanoseconds()
            let first = try client.readResponse(requestMethod: "GET")
            let elapsed = (Clock.monotonicNanoseconds() - start) / 1_000_000
            #expect(first.bodyText == "GET /delay/150 0")
            #expect(elapsed >= 140)
            #expect(try client.readResponse(requestMethod: "GET").bodyText == "GET /after 0")
        }
    }

    @Test func continueSentBeforeBody() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("PUT /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            #expect(interim.reasonPhrase == "Continue")
            try client.send("hello")
            let final = try client.readResponse()
            #expect(final.status == 200)
            #expect(final.bodyText == "PUT /upload 5")
        }
    }

    @Test func earlyResponseInsteadOfContinueCloses() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("PUT /reject-early HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 401)
            #expect(response.bodyText == "early")
            #expect(response.fields["Connection"] == "close")
            #expect(client.waitForClose())
        }
    }

    @Test func slowClientIsServed() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            let request = Array("PUT /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc".utf8)
            for byte in request {
                try client.send([byte])
                usleep(10_000)
            }
            #expect(try client.readResponse().bodyText == "PUT /slow 3")
        }
    }

    @Test func stalledHeadersClosedAfterTimeout() throws {
        try withHTTPServer(handler: EchoHandler(), configure: { $0.timeouts.headerRead = 300 }) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Partial: ")
            let start = Clock.monotonicNanoseconds()
            #expect(client.waitForClose())
            let elapsed = (Clock.monotonicNanoseconds() - start) / 1_000_000
            #expect(elapsed >= 250)
            #expect(elapsed < 2_000)
        }
    }

    @Test func idleConnectionClosedAfterTimeout() throws {
        try withHTTPServer(handler: EchoHandler(), configure: { $0.timeouts.idle = 300 }) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse(requestMethod: "GET").status == 200)
            #expect(client.waitForClose())
        }
    }

    @Test func connectionCloseHonoured() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse(requestMethod: "GET")
            #expect(response.fields["Connection"] == "close")
            let rest = client.readAll()
            #expect(rest.bytes.isEmpty)
            #expect(rest.closed)
        }
    }

    @Test func http10KeepAliveThenClose() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n")
            let first = try client.readResponse(requestMethod: "GET")
            #expect(first.fields["Connection"] == "keep-alive")
            let second = try client.readResponse(requestMethod: "GET")
            #expect(second.bodyText == "GET /b 0")
            #expect(second.fields["Connection"] == "close")
            #expect(client.waitForClose())
        }
    }

    @Test func absoluteFormTarget() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET http://127.0.0.1/abs?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try client.readResponse(requestMethod: "GET").bodyText == "GET http://127.0.0.1/abs?q=1 0")
        }
    }

    @Test func chunkedBodyDecoded() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n")
            #expect(try client.readResponse().bodyText == "PUT /c 5")
        }
    }

    @Test func headResponseHasNoBody() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /g HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(requestMethod: "HEAD")
            #expect(head.fields["Content-Length"] == "9")
            #expect(try client.readResponse(requestMethod: "GET").bodyText == "GET /g 0")
        }
    }

    @Test func manyKeepAliveConnectionsServed() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            var clients: [RawHTTPClient] = []
            for _ in 0..<1_000 {
                clients.append(try RawHTTPClient(port: port))
            }
            for (index, client) in clients.enumerated() {
                try client.send("GET /c\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            }
            for (index, client) in clients.enumerated() {
                #expect(try client.readResponse(requestMethod: "GET").bodyText == "GET /c\(index) 0")
            }
            for (index, client) in clients.enumerated() {
                try client.send("GET /again\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse(requestMethod: "GET").bodyText == "GET /again\(index) 0")
            }
        }
    }

    @Test func connectionLimitRejectsExtraConnections() throws {
        try withHTTPServer(handler: EchoHandler(), configure: { $0.limits.maxConnections = 2 }) { port, _ in
            let first = try RawHTTPClient(port: port)
            let second = try RawHTTPClient(port: port)
            try first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            try second.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try first.readResponse(requestMethod: "GET").status == 200)
            #expect(try second.readResponse(requestMethod: "GET").status == 200)
            let third = try RawHTTPClient(port: port)
            #expect(third.waitForClose())
        }
    }
}
