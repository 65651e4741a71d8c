import Testing
@testable import KaptaMock

let notSupportedGET = "The requested resource does not support http method 'GET'."

/// Section 5: content negotiation of error bodies, checked on a 405 that any header set can
/// produce, over a socket.
@Suite struct KaptaNegotiationTests {
    /// Sends a GET with a valid token and `headers`, which the fake rejects with 405.
    func negotiate(_ headers: KeyValuePairs<String, String>) throws -> WireResponse {
        try withKaptaServer { server in
            let list = [("Authorization", "token alice-token")] + headers.map { ($0.key, $0.value) }
            return try server.exchange(method: "GET", target: KaptaFixtures.opportunityPath, headerList: list, body: [])
        }
    }

    static let jsonBody = "{\"Message\":\"\(notSupportedGET)\"}"
    static let xmlBody = "<Error><Message>\(notSupportedGET)</Message></Error>"

    @Test(arguments: [
        ("", "application/json", jsonBody),
        ("text/xml, application/json", "application/json", jsonBody),
        ("application/xml", "application/xml", xmlBody),
        ("text/xml", "text/xml", xmlBody),
        ("application/xml;q=0.9, */*;q=0.8", "application/xml", xmlBody),
        ("application/xml;q=0.5, */*", "application/json", jsonBody),
        ("text/*", "text/json", jsonBody),
        ("*/*", "application/json", jsonBody),
        ("application/*", "application/json", jsonBody),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html", jsonBody),
        ("image/png", "application/json", jsonBody),
        ("application/json;q=0", "application/json", jsonBody),
        ("application/json;q=0, application/xml;q=0.1", "application/xml", xmlBody),
        ("APPLICATION/XML; charset=utf-16", "application/xml", xmlBody),
        ("not a media type, text/xml", "text/xml", xmlBody),
    ])
    func acceptHeader(accept: String, mediaType: String, body: String) throws {
        let headers: KeyValuePairs<String, String> = accept.isEmpty ? [:] : ["Accept": accept]
        let response = try negotiate(headers)
        #expect(response.status == 405)
        #expect(response.fields["Content-Type"] == "\(mediaType); charset=utf-8")
        #expect(response.bodyText == body)
    }

    @Test(arguments: [("application/xml", "application/xml", xmlBody), ("text/xml; charset=utf-8", "text/xml", xmlBody),
                      ("text/json", "text/json", jsonBody), ("text/html", "text/html", jsonBody),
                      ("text/plain", "application/json", jsonBody)])
    func requestContentTypeWithoutAccept(contentType: String, mediaType: String, body: String) throws {
        let response = try negotiate(["Content-Type": contentType])
        #expect(response.fields["Content-Type"] == "\(mediaType); charset=utf-8")
        #expect(response.bodyText == body)
    }

    @Test func unmatchedAcceptFallsBackToRequestType() throws {
        let response = try negotiate(["Accept": "image/png", "Content-Type": "application/xml"])
        #expect(response.fields["Content-Type"] == "application/xml; charset=utf-8")
    }

    @Test func ajaxMappingBeatsRequestType() throws {
        let response = try negotiate(["X-Requested-With": "XMLHttpRequest", "Content-Type": "application/xml"])
        #expect(response.fields["Content-Type"] == "application/json; charset=utf-8")
    }

    @Test func acceptCharsetUTF16() throws {
        let response = try negotiate(["Accept-Charset": "utf-16"])
        #expect(response.fields["Content-Type"] == "application/json; charset=utf-16")
        let expected: [UInt8] = [0xFF, 0xFE] + Self.jsonBody.utf16.flatMap {
            [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)]
        }
        #expect(response.body == expected)
    }

    @Test func xmlInUTF16() throws {
        let response = try negotiate(["Accept": "application/xml", "Accept-Charset": "UTF-16;q=0.9, iso-8859-1"])
        #expect(response.fields["Content-Type"] == "application/xml; charset=utf-16")
        #expect(Array(response.body.prefix(4)) == [0xFF, 0xFE, UInt8(ascii: "<"), 0])
    }

    @Test func requestCharsetSelectsUTF16() throws {
        let response = try negotiate(["Content-Type": "application/json; charset=utf-16"])
        #expect(response.fields["Content-Type"] == "application/json; charset=utf-16")
    }

    @Test(arguments: [("*", "utf-8"), ("iso-8859-1", "utf-8"), ("utf-16;q=0, utf-8;q=0.1", "utf-8"),
                      ("utf-8;q=0.2, utf-16;q=0.5", "utf-16")])
    func acceptCharsetChoices(acceptCharset: String, charset: String) throws {
        let response = try negotiate(["Accept-Charset": acceptCharset, "Content-Type": "application/json; "
            + "charset=utf-16"])
        let expected = acceptCharset == "iso-8859-1" ? "utf-16" : charset
        #expect(response.fields["Content-Type"] == "application/json; charset=\(expected)")
    }
}
