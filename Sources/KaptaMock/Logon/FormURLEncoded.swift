/// Decodes `application/x-www-form-urlencoded` text (WHATWG URL standard, section 5.1, as
/// OAuth 2.0 uses it in RFC 6749, appendix B): `&`-separated `name=value` pairs, `+` for
/// space, percent-encoded UTF-8.
enum FormURLEncoded {
    enum DecodingError: Error, Equatable, CustomStringConvertible {
        case invalidPercentEncoding(String)
        case invalidUTF8
        /// RFC 6749, 3.1: parameters must not be included more than once.
        case repeatedParameter(String)

        var description: String {
            switch self {
            case .invalidPercentEncoding(let text): "invalid percent-encoding in '\(text)'"
            case .invalidUTF8: "the decoded form is not valid UTF-8"
            case .repeatedParameter(let name): "parameter '\(name)' is included more than once"
            }
        }
    }

    /// The parameters in order of appearance. Empty names are dropped, as browsers do.
    static func decode(_ bytes: [UInt8]) throws(DecodingError) -> [(name: String, value: String)] {
        var parameters: [(name: String, value: String)] = []
        // A set keeps the repeat check linear; a 4 MiB body can hold a million parameters.
        var names: Set<String> = []
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: ASCII.equals, maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decodeComponent(parts[0])
            let value = parts.count > 1 ? try decodeComponent(parts[1]) : ""
            guard !name.isEmpty else {
                continue
            }
            guard names.insert(name).inserted else {
                throw .repeatedParameter(name)
            }
            parameters.append((name, value))
        }
        return parameters
    }

    /// Percent-decodes one component and turns `+` into a space.
    static func decodeComponent(_ bytes: ArraySlice<UInt8>) throws(DecodingError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == ASCII.plus {
                decoded.append(ASCII.space)
            } else if byte == ASCII.percent {
                guard index + 2 < bytes.endIndex, let high = ASCII.hexValue(bytes[index + 1]),
                      let low = ASCII.hexValue(bytes[index + 2]) else {
                    throw .invalidPercentEncoding(String(decoding: bytes, as: UTF8.self))
                }
                decoded.append(high << 4 | low)
                index += 2
            } else {
                decoded.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw .invalidUTF8
        }
        return text
    }

    /// Encodes one component for a query string: unreserved characters of RFC 3986, 2.3
    /// stay, everything else is percent-encoded.
    static func encodeComponent(_ text: String) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in text.utf8 {
            let isUnreserved = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || ASCII.isDigit(byte) || "-._~".utf8.contains(byte)
            if isUnreserved {
                output.append(byte)
            } else {
                output.append(ASCII.percent)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
