import Testing
@testable import KaptaMock

private typealias Support = XMLTestSupport

@Suite struct XMLEncodingTests {
    static let document = Support.model("<Name>Zürich €</Name>")

    @Test(arguments: [true, false])
    func utf16LittleEndianWithCharset(byteOrderMark: Bool) {
        let body = Support.utf16(Self.document, bigEndian: false, byteOrderMark: byteOrderMark)
        #expect(XMLModelReader.read(body: body, charset: "utf-16").model?.name == "Zürich €")
    }

    @Test func utf16CharsetMatchesCaseInsensitively() {
        let body = Support.utf16(Self.document, bigEndian: false, byteOrderMark: true)
        #expect(XMLModelReader.read(body: body, charset: "UTF-16").model?.name == "Zürich €")
    }

    /// The charset decides the expected encoding, so a byte-order mark that disagrees is an error.
    @Test(arguments: [true, false])
    func utf16WithoutCharsetIsRejected(byteOrderMark: Bool) {
        let body = Support.utf16(Self.document, bigEndian: false, byteOrderMark: byteOrderMark)
        let result = XMLModelReader.read(body: body, charset: nil)
        #expect(result.model == nil)
        #expect(result.errors == [ModelStateEntry(key: "model", message: "The expected encoding 'utf-8' does not match "
            + "the actual encoding 'utf-16LE'.", isDeserializerError: true)])
    }

    @Test(arguments: [(true, "utf-16"), (false, "utf-16"), (true, nil), (false, nil)] as [(Bool, String?)])
    func utf16BigEndianIsRejected(byteOrderMark: Bool, charset: String?) {
        let body = Support.utf16(Self.document, bigEndian: true, byteOrderMark: byteOrderMark)
        let expected = charset == nil ? "utf-8" : "utf-16LE"
        #expect(Support.errorMessage(XMLModelReader.read(body: body, charset: charset))
            == "The expected encoding '\(expected)' does not match the actual encoding 'utf-16BE'.")
    }

    @Test func utf8WithUTF16CharsetIsRejected() {
        #expect(Support.errorMessage(Support.read(Self.document, charset: "utf-16"))
            == "The expected encoding 'utf-16LE' does not match the actual encoding 'utf-8'.")
    }

    @Test(arguments: [nil, "utf-8", "iso-8859-1", "bogus"] as [String?])
    func otherCharsetsReadAsUTF8(charset: String?) {
        #expect(Support.read(Self.document, charset: charset).model?.name == "Zürich €")
    }

    @Test func utf8ByteOrderMarkIsSkipped() {
        let body: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(Self.document.utf8)
        #expect(XMLModelReader.read(body: body, charset: nil).model?.name == "Zürich €")
    }

    @Test func invalidUTF8InMemberIsError() {
        let body = Array(Support.open.utf8) + Array("<Name>a".utf8) + [0xC3, 0x28] + Array("</Name>".utf8)
            + Array(Support.close.utf8)
        #expect(Support.errorMessage(XMLModelReader.read(body: body, charset: nil)) == Support.deserializing
            + "'a\u{FFFD}(' contains invalid UTF8 bytes.")
    }

    /// WCF decodes UTF-8 only when a value is read, so bytes inside a skipped element pass.
    @Test func invalidUTF8InSkippedElementPasses() {
        let body = Array(Support.open.utf8) + Array("<Extra>".utf8) + [0xFF] + Array("</Extra>".utf8)
            + Array(Support.close.utf8)
        #expect(XMLModelReader.read(body: body, charset: nil).model != nil)
    }

    @Test func invalidUTF8InNameIsError() {
        let body = Array(Support.open.utf8) + [0x3C, 0xC3, 0x3E, 0x3C, 0x2F, 0xC3, 0x3E] + Array(Support.close.utf8)
        #expect(Support.errorMessage(XMLModelReader.read(body: body, charset: nil)) == Support.deserializing
            + "'\u{FFFD}' contains invalid UTF8 bytes.")
    }

    @Test func unpairedSurrogateInUTF16IsError() {
        var body = Support.utf16("<a>", bigEndian: false, byteOrderMark: true)
        body += [0x00, 0xD8, 0x41, 0x00]
        #expect(Support.errorMessage(XMLModelReader.read(body: body, charset: "utf-16")) == "Invalid byte encoding.")
    }

    @Test func oddLengthUTF16IsError() {
        let body = Support.utf16("<a/>", bigEndian: false, byteOrderMark: true) + [0x20]
        #expect(Support.errorMessage(XMLModelReader.read(body: body, charset: "utf-16")) == "Unexpected end of file.")
    }

    @Test func invalidUTF16PastFirstChunkIsWrapped() {
        let padding = String(repeating: " ", count: 200)
        var body = Support.utf16(Support.open + padding + "<Name>", bigEndian: false, byteOrderMark: true)
        body += [0x00, 0xDC] + Support.utf16("</Name>" + Support.close, bigEndian: false, byteOrderMark: false)
        #expect(Support.errorMessage(XMLModelReader.read(body: body, charset: "utf-16")) == Support.deserializing
            + "Invalid byte encoding.")
    }

    @Test(arguments: [
        ("<?xml version=\"1.0\" encoding=\"utf-16\"?>", "The encoding in the declaration 'utf-16' does not match "
            + "the encoding of the document 'utf-8'."),
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", "The encoding in the declaration 'ISO-8859-1' does not "
            + "match the encoding of the document 'utf-8'."),
        ("<?xml version='1.0' encoding=utf-8?>", "Malformed XML declaration."),
        ("<?xml version=\"1.0\" a=\"b\"?>", "Malformed XML declaration."),
    ])
    func declaredEncodingMismatchInUTF8(declaration: String, message: String) {
        #expect(Support.errorMessage(Support.read(declaration + Self.document)) == message)
    }

    @Test(arguments: ["utf-8", "UTF-8"])
    func declaredUTF8IsAccepted(name: String) {
        let xml = "<?xml version=\"1.0\" encoding=\"\(name)\"?>" + Self.document
        #expect(Support.read(xml).model?.name == "Zürich €")
    }

    @Test func declaredUTF8InUTF16IsRejected() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + Self.document
        let body = Support.utf16(xml, bigEndian: false, byteOrderMark: true)
        #expect(Support.errorMessage(XMLModelReader.read(body: body, charset: "utf-16")) == "The encoding in the "
            + "declaration 'utf-8' does not match the encoding of the document 'utf-16LE'.")
    }

    @Test(arguments: ["utf-16", "utf-16LE"])
    func declaredUTF16InUTF16IsAccepted(name: String) {
        let xml = "<?xml version=\"1.0\" encoding=\"\(name)\"?>" + Self.document
        let body = Support.utf16(xml, bigEndian: false, byteOrderMark: false)
        #expect(XMLModelReader.read(body: body, charset: "utf-16").model?.name == "Zürich €")
    }

    /// WCF counts positions in bytes of the UTF-8 form, also for UTF-16 input.
    @Test func positionsCountUTF8Bytes() {
        let xml = Support.model("<Name>é</Nam>")
        let position = Support.open.utf8.count + "<Name>é</Nam".utf8.count + 1
        let body = Support.utf16(xml, bigEndian: false, byteOrderMark: true)
        #expect(Support.errorMessage(XMLModelReader.read(body: body, charset: "utf-16")) == Support.deserializing
            + "Start element 'Name' does not match end element 'Nam'. Line 1, position \(position).")
    }
}
