/// How the body of a request is delimited (RFC 9112, 6.3).
enum BodyFraming: Equatable {
    case none
    case contentLength(Int)
    case chunked
}

/// Parses a complete head, from the request line to the empty line, and decides how the
/// body is framed. Every line is known to end in CRLF.
enum HTTP1HeadParser {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, requestLineEnd: Int,
                      limits: HTTPLimits) throws(HTTP1ParseError) -> (HTTPRequestHead, BodyFraming) {
        let (method, target, version) = try parseRequestLine(UnsafeBufferPointer(rebasing: bytes[..<requestLineEnd]))
        var fields = HTTPFields()
        fields.reserveCapacity(8)
        var framing = FramingFields()
        var lineStart = requestLineEnd + 2
        while lineStart < bytes.count - 2 {
            var lineEnd = lineStart
            while bytes[lineEnd] != ASCII.lineFeed {
                lineEnd += 1
            }
            let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<(lineEnd - 1)])
            let field = try parseFieldLine(line)
            try framing.record(field)
            fields.append(field)
            lineStart = lineEnd + 1
        }
        let head = HTTPRequestHead(method: method, target: target, version: version, fields: fields)
        return (head, try framing.decide(version: version))
    }

    /// request-line = method SP request-target SP HTTP-version (RFC 9112, 3), with exactly
    /// one space between the parts.
    private static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError)
        -> (String, String, HTTPVersion) {
        guard let firstSpace = line.firstIndex(of: ASCII.space), firstSpace > 0 else {
            throw .invalidRequestLine
        }
        let afterMethod = firstSpace + 1
        guard let secondSpace = line[afterMethod...].firstIndex(of: ASCII.space), secondSpace > afterMethod else {
            throw .invalidRequestLine
        }
        let methodBytes = UnsafeBufferPointer(rebasing: line[..<firstSpace])
        let targetBytes = UnsafeBufferPointer(rebasing: line[afterMethod..<secondSpace])
        let versionBytes = UnsafeBufferPointer(rebasing: line[(secondSpace + 1)...])
        guard methodBytes.allSatisfy(ASCII.isTokenCharacter), targetBytes.allSatisfy(ASCII.isTargetCharacter) else {
            throw .invalidRequestLine
        }
        let version = try parseVersion(versionBytes)
        try validateTargetForm(targetBytes, method: methodBytes)
        return (String(decoding: methodBytes, as: UTF8.self), String(decoding: targetBytes, as: UTF8.self), version)
    }

    /// RFC 9112, 3.2: a request-target is in origin form (`/path?query`), absolute form
    /// (`http://host/path`), asterisk form (`*`, for OPTIONS only) or authority form
    /// (`host:port`, for CONNECT only, which this server does not serve). A fragment never
    /// belongs in a request-target. Anything else would reach routing as a path that no
    /// client meant.
    private static func validateTargetForm(_ target: UnsafeBufferPointer<UInt8>,
                                           method: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError) {
        guard !target.contains(UInt8(ascii: "#")) else {
            throw .invalidRequestTarget
        }
        if target.first == ASCII.slash {
            return
        }
        if target.count == 1 && target[0] == UInt8(ascii: "*") {
            guard method.elementsEqual("OPTIONS".utf8) else {
                throw .invalidRequestTarget
            }
            return
        }
        let isAbsolute = hasPrefixIgnoringCase(target, "http://") || hasPrefixIgnoringCase(target, "https://")
        guard isAbsolute else {
            throw .invalidRequestTarget
        }
    }

    private static func hasPrefixIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        return bytes.count > expected.count
            && ASCII.equalsIgnoringCase(UnsafeBufferPointer(rebasing: bytes[..<expected.count]), expected)
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT. Any 1.x above 1.1 is served as 1.1
    /// (RFC 9110, 6.2); another major version gets 505.
    private static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError) -> HTTPVersion {
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), ASCII.isDigit(bytes[5]),
              bytes[6] == UInt8(ascii: "."), ASCII.isDigit(bytes[7]) else {
            throw .invalidRequestLine
        }
        let major = Int(bytes[5] - 0x30)
        let minor = Int(bytes[7] - 0x30)
        guard major == 1 else {
            throw .unsupportedVersion
        }
        return minor == 0 ? .http1_0 : .http1_1
    }

    /// field-line = field-name ":" OWS field-value OWS (RFC 9112, 5).
    static func parseFieldLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError) -> HTTPField {
        guard let first = line.first else {
            throw .invalidFieldName
        }
        // RFC 9112, 5.2: a line starting with white space continues the previous one
        // (obs-fold). Servers must reject it or unfold it; rejecting is the safe choice.
        guard first != ASCII.space && first != ASCII.tab else {
            throw .obsoleteLineFolding
        }
        var colon = 0
        while colon < line.count && line[colon] != ASCII.colon {
            let byte = line[colon]
            // RFC 9112, 5.1: no white space is allowed between the name and the colon.
            if byte == ASCII.space || byte == ASCII.tab {
                throw .whitespaceBeforeColon
            }
            guard ASCII.isTokenCharacter(byte) else {
                throw .invalidFieldName
            }
            colon += 1
        }
        guard colon > 0, colon < line.count else {
            throw .invalidFieldName
        }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd && (line[valueStart] == ASCII.space || line[valueStart] == ASCII.tab) {
            valueStart += 1
        }
        while valueEnd > valueStart && (line[valueEnd - 1] == ASCII.space || line[valueEnd - 1] == ASCII.tab) {
            valueEnd -= 1
        }
        let value = UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd])
        guard value.allSatisfy(ASCII.isFieldValueCharacter) else {
            throw .invalidFieldValue
        }
        return HTTPField(name: String(decoding: UnsafeBufferPointer(rebasing: line[..<colon]), as: UTF8.self),
                         value: String(decoding: value, as: UTF8.self))
    }
}

