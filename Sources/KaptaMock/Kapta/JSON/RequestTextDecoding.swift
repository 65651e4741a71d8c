/// The request-body decoding of ASP.NET's JSON formatter: the `charset` parameter picks
/// UTF-8 or UTF-16 (little-endian, .NET's `Encoding.Unicode`), any other charset reads as
/// UTF-8, and a byte-order mark overrides both because the formatter's `StreamReader`
/// detects it. Invalid bytes throw, because the formatter's encodings are created with
/// `throwOnInvalidBytes: true`.
enum RequestTextDecoding {
    enum Decoded {
        /// Valid UTF-8: the body from `offset` on (past a UTF-8 byte-order mark).
        case utf8(offset: Int)
        /// UTF-16 input, transcoded to UTF-8.
        case transcoded([UInt8])
        /// .NET's `DecoderFallbackException` message.
        case invalid(String)
    }

    private enum Encoding {
        case utf8, utf16LittleEndian, utf16BigEndian
    }

    static func decode(_ body: [UInt8], charset: String?) -> Decoded {
        let isUTF16 = charset.map { $0.equalsIgnoringASCIICase(lowercaseLiteral: "utf-16") } ?? false
        var encoding: Encoding = isUTF16 ? .utf16LittleEndian : .utf8
        var offset = 0
        // Byte by byte rather than `starts(with:)` and array literals, which allocate.
        let first = body.first ?? 0
        let second = body.count > 1 ? body[1] : 0
        if first == 0xEF && second == 0xBB && body.count > 2 && body[2] == 0xBF {
            (encoding, offset) = (.utf8, 3)
        } else if first == 0xFF && second == 0xFE {
            (encoding, offset) = (.utf16LittleEndian, 2)
        } else if first == 0xFE && second == 0xFF {
            (encoding, offset) = (.utf16BigEndian, 2)
        }
        switch encoding {
        case .utf8:
            if let failure = firstInvalidUTF8(body, from: offset) {
                return .invalid(message(bytes: failure.bytes, index: failure.index))
            }
            return .utf8(offset: offset)
        case .utf16LittleEndian, .utf16BigEndian:
            return transcodeUTF16(body, from: offset, littleEndian: encoding == .utf16LittleEndian)
        }
    }

    // NOTE: .NET reports the index within the decoder's current buffer, which holds 1,024
    // bytes in the formatter's StreamReader. The index here counts from the start of the text.
    private static func message(bytes: [UInt8], index: Int) -> String {
        let list = bytes.map { "[" + hex($0) + "]" }.joined()
        return "Unable to translate bytes \(list) at index \(index) from specified code page to Unicode."
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// Finds the first ill-formed sequence (its maximal invalid prefix) and its index after the BOM.
    private static func firstInvalidUTF8(_ body: [UInt8], from start: Int) -> (bytes: [UInt8], index: Int)? {
        body.withUnsafeBufferPointer { buffer in
            var index = start
            let count = buffer.count
            while index < count {
                // Eight ASCII bytes at a time: request bodies are mostly ASCII.
                if index + 8 <= count, let base = buffer.baseAddress,
                   UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
                let lead = buffer[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                let length: Int
                var lower: UInt8 = 0x80
                var upper: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: (length, lower) = (3, 0xA0)
                case 0xE1...0xEC, 0xEE, 0xEF: length = 3
                case 0xED: (length, upper) = (3, 0x9F)
                case 0xF0: (length, lower) = (4, 0x90)
                case 0xF1...0xF3: length = 4
                case 0xF4: (length, upper) = (4, 0x8F)
                default:
                    return ([lead], index - start)
                }
                for offset in 1..<length {
                    let position = index + offset
                    let continuation = position < count ? buffer[position] : 0
                    let (low, high) = offset == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                    guard position < count, continuation >= low, continuation <= high else {
                        return (Array(buffer[index..<position]), index - start)
                    }
                }
                index += length
            }
            return nil
        }
    }

    private static func transcodeUTF16(_ body: [UInt8], from start: Int, littleEndian: Bool) -> Decoded {
        var output: [UInt8] = []
        output.reserveCapacity(body.count - start)
        var index = start
        func unit(at position: Int) -> UInt16 {
            let first = UInt16(body[position])
            let second = UInt16(body[position + 1])
            return littleEndian ? first | second << 8 : first << 8 | second
        }
        while index < body.count {
            guard index + 1 < body.count else {
                return .invalid(message(bytes: [body[index]], index: index - start))
            }
            let first = unit(at: index)
            var scalarValue = UInt32(first)
            var width = 2
            if (0xD800...0xDBFF).contains(first) {
                guard index + 3 < body.count, case let second = unit(at: index + 2),
                      (0xDC00...0xDFFF).contains(second) else {
                    return .invalid(message(bytes: Array(body[index..<index + 2]), index: index - start))
                }
                scalarValue = 0x10000 + (UInt32(first - 0xD800) << 10) + UInt32(second - 0xDC00)
                width = 4
            } else if (0xDC00...0xDFFF).contains(first) {
                return .invalid(message(bytes: Array(body[index..<index + 2]), index: index - start))
            }
            if let scalar = Unicode.Scalar(scalarValue) {
                UTF8.encode(scalar) { output.append($0) }
            }
            index += width
        }
        return .transcoded(output)
    }
}
