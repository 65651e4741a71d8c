import Glibc
import Testing
@testable import KaptaMock

/// A request the parser must accept, with what it must produce.
struct ValidRequestCase: CustomTestStringConvertible, Sendable {
    var label: String
    var raw: String
    var method: String
    var target: String
    var version: HTTPVersion = .http1_1
    var fields: [HTTPField]
    var body: String = ""
    var trailers: [HTTPField] = []

    var testDescription: String { label }
}

/// A request the parser must reject, with the status the rejection maps to.
struct RejectedRequestCase: CustomTestStringConvertible, Sendable {
    var label: String
    var raw: String
    var status: Int
    var limits = HTTPLimits()

    var testDescription: String { label }
}

private func fields(_ pairs: [(String, String)]) -> [HTTPField] {
    pairs.map { HTTPField(name: $0.0, value: $0.1) }
}

let validRequests: [ValidRequestCase] = [
    ValidRequestCase(label: "GET without body", raw: "GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                     method: "GET", target: "/a?b=1", fields: fields([("Host", "x")])),
    ValidRequestCase(label: "PUT with Content-Length",
                     raw: "PUT /v1/account/A/opportunity/O HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 11\r\n\r\n{\"Name\":\"x\"",
                     method: "PUT", target: "/v1/account/A/opportunity/O",
                     fields: fields([("Host", "h"), ("Content-Type", "application/json"), ("Content-Length", "11")]),
                     body: "{\"Name\":\"x\""),
    ValidRequestCase(label: "chunked with extensions and trailers",
                     raw: "PUT /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;name=value;q=\"a \\\"b\"\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-Sum: 1\r\nX-Two: 2\r\n\r\n",
                     method: "PUT", target: "/p", fields: fields([("Host", "h"), ("Transfer-Encoding", "chunked")]),
                     body: "hello world", trailers: fields([("X-Sum", "1"), ("X-Two", "2")])),
    ValidRequestCase(label: "duplicate fields keep order and case",
                     raw: "GET / HTTP/1.1\r\nhost: h\r\nX-A: 1\r\nx-a:2\r\nX-A:  3 \t\r\n\r\n",
                     method: "GET", target: "/", fields: fields([("host", "h"), ("X-A", "1"), ("x-a", "2"), ("X-A", "3")])),
    ValidRequestCase(label: "HTTP/1.0 without Host", raw: "GET / HTTP/1.0\r\n\r\n",
                     method: "GET", target: "/", version: .http1_0, fields: []),
    ValidRequestCase(label: "absolute-form target",
                     raw: "PUT http://127.0.0.1/v1/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nok",
                     method: "PUT", target: "http://127.0.0.1/v1/x", fields: fields([("Host", "127.0.0.1"), ("Content-Length", "2")]),
                     body: "ok"),
    ValidRequestCase(label: "empty lines before the request line", raw: "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
                     method: "GET", target: "/", fields: fields([("Host", "h")])),
    ValidRequestCase(label: "identical Content-Length list",
                     raw: "PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
                     method: "PUT", target: "/",
                     fields: fields([("Host", "h"), ("Content-Length", "3, 3"), ("Content-Length", "3")]), body: "abc"),
    ValidRequestCase(label: "asterisk form for OPTIONS", raw: "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
                     method: "OPTIONS", target: "*", fields: fields([("Host", "h")])),
    ValidRequestCase(label: "chunk extension after white space",
                     raw: "PUT /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3 ;a=b\r\nabc\r\n0\r\n\r\n",
                     method: "PUT", target: "/p", fields: fields([("Host", "h"), ("Transfer-Encoding", "chunked")]),
                     body: "abc"),
    ValidRequestCase(label: "HTTP/1.2 served as 1.1", raw: "GET / HTTP/1.2\r\nHost: h\r\n\r\n",
                     method: "GET", target: "/", fields: fields([("Host", "h")])),
    ValidRequestCase(label: "obs-text and empty value", raw: "GET / HTTP/1.1\r\nHost: h\r\nX-E:\r\nX-U: caf\u{E9}\r\n\r\n",
                     method: "GET", target: "/", fields: fields([("Host", "h"), ("X-E", ""), ("X-U", "caf\u{E9}")])),
    ValidRequestCase(label: "chunked with upper-case hex and leading zeros",
                     raw: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n000A\r\n0123456789\r\n0\r\n\r\n",
                     method: "POST", target: "/", fields: fields([("Host", "h"), ("Transfer-Encoding", "Chunked")]),
                     body: "0123456789"),
]

let rejectedRequests: [RejectedRequestCase] = {
    var limits = HTTPLimits()
    limits.maxBodySize = 10
    limits.maxHeaderCount = 3
    limits.maxRequestLineLength = 40
    limits.maxHeaderSectionSize = 64
    let put = "PUT /p HTTP/1.1\r\nHost: h\r\n"
    return [
        RejectedRequestCase(label: "Content-Length with Transfer-Encoding",
                            raw: put + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
        RejectedRequestCase(label: "conflicting Content-Length fields",
                            raw: put + "Content-Length: 12\r\nContent-Length: 0\r\n\r\n", status: 400),
        RejectedRequestCase(label: "conflicting Content-Length list", raw: put + "Content-Length: 1, 2\r\n\r\n", status: 400),
        RejectedRequestCase(label: "negative Content-Length", raw: put + "Content-Length: -1\r\n\r\n", status: 400),
        RejectedRequestCase(label: "Content-Length beyond 64 bits",
                            raw: put + "Content-Length: 18446744073709551628\r\n\r\n", status: 400),
        RejectedRequestCase(label: "Content-Length with sign", raw: put + "Content-Length: +5\r\n\r\n", status: 400),
        RejectedRequestCase(label: "empty Content-Length", raw: put + "Content-Length:\r\n\r\n", status: 400),
        RejectedRequestCase(label: "chunked not last",
                            raw: put + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x-custom\r\n\r\n", status: 400),
        RejectedRequestCase(label: "chunked twice", raw: put + "Transfer-Encoding: chunked, chunked\r\n\r\n", status: 400),
        RejectedRequestCase(label: "unknown coding before chunked",
                            raw: put + "Transfer-Encoding: gzip, chunked\r\n\r\n", status: 501),
        RejectedRequestCase(label: "Transfer-Encoding in HTTP/1.0",
                            raw: "PUT /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
        RejectedRequestCase(label: "chunk size of 17 hex digits",
                            raw: put + "Transfer-Encoding: chunked\r\n\r\n1000000000000000c\r\n", status: 400),
        RejectedRequestCase(label: "chunk size not hex", raw: put + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", status: 400),
        RejectedRequestCase(label: "bare LF after chunk extension",
                            raw: put + "Transfer-Encoding: chunked\r\n\r\nc;ext=1\n{\"Name\":\"x\"}\r\n0\r\n\r\n", status: 400),
        RejectedRequestCase(label: "chunk data without CRLF",
                            raw: put + "Transfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", status: 400),
        RejectedRequestCase(label: "bad chunk extension", raw: put + "Transfer-Encoding: chunked\r\n\r\n2;=\r\n", status: 400),
        RejectedRequestCase(label: "white space before colon", raw: put + "Content-Length : 12\r\n\r\n", status: 400),
        RejectedRequestCase(label: "obs-fold", raw: put + "X-Note: first\r\n second\r\n\r\n", status: 400),
        RejectedRequestCase(label: "bare LF in header", raw: "GET / HTTP/1.1\nHost: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "bare LF ending head", raw: "GET / HTTP/1.1\r\nHost: h\r\n\n", status: 400),
        RejectedRequestCase(label: "lone CR in value", raw: "GET / HTTP/1.1\r\nHost: h\rx\r\n\r\n", status: 400),
        RejectedRequestCase(label: "NUL in value", raw: "GET / HTTP/1.1\r\nHost: h\u{0}\r\n\r\n", status: 400),
        RejectedRequestCase(label: "field without colon", raw: "GET / HTTP/1.1\r\nHost h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "empty field name", raw: "GET / HTTP/1.1\r\n: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "missing Host in HTTP/1.1", raw: "GET / HTTP/1.1\r\n\r\n", status: 400),
        RejectedRequestCase(label: "two Host fields", raw: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
        RejectedRequestCase(label: "two spaces in request line", raw: "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "lower-case version", raw: "GET / http/1.1\r\nHost: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "no version", raw: "GET /\r\nHost: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "control character in target", raw: "GET /a\u{7F} HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "HTTP/2.0 request line", raw: "GET / HTTP/2.0\r\nHost: h\r\n\r\n", status: 505),
        RejectedRequestCase(label: "target without leading slash", raw: "GET __admin/health HTTP/1.1\r\nHost: h\r\n\r\n",
                            status: 400),
        RejectedRequestCase(label: "asterisk form for GET", raw: "GET * HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "authority form", raw: "GET 127.0.0.1:80 HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "fragment in target", raw: "PUT /a/b#part HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "absolute form of another scheme",
                            raw: "GET ftp://h/a HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        RejectedRequestCase(label: "white space after chunk size",
                            raw: put + "Transfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n", status: 400),
        RejectedRequestCase(label: "request line too long",
                            raw: "GET /" + String(repeating: "a", count: 40) + " HTTP/1.1\r\nHost: h\r\n\r\n",
                            status: 414, limits: limits),
        RejectedRequestCase(label: "request line too long before its end",
                            raw: "GET /" + String(repeating: "a", count: 60), status: 414, limits: limits),
        RejectedRequestCase(label: "too many fields",
                            raw: "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", status: 431, limits: limits),
        RejectedRequestCase(label: "header section too large",
                            raw: "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "a", count: 70) + "\r\n\r\n",
                            status: 431, limits: limits),
        RejectedRequestCase(label: "header section too large before its end",
                            raw: "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "a", count: 70),
                            status: 431, limits: limits),
        RejectedRequestCase(label: "Content-Length above the body limit",
                            raw: "PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", status: 413, limits: limits),
        RejectedRequestCase(label: "chunked body above the body limit",
                            raw: "PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n",
                            status: 413, limits: limits),
    ]
}()

/// Feeds `chunks` one after another and collects every complete request.
private func parse(_ chunks: [[UInt8]], limits: HTTPLimits = HTTPLimits()) throws(HTTP1ParseError) -> [HTTPRequest] {
    var parser = HTTP1RequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    for chunk in chunks {
        parser.append(chunk)
        while true {
            switch try parser.next() {
            case .needMoreData:
                break
            case .headAwaitingBody:
                continue
            case .request(let request):
                requests.append(request)
                continue
            }
            break
        }
    }
    return requests
}

private func expectMatches(_ request: HTTPRequest?, _ expected: ValidRequestCase) {
    #expect(request?.head.method == expected.method)
    #expect(request?.head.target == expected.target)
    #expect(request?.head.version == expected.version)
    #expect(request.map { Array($0.head.fields) } == expected.fields)
    #expect(request.map { String(decoding: $0.body, as: UTF8.self) } == expected.body)
    #expect(request.map { Array($0.trailers) } == expected.trailers)
}

@Suite struct HTTP1ParserTests {
    @Test(arguments: validRequests)
    func parsesWholeRequest(_ testCase: ValidRequestCase) throws {
        let requests = try parse([Array(testCase.raw.utf8)])
        #expect(requests.count == 1)
        expectMatches(requests.first, testCase)
    }

    @Test(arguments: validRequests)
    func everyPrefixIsIncomplete(_ testCase: ValidRequestCase) throws {
        let bytes = Array(testCase.raw.utf8)
        for length in 0..<bytes.count {
            let requests = try parse([Array(bytes[..<length])])
            #expect(requests.isEmpty, "prefix of \(length) bytes produced a request")
        }
    }

    @Test(arguments: validRequests)
    func everySplitParsesTheSame(_ testCase: ValidRequestCase) throws {
        let bytes = Array(testCase.raw.utf8)
        for split in 1..<bytes.count {
            let requests = try parse([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(requests.count == 1, "split at \(split)")
            expectMatches(requests.first, testCase)
        }
    }

    @Test(arguments: validRequests)
    func byteAtATimeParsesTheSame(_ testCase: ValidRequestCase) throws {
        let requests = try parse(testCase.raw.utf8.map { [$0] })
        #expect(requests.count == 1)
        expectMatches(requests.first, testCase)
    }

    @Test(arguments: rejectedRequests)
    func rejectsWithStatus(_ testCase: RejectedRequestCase) {
        #expect(throws: HTTP1ParseError.self) { try parse([Array(testCase.raw.utf8)], limits: testCase.limits) }
        do {
            _ = try parse([Array(testCase.raw.utf8)], limits: testCase.limits)
        } catch {
            #expect(error.status.code == testCase.status, "\(error)")
        }
    }

    @Test(arguments: rejectedRequests)
    func rejectsWhenFedByteAtATime(_ testCase: RejectedRequestCase) {
        do {
            _ = try parse(testCase.raw.utf8.map { [$0] }, limits: testCase.limits)
            Issue.record("accepted when fed byte at a time")
        } catch {
            #expect(error.status.code == testCase.status, "\(error)")
        }
    }

    @Test func pipelinedRequestsComeOutInOrder() throws {
        let raw = validRequests.map(\.raw).joined()
        let requests = try parse([Array(raw.utf8)])
        #expect(requests.count == validRequests.count)
        for (request, expected) in zip(requests, validRequests) {
            expectMatches(request, expected)
        }
    }

    @Test func headIsReportedBeforeItsBody() throws {
        var parser = HTTP1RequestParser(limits: HTTPLimits())
        parser.append(Array("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nab".utf8))
        guard case .headAwaitingBody(let head) = try parser.next() else {
            Issue.record("head not reported")
            return
        }
        #expect(head.fields["expect"] == "100-continue")
        guard case .needMoreData = try parser.next() else {
            Issue.record("request completed early")
            return
        }
        parser.append(Array("cd".utf8))
        guard case .request(let request) = try parser.next() else {
            Issue.record("request not completed")
            return
        }
        #expect(request.body == Array("abcd".utf8))
    }

    @Test func errorIsSticky() {
        var parser = HTTP1RequestParser(limits: HTTPLimits())
        parser.append(Array("GET / HTTP/1.1\nHost: h\r\n\r\n".utf8))
        #expect(throws: HTTP1ParseError.bareLineFeed) { try parser.next() }
        parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        #expect(throws: HTTP1ParseError.bareLineFeed) { try parser.next() }
    }

    @Test func unconsumedBytesAreHandedOver() throws {
        var parser = HTTP1RequestParser(limits: HTTPLimits())
        parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\nPRI * HTTP/2.0".utf8))
        guard case .request = try parser.next() else {
            Issue.record("request not parsed")
            return
        }
        #expect(parser.takeUnconsumedBytes() == Array("PRI * HTTP/2.0".utf8))
    }
}

/// Writes the parser test table as a libFuzzer seed corpus when `KAPTA_EXPORT_HTTP1_CORPUS`
/// names a directory (`make fuzz-corpus`); otherwise checks that the table is non-empty.
@Suite struct HTTP1FuzzCorpus {
    @Test func exportTable() throws {
        let inputs = validRequests.map(\.raw) + rejectedRequests.map(\.raw) + framingCases.map(\.raw)
        #expect(inputs.count > 50)
        guard let directory = getenv("KAPTA_EXPORT_HTTP1_CORPUS").map({ String(cString: $0) }) else {
            return
        }
        for (index, input) in inputs.enumerated() {
            // The first byte picks the piece size the fuzz target splits the input into.
            let bytes = [UInt8(index % 16)] + Array(input.utf8)
            let file = fopen("\(directory)/table-\(index)", "wb")
            try #require(file != nil)
            _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
    }
}

@Suite struct HTTP1ParserSplitConsistency {
    /// A bare LF beyond the header size limit must give the same status whether the bytes
    /// arrive at once or in pieces (found by fuzzing: it gave 400 whole and 431 in pieces).
    @Test func limitBeforeBareLineFeed() {
        var limits = HTTPLimits()
        limits.maxHeaderSectionSize = 64
        let raw = Array(("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 100) + "\n\r\n").utf8)
        var statuses: [Int] = []
        for pieceSize in [raw.count, 1, 7] {
            var parser = HTTP1RequestParser(limits: limits)
            var offset = 0
            var status: Int?
            while offset < raw.count && status == nil {
                parser.append(Array(raw[offset..<min(offset + pieceSize, raw.count)]))
                offset += pieceSize
                do {
                    _ = try parser.next()
                } catch {
                    status = error.status.code
                }
            }
            statuses.append(status ?? 0)
        }
        #expect(statuses == [431, 431, 431])
    }
}

@Suite struct ContentLengthGrammarTests {
    @Test(arguments: ["5", "0005", " 5 ", "5,5", "5 , 5", "5,\t5"])
    func accepts(value: String) throws {
        var parser = HTTP1RequestParser(limits: HTTPLimits())
        parser.append(Array("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: \(value)\r\n\r\nabcde".utf8))
        guard case .request(let request) = try parser.next() else {
            Issue.record("no request for Content-Length '\(value)'")
            return
        }
        #expect(request.body.count == 5)
    }

    @Test(arguments: ["5 5", "5,", ",5", "5,,5", "0x5", "5a", "-5", "1234567890123456789", "5,6"])
    func rejects(value: String) {
        var parser = HTTP1RequestParser(limits: HTTPLimits())
        parser.append(Array("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: \(value)\r\n\r\nabcde".utf8))
        #expect(throws: HTTP1ParseError.self) { try parser.next() }
    }
}
