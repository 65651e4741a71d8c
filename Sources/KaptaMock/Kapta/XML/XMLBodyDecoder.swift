/// The byte-level decoding that WCF's `EncodingStreamWrapper` does before its text reader sees a
/// request body. ASP.NET Web API's XML formatter calls
/// `XmlDictionaryReader.CreateTextReader(stream, encoding, quotas, null)` with the encoding of the
/// request's `charset` (`utf-8` or `utf-16`, anything else counts as utf-8), so:
/// - the first four bytes decide the actual encoding (a byte-order mark, or `<` next to a zero byte
///   for UTF-16 without one), and an actual encoding other than the charset's is an error. So the
///   byte-order mark does not override the charset here, unlike in the JSON reader;
/// - a UTF-8 document that starts with `<?` has its declared `encoding` checked within its first
///   128 bytes;
/// - UTF-16 is transcoded to UTF-8 in chunks of 254 bytes, and the reader then counts positions in
///   UTF-8 bytes, as WCF does.
/// Errors found here, while the reader is created, are not wrapped by DataContractSerializer.
enum XMLBodyDecoder {
    enum Encoding: Equatable {
        case utf8
        case utf16LittleEndian
        case utf16BigEndian

        /// The name `EncodingStreamWrapper` puts into its messages.
        var name: String {
            switch self {
            case .utf8: return "utf-8"
            case .utf16LittleEndian: return "utf-16LE"
            case .utf16BigEndian: return "utf-16BE"
            }
        }
    }

    /// The document as UTF-8, and an error that a later UTF-16 chunk raised: WCF decodes chunks
    /// as its reader asks for them, so that error surfaces only once the reader needs those bytes.
    /// NOTE: WCF's reader also reads ahead (up to 2048 bytes for text), so it can meet such an error
    /// before a malformed node just ahead of the bad chunk. Which of the two errors is reported can differ.
    struct DecodedBody {
        var utf8: [UInt8]
        var errorAfterEnd: String?
    }

    /// `EncodingStreamWrapper` reads UTF-16 in chunks of 127 characters.
    private static let utf16ChunkLength = 254
    /// `EncodingStreamWrapper` looks for the declared encoding in this many bytes.
    private static let declarationWindow = 128

    static func decode(body: [UInt8], charset: String?) throws(XMLReadError) -> DecodedBody {
        let expected = transportEncoding(charset: charset)
        guard body.count >= 4 else {
            throw .unwrapped(XMLMessages.unexpectedEndOfFileShort)
        }
        let (actual, contentStart) = detectEncoding(body[0], body[1], body[2], body[3])
        guard actual == expected else {
            throw .unwrapped(XMLMessages.expectedEncoding(expected.name, actual: actual.name))
        }
        if actual == .utf8 {
            // Without a byte-order mark the body is the document as it is, with no copy.
            let content = contentStart == 0 ? body : Array(body[contentStart...])
            if content.count >= 2 && content[0] == UInt8(ascii: "<") && content[1] == UInt8(ascii: "?") {
                try checkDeclaredEncoding(content, documentEncoding: .utf8)
            }
            return DecodedBody(utf8: content, errorAfterEnd: nil)
        }
        return try transcodeUTF16(body[contentStart...], bigEndian: actual == .utf16BigEndian)
    }

    /// Returns the encoding Web API hands to the reader. `MediaTypeFormatter.SelectCharacterEncoding`
    /// matches the charset against the formatter's `utf-8` and `utf-16` case-insensitively, else utf-8.
    static func transportEncoding(charset: String?) -> Encoding {
        guard var name = charset?.utf8[...] else {
            return .utf8
        }
        let padding: Set<UInt8> = [ASCII.space, ASCII.quote]
        while let first = name.first, padding.contains(first) { name.removeFirst() }
        while let last = name.last, padding.contains(last) { name.removeLast() }
        return name.map(ASCII.lowercased).elementsEqual("utf-16".utf8) ? .utf16LittleEndian : .utf8
    }

    /// Returns the encoding the first four bytes show and where the content starts after a byte-order
    /// mark. With an encoding given by the caller, WCF skips three bytes after `EF BB` whatever the third is.
    private static func detectEncoding(_ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8) -> (Encoding, Int) {
        let lessThan = UInt8(ascii: "<")
        switch (b1, b2) {
        case (lessThan, let next) where next != 0: return (.utf8, 0)
        case (0xFF, 0xFE): return (.utf16LittleEndian, 2)
        case (0xFE, 0xFF): return (.utf16BigEndian, 2)
        case (0x00, lessThan): return (.utf16BigEndian, 0)
        case (lessThan, 0x00): return (.utf16LittleEndian, 0)
        case (0xEF, 0xBB): return (.utf8, 3)
        default: return (.utf8, 0)
        }
    }

