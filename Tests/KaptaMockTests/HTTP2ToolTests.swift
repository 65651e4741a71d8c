import Testing
@testable import KaptaMock

/// HTTP/2 through the nghttp2 command-line clients `nghttp` and `h2load`.
@Suite struct HTTP2ToolTests {
    private static let body = #"{"name":"Renewal 2027","amount":12500.50}"#

    /// Parses the response fields out of `nghttp -v` output, from lines such as
    /// `[  0.001] recv (stream_id=13) content-length: 11`.
    private func receivedFields(_ verboseOutput: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in verboseOutput.split(separator: "\n") {
            guard let marker = line.range(of: "recv (stream_id=") else {
                continue
            }
            let rest = line[marker.upperBound...].drop { $0 != ")" }.dropFirst().drop { $0 == " " }
            guard let separator = rest.dropFirst().firstIndex(of: ":") else {
                continue
            }
            let name = String(rest[..<separator])
            let value = rest[rest.index(after: separator)...].drop { $0 == " " }
            fields[name] = String(value)
        }
        return fields
    }

    @Test(arguments: [[], ["-u"]]) func nghttpPutMatchesHTTP1(_ modeArguments: [String]) throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(Array(Self.body.utf8), named: "body")
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let url = "http://127.0.0.1:\(port)/nghttp"
            let arguments = modeArguments
                + ["-d", file, "-H", ":method: PUT", "-H", "content-type: application/json", url]
            let plain = try ExternalProcess.run("nghttp", arguments)
            let verbose = try ExternalProcess.run("nghttp", ["-v"] + arguments)
            let http1 = try curl(port: port, path: "/nghttp", ["--http1.1", "-X", "PUT", "--data-binary", "@\(file)",
                                                               "-H", "Content-Type: application/json"])
            let fields = receivedFields(verbose.outputText)
            #expect(plain.exitCode == 0)
            #expect(plain.standardOutput == http1.body)
            #expect(fields[":status"] == String(http1.status))
            #expect(fields["content-type"] == http1.fields["Content-Type"])
            #expect(fields["content-length"] == http1.fields["Content-Length"])
            #expect(fields["date"] != nil)
        }
    }

    @Test func h2loadCompletesEveryRequest() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(Array(Self.body.utf8), named: "body")
        try withHTTPServer(handler: EchoHandler()) { port, _ in
            let output = try ExternalProcess.run("h2load", ["-n", "600", "-c", "3", "-m", "10", "-d", file,
                                                           "-H", ":method: PUT", "http://127.0.0.1:\(port)/load"])
            let text = output.outputText
            #expect(output.exitCode == 0)
            #expect(text.contains("requests: 600 total, 600 started, 600 done, 600 succeeded, 0 failed"))
            #expect(text.contains("status codes: 600 2xx"))
        }
    }
}
