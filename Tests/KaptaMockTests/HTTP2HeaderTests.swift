import Testing
@testable import KaptaMock

/// The conversions between HTTP/2 header lists and our request and response types, and the
/// check of `HTTP2-Settings` before an upgrade.
@Suite struct HTTP2HeaderTests {
    private func makeHead(_ fields: [(String, String)], limits: HTTPLimits = HTTPLimits(),
                          maxHeaderListSize: Int = 32 * 1024) -> Result<HTTPRequestHead, HTTP1ParseError> {
        var builder = HTTP2RequestHeadBuilder(limits: limits, maxHeaderListSize: maxHeaderListSize)
        for (name, value) in fields {
            let nameBytes = Array(name.utf8)
            let valueBytes = Array(value.utf8)
            nameBytes.withUnsafeBufferPointer { namePointer in
                valueBytes.withUnsafeBufferPointer { valuePointer in
                    builder.add(name: namePointer, value: valuePointer)
                }
            }
        }
        return builder.makeHead()
    }

    private let requestPseudoFields = [(":method", "PUT"), (":scheme", "http"), (":path", "/a?b=1"),
                                       (":authority", "api.example:8080")]

    @Test func requestHeadFromPseudoFields() throws {
        let head = try makeHead(requestPseudoFields + [("content-type", "application/json")]).get()
        #expect(head.method == "PUT")
        #expect(head.target == "/a?b=1")
        #expect(head.version == .http2)
        #expect(head.fields["content-type"] == "application/json")
        #expect(head.fields["Host"] == "api.example:8080")
    }

    @Test func requestHeadKeepsSentHost() throws {
        let head = try makeHead(requestPseudoFields + [("host", "other.example")]).get()
        #expect(head.fields.values(for: "host") == ["other.example"])
    }

    @Test func requestHeadJoinsCookies() throws {
        let head = try makeHead(requestPseudoFields + [("cookie", "a=1"), ("accept", "*/*"), ("cookie", "b=2")]).get()
        #expect(head.fields.values(for: "cookie") == ["a=1; b=2"])
        #expect(head.fields.map(\.name) == ["cookie", "accept", "host"])
    }

    @Test func connectRequestTargetsAuthority() throws {
        let head = try makeHead([(":method", "CONNECT"), (":authority", "db.example:5432")]).get()
        #expect(head.target == "db.example:5432")
    }

    @Test func headerListAboveLimitIsRejected() {
        let result = makeHead(requestPseudoFields + [("x-padding", String(repeating: "a", count: 1000))],
                              maxHeaderListSize: 1000)
        #expect(throws: HTTP1ParseError.headerSectionTooLarge) { try result.get() }
    }

    @Test func fieldCountAboveLimitIsRejected() {
        var limits = HTTPLimits()
        limits.maxHeaderCount = 3
        let fields = (0..<4).map { ("x-field-\($0)", "v") }
        let result = makeHead(requestPseudoFields + fields, limits: limits)
        #expect(throws: HTTP1ParseError.tooManyFields) { try result.get() }
    }

    @Test func longPathIsRejectedAsHTTP1Would() {
        var limits = HTTPLimits()
        limits.maxRequestLineLength = 30
        // "PUT " + 16 + " HTTP/1.1" is 29 characters, one more makes 30, two more 31.
        let fits = makeHead([(":method", "PUT"), (":path", "/" + String(repeating: "a", count: 16))], limits: limits)
        let tooLong = makeHead([(":method", "PUT"), (":path", "/" + String(repeating: "a", count: 17))], limits: limits)
        #expect((try? fits.get()) != nil)
        #expect(throws: HTTP1ParseError.requestLineTooLong) { try tooLong.get() }
    }

    @Test func responseDropsConnectionSpecificFields() {
        let fields: HTTPFields = ["Content-Type": "text/plain", "Connection": "close, X-Hop", "Keep-Alive": "timeout=5",
                                  "Transfer-Encoding": "chunked", "Upgrade": "h2c", "X-Hop": "1",
                                  "Content-Length": "99", "Date": "yesterday", "X-Request-Id": "r-1"]
        let headers = HTTP2ResponseHeaders(HTTPResponse(status: .ok, fields: fields, body: Array("hello".utf8)),
                                           requestMethod: "GET", date: "Fri, 04 Dec 2026 10:00:00 GMT")
        #expect(headers.fields.map(\.name) == [":status", "content-type", "x-request-id", "date", "content-length"])
        #expect(headers.fields.map(\.value) == ["200", "text/plain", "r-1", "Fri, 04 Dec 2026 10:00:00 GMT", "5"])
        #expect(headers.sendsBody)
    }

    @Test func responseDropsInvalidField() {
        let fields: HTTPFields = ["X-Bad": "a\r\nb", "Bad Name": "v", "X-Good": "v"]
        let headers = HTTP2ResponseHeaders(HTTPResponse(status: .ok, fields: fields), requestMethod: "GET", date: "d")
        #expect(headers.fields.map(\.name) == [":status", "x-good", "date", "content-length"])
    }

    @Test func responseToHeadCarriesLengthOnly() {
        let headers = HTTP2ResponseHeaders(HTTPResponse(status: .ok, body: Array("hello".utf8)),
                                           requestMethod: "HEAD", date: "d")
        #expect(headers.fields.last?.value == "5")
        #expect(!headers.sendsBody)
    }

    @Test func noContentResponseHasNoLength() {
        let headers = HTTP2ResponseHeaders(HTTPResponse(status: .noContent), requestMethod: "PUT", date: "d")
        #expect(headers.fields.map(\.name) == [":status", "date"])
        #expect(!headers.sendsBody)
    }

    @Test(arguments: [
        ([], true),
        ([0x00, 0x03, 0x00, 0x00, 0x00, 0x64], true),
        ([0x00, 0x02, 0x00, 0x00, 0x00, 0x02], false),
        ([0x00, 0x04, 0x80, 0x00, 0x00, 0x00], false),
        ([0x00, 0x04, 0x7F, 0xFF, 0xFF, 0xFF], true),
        ([0x00, 0x05, 0x00, 0x00, 0x3F, 0xFF], false),
        ([0x00, 0x05, 0x01, 0x00, 0x00, 0x00], false),
        ([0x00, 0x05, 0x00, 0xFF, 0xFF, 0xFF], true),
        ([0x00, 0x08, 0x00, 0x00, 0x00, 0x02], false),
        ([0xF0, 0x0D, 0xFF, 0xFF, 0xFF, 0xFF], true),
        ([0x00, 0x03, 0x00, 0x00, 0x00], false),
    ] as [([UInt8], Bool)])
    func upgradeSettingsPayloadIsChecked(_ payload: [UInt8], _ isAcceptable: Bool) {
        #expect(HTTP2SettingsPayload.isAcceptable(payload) == isAcceptable)
    }

    @Test func upgradeSettingsPayloadEntryLimit() {
        let entry: [UInt8] = [0x00, 0x03, 0x00, 0x00, 0x00, 0x64]
        #expect(HTTP2SettingsPayload.isAcceptable(Array(repeating: entry, count: 32).flatMap { $0 }))
        #expect(!HTTP2SettingsPayload.isAcceptable(Array(repeating: entry, count: 33).flatMap { $0 }))
    }
}