/// The fields that decide framing, collected while the head is parsed.
private struct FramingFields {
    var contentLength: Int?
    var sawContentLength = false
    var transferCodings: [Substring] = []
    var sawTransferEncoding = false
    var hostCount = 0

    mutating func record(_ field: HTTPField) throws(HTTP1ParseError) {
        let name = field.name
        if name.equalsIgnoringASCIICase("Content-Length") {
            sawContentLength = true
            try recordContentLength(field.value)
        } else if name.equalsIgnoringASCIICase("Transfer-Encoding") {
            sawTransferEncoding = true
            for coding in field.value.split(separator: ",") {
                let trimmed = coding.trimmingOptionalWhitespace()
                if !trimmed.isEmpty {
                    transferCodings.append(trimmed)
                }
            }
        } else if name.equalsIgnoringASCIICase("Host") {
            hostCount += 1
        }
    }

    /// RFC 9110, 8.6: Content-Length = 1*DIGIT. A list of identical values may be accepted;
    /// anything else is faulty framing.
    private mutating func recordContentLength(_ value: String) throws(HTTP1ParseError) {
        // Each list element is OWS 1*DIGIT OWS; white space between digits is invalid.
        enum Phase { case leadingSpace, digits, trailingSpace }
        var phase = Phase.leadingSpace
        var length = 0
        var significantDigits = 0

        func closeElement() throws(HTTP1ParseError) {
            guard phase != .leadingSpace else {
                throw .invalidContentLength
            }
            if let existing = contentLength, existing != length {
                throw .conflictingContentLengths
            }
            contentLength = length
        }

        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard phase != .trailingSpace else {
                    throw .invalidContentLength
                }
                phase = .digits
                if significantDigits > 0 || byte != UInt8(ascii: "0") {
                    significantDigits += 1
                }
                // 18 digits always fit in an Int; longer values are treated as overflow.
                guard significantDigits <= 18 else {
                    throw .invalidContentLength
                }
                length = length * 10 + Int(byte - 0x30)
            case ASCII.space, ASCII.tab:
                if phase == .digits {
                    phase = .trailingSpace
                }
            case ASCII.comma:
                try closeElement()
                phase = .leadingSpace
                length = 0
                significantDigits = 0
            default:
                throw .invalidContentLength
            }
        }
        try closeElement()
    }

    func decide(version: HTTPVersion) throws(HTTP1ParseError) -> BodyFraming {
        if version == .http1_1 {
            // RFC 9112, 3.2: an HTTP/1.1 request must carry exactly one Host field.
            guard hostCount > 0 else { throw .missingHost }
            guard hostCount == 1 else { throw .multipleHosts }
        }
        guard sawTransferEncoding else {
            return contentLength.map { $0 == 0 ? .none : .contentLength($0) } ?? .none
        }
        // RFC 9112, 6.1 and 6.3: Transfer-Encoding together with Content-Length, or in an
        // HTTP/1.0 request, is the classic request-smuggling setup.
        guard !sawContentLength else { throw .contentLengthWithTransferEncoding }
        guard version != .http1_0 else { throw .transferEncodingInHTTP10 }
        guard let last = transferCodings.last, last.equalsIgnoringASCIICase("chunked") else {
            throw .chunkedNotFinal
        }
        let chunkedCount = transferCodings.filter { $0.equalsIgnoringASCIICase("chunked") }.count
        guard chunkedCount == 1 else {
            throw .chunkedNotFinal
        }
        guard transferCodings.count == 1 else {
            throw .unsupportedTransferCoding
        }
        return .chunked
    }
}

extension Substring {
    /// Returns the text without leading and trailing SP and HTAB (OWS, RFC 9110, 5.6.3).
    func trimmingOptionalWhitespace() -> Substring {
        let isWhitespace: (UInt8) -> Bool = { $0 == ASCII.space || $0 == ASCII.tab }
        guard let start = utf8.firstIndex(where: { !isWhitespace($0) }),
              let last = utf8.lastIndex(where: { !isWhitespace($0) }) else {
            return self[endIndex...]
        }
        return self[start...last]
    }
}
