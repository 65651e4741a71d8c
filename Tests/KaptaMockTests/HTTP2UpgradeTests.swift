import Testing
@testable import KaptaMock

/// The switch from HTTP/1.1 to HTTP/2, seen on the wire with a raw socket.
@Suite struct HTTP2UpgradeTests {
    private func upgradeRequest(settings: String) -> String {
        "GET /switch HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
            + "HTTP2-Settings: \(settings)\r\n\r\n"
    }

    @Test func validSettingsSwitchWithServerSettingsFirst() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            // SETTINGS_MAX_CONCURRENT_STREAMS = 100.
            try client.send(upgradeRequest(settings: "AAMAAABk"))
            let switching = try client.readResponse(requestMethod: "GET")
            try client.send(HTTP1Session.http2Preface + [0, 0, 0, 4, 0, 0, 0, 0, 0])
            client.setReadTimeout(milliseconds: 500)
            let frames = client.readAll().bytes
            #expect(switching.status == 101)
            #expect(switching.fields["Upgrade"] == "h2c")
            // RFC 9113, 3.4: the server's connection preface is a SETTINGS frame (type 4).
            try #require(frames.count >= 9)
            #expect(frames[3] == 4)
        }
    }

    @Test(arguments: ["AAIAAAAC", "AAQAAAAA*", "AAMAAAB"]) func badSettingsGetHTTP1Answer(_ settings: String) throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send(upgradeRequest(settings: settings))
            let response = try client.readResponse(requestMethod: "GET")
            #expect(response.status == 200)
            #expect(response.bodyText == "GET /switch 0")
        }
    }

    @Test func upgradeWithoutSettingsFieldGetsHTTP1Answer() throws {
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /switch HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
            let response = try client.readResponse(requestMethod: "GET")
            #expect(response.status == 200)
            #expect(response.bodyText == "GET /switch 0")
        }
    }

    @Test func priorKnowledgeDisabledGets505() throws {
        try withHTTPServer(handler: EchoHandler(), configure: { $0.http2.priorKnowledge = false }) { port, _ in
            let client = try RawHTTPClient(port: port)
            try client.send(HTTP1Session.http2Preface)
            let response = try client.readResponse(requestMethod: "GET")
            #expect(response.status == 505)
        }
    }
}