    private static func transcodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) throws(XMLReadError)
        -> DecodedBody {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = bytes.startIndex
        var isFirstChunk = true
        while position < bytes.endIndex {
            var chunkEnd = min(position + utf16ChunkLength, bytes.endIndex)
            var failure = completeChunk(bytes, end: &chunkEnd, bigEndian: bigEndian)
            if failure == nil && !appendUTF8(of: bytes[position..<chunkEnd], bigEndian: bigEndian, to: &output) {
                failure = XMLMessages.invalidByteEncoding
            }
            if let failure {
                // The first chunk is decoded inside the reader's constructor; later ones while reading.
                if isFirstChunk {
                    throw .unwrapped(failure)
                }
                return DecodedBody(utf8: output, errorAfterEnd: failure)
            }
            if isFirstChunk && output.count >= 2 && output[0] == UInt8(ascii: "<") && output[1] == UInt8(ascii: "?") {
                try checkDeclaredEncoding(output, documentEncoding: bigEndian ? .utf16BigEndian : .utf16LittleEndian)
            }
            isFirstChunk = false
            position = chunkEnd
        }
        return DecodedBody(utf8: output, errorAfterEnd: nil)
    }

    /// Extends a chunk so it ends on a whole code unit and does not split a surrogate pair, as
    /// `EncodingStreamWrapper.CleanupCharBreak` does. Returns that method's error when the input ends first.
    private static func completeChunk(_ bytes: ArraySlice<UInt8>, end: inout Int, bigEndian: Bool) -> String? {
        if (end - bytes.startIndex) % 2 != 0 {
            guard end < bytes.endIndex else {
                return XMLMessages.unexpectedEndOfFileShort
            }
            end += 1
        }
        let last = codeUnit(bytes, at: end - 2, bigEndian: bigEndian)
        if (0xD800...0xDBFF).contains(last) {
            guard end + 2 <= bytes.endIndex else {
                return XMLMessages.unexpectedEndOfFileShort
            }
            end += 2
        }
        return nil
    }

    private static func codeUnit(_ bytes: ArraySlice<UInt8>, at index: Int, bigEndian: Bool) -> UInt16 {
        let first = UInt16(bytes[index])
        let second = UInt16(bytes[index + 1])
        return bigEndian ? first << 8 | second : second << 8 | first
    }

    /// Appends the UTF-8 form of whole UTF-16 code units; false on an unpaired surrogate.
    private static func appendUTF8(of chunk: ArraySlice<UInt8>, bigEndian: Bool, to output: inout [UInt8]) -> Bool {
        var index = chunk.startIndex
        while index + 1 < chunk.endIndex {
            let unit = codeUnit(chunk, at: index, bigEndian: bigEndian)
            index += 2
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                guard index + 1 < chunk.endIndex else {
                    return false
                }
                let low = codeUnit(chunk, at: index, bigEndian: bigEndian)
                guard (0xDC00...0xDFFF).contains(low) else {
                    return false
                }
                index += 2
                scalarValue = 0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                return false
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                return false
            }
            output.append(contentsOf: scalar.utf8)
        }
        return true
    }

    /// `EncodingStreamWrapper.CheckUTF8DeclarationEncoding`: finds the second `=` outside quotes
    /// before any `?` in the first 128 bytes, and when the name before it is `encoding`, compares the
    /// quoted value with the document's encoding. `utf-16` names either byte order.
    private static func checkDeclaredEncoding(_ bytes: [UInt8], documentEncoding: Encoding) throws(XMLReadError) {
        let limit = min(bytes.count, declarationWindow)
        func byte(_ index: Int) -> UInt8 { index >= 0 && index < bytes.count ? bytes[index] : 0 }
        func isSpace(_ value: UInt8) -> Bool { value == 0x20 || value == 0x0A || value == 0x09 || value == 0x0D }

        var quote: UInt8 = 0
        var equalsSeen = 0
        var secondEquals = -1
        for index in 2..<max(limit, 2) {
            let value = bytes[index]
            if quote != 0 {
                if value == quote { quote = 0 }
            } else if value == UInt8(ascii: "'") || value == UInt8(ascii: "\"") {
                quote = value
            } else if value == UInt8(ascii: "=") {
                if equalsSeen == 1 {
                    secondEquals = index
                    break
                }
                equalsSeen += 1
            } else if value == UInt8(ascii: "?") {
                break
            }
        }
        guard secondEquals >= 0 else {
            return
        }
        // `<?xml version="1.0" encoding=` puts the second `=` at index 28 at the earliest.
        guard secondEquals >= 28 else {
            throw .unwrapped(XMLMessages.malformedDeclaration)
        }
        var nameEnd = secondEquals - 1
        while isSpace(byte(nameEnd)) { nameEnd -= 1 }
        guard Array("encoding".utf8).elementsEqual((nameEnd - 7...nameEnd).map(byte)) else {
            return
        }
        var valueIndex = secondEquals + 1
        while valueIndex < limit && isSpace(byte(valueIndex)) { valueIndex += 1 }
        let valueQuote = byte(valueIndex)
        guard valueQuote == UInt8(ascii: "'") || valueQuote == UInt8(ascii: "\"") else {
            throw .unwrapped(XMLMessages.malformedDeclaration)
        }
        let valueStart = valueIndex + 1
        var valueEnd = valueStart
        while valueEnd < limit && byte(valueEnd) != valueQuote { valueEnd += 1 }
        guard byte(valueEnd) == valueQuote else {
            throw .unwrapped(XMLMessages.malformedDeclaration)
        }
        let declared = bytes[valueStart..<valueEnd]
        let declaredText = String(decoding: declared, as: UTF8.self)
        let lowered = declared.map(ASCII.lowercased)
        var declaredEncoding = documentEncoding
        if lowered.elementsEqual("utf-8".utf8) {
            declaredEncoding = .utf8
        } else if lowered.elementsEqual("utf-16le".utf8) {
            declaredEncoding = .utf16LittleEndian
        } else if lowered.elementsEqual("utf-16be".utf8) {
            declaredEncoding = .utf16BigEndian
        } else if lowered.elementsEqual("utf-16".utf8) {
            if documentEncoding == .utf8 {
                throw .unwrapped(XMLMessages.declarationEncodingMismatch(declaredText, document: "utf-8"))
            }
        } else {
            throw .unwrapped(XMLMessages.declarationEncodingMismatch(declaredText, document: documentEncoding.name))
        }
        if declaredEncoding != documentEncoding {
            throw .unwrapped(XMLMessages.declarationEncodingMismatch(declaredText, document: documentEncoding.name))
        }
    }
}
