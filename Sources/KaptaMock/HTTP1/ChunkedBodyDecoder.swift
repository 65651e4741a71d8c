/// Decodes the chunked transfer coding (RFC 9112, 7.1) from bytes that may arrive in any
/// pieces. Data is appended to the caller's body; framing is checked strictly.
struct ChunkedBodyDecoder {
    private enum Phase {
        case size
        case data(remaining: Int)
        case dataTerminator
        case trailers
    }

    /// Longest chunk-size line, extensions included. Real clients send a few bytes; the
    /// limit stops a client from padding extensions forever.
    static let maxSizeLineLength = 4096
    /// Framing bytes (size lines, CRLFs, trailers) allowed beyond the data received, so a
    /// body of many one-byte chunks cannot cost more than a bounded overhead.
    static let maxFramingOverhead = 64 * 1024

    private var phase = Phase.size
    private var framingBytes = 0
    private var trailerBytes = 0
    private(set) var trailers = HTTPFields()

    /// Consumes as much of `bytes` as forms whole units (a size line, data, a CRLF, a
    /// trailer line) and reports how many bytes it used and whether the body is complete.
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, into body: inout [UInt8],
                         limits: HTTPLimits) throws(HTTP1ParseError) -> (consumed: Int, isComplete: Bool) {
        var offset = 0
        while true {
            switch phase {
            case .size:
                guard let line = try nextLine(bytes, from: offset, maxLength: Self.maxSizeLineLength) else {
                    return (offset, false)
                }
                let size = try Self.parseSizeLine(UnsafeBufferPointer(rebasing: bytes[offset..<line.contentEnd]))
                guard size <= limits.maxBodySize - body.count else {
                    throw .bodyTooLarge
                }
                try countFraming(line.next - offset, body: body)
                offset = line.next
                phase = size == 0 ? .trailers : .data(remaining: size)
            case .data(let remaining):
                let taken = min(remaining, bytes.count - offset)
                body.append(contentsOf: bytes[offset..<offset + taken])
                offset += taken
                guard taken == remaining else {
                    phase = .data(remaining: remaining - taken)
                    return (offset, false)
                }
                phase = .dataTerminator
            case .dataTerminator:
                guard bytes.count - offset >= 2 else {
                    if offset < bytes.count && bytes[offset] != ASCII.carriageReturn {
                        throw .invalidChunkTerminator
                    }
                    return (offset, false)
                }
                guard bytes[offset] == ASCII.carriageReturn, bytes[offset + 1] == ASCII.lineFeed else {
                    throw .invalidChunkTerminator
                }
                try countFraming(2, body: body)
                offset += 2
                phase = .size
            case .trailers:
                let remainingSection = limits.maxHeaderSectionSize - trailerBytes
                guard let line = try nextLine(bytes, from: offset, maxLength: remainingSection) else {
                    return (offset, false)
                }
                trailerBytes += line.next - offset
                if line.contentEnd == offset {
                    return (line.next, true)
                }
                guard trailers.count < limits.maxHeaderCount else {
                    throw .tooManyFields
                }
                try trailers.append(Self.parseTrailerLine(UnsafeBufferPointer(rebasing: bytes[offset..<line.contentEnd])))
                offset = line.next
            }
        }
    }

    /// Finds the CRLF ending the line that starts at `start`: `contentEnd` is the CR,
    /// `next` the byte after the LF. Returns nil when the line has not ended yet.
    private func nextLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                          maxLength: Int) throws(HTTP1ParseError) -> (contentEnd: Int, next: Int)? {
        var index = start
        while index < bytes.count {
            if bytes[index] == ASCII.lineFeed {
                guard index > start, bytes[index - 1] == ASCII.carriageReturn else {
                    throw .bareLineFeed
                }
                return (index - 1, index + 1)
            }
            index += 1
            if index - start > maxLength + 2 {
                throw maxLength == Self.maxSizeLineLength ? .invalidChunkExtension : .headerSectionTooLarge
            }
        }
        return nil
    }

    private mutating func countFraming(_ count: Int, body: [UInt8]) throws(HTTP1ParseError) {
        framingBytes += count
        if framingBytes > Self.maxFramingOverhead && framingBytes > body.count {
            throw .chunkFramingTooLarge
        }
    }

    /// chunk-size [ chunk-ext ], where chunk-size = 1*HEXDIG and
    /// chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ).
    static func parseSizeLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError) -> Int {
        var index = 0
        var size: UInt64 = 0
        var significantDigits = 0
        while index < line.count, let digit = ASCII.hexValue(line[index]) {
            if significantDigits > 0 || digit != 0 {
                significantDigits += 1
            }
            // Fifteen hex digits always fit in an Int. More are an attack or a bug: no body
            // that large could be accepted anyway.
            guard significantDigits <= 15 else {
                throw .chunkSizeOverflow
            }
            size = size << 4 | UInt64(digit)
            index += 1
        }
        guard index > 0 else {
            throw .invalidChunkSize
        }
        try validateExtensions(UnsafeBufferPointer(rebasing: line[index...]))
        return Int(size)
    }

    private static func validateExtensions(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError) {
        var index = 0
        func skipWhitespace() {
            while index < bytes.count && (bytes[index] == ASCII.space || bytes[index] == ASCII.tab) {
                index += 1
            }
        }
        func skipToken() -> Bool {
            let start = index
            while index < bytes.count && ASCII.isTokenCharacter(bytes[index]) {
                index += 1
            }
            return index > start
        }
        while true {
            // RFC 9112, 7.1.1: white space may come only before a `;` that starts an
            // extension, so `3 ` with nothing after it is not a chunk size.
            let beforeWhitespace = index
            skipWhitespace()
            guard index < bytes.count else {
                guard index == beforeWhitespace else {
                    throw .invalidChunkSize
                }
                return
            }
            guard bytes[index] == ASCII.semicolon else {
                throw bytes[index] == ASCII.carriageReturn ? .invalidChunkExtension : .invalidChunkSize
            }
            index += 1
            skipWhitespace()
            guard skipToken() else {
                throw .invalidChunkExtension
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == ASCII.equals else {
                continue
            }
            index += 1
            skipWhitespace()
            if index < bytes.count && bytes[index] == ASCII.quote {
                try skipQuotedString(bytes, &index)
            } else if !skipToken() {
                throw .invalidChunkExtension
            }
        }
    }

    /// quoted-string of RFC 9110, 5.6.4, with quoted-pair escapes.
    private static func skipQuotedString(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) throws(HTTP1ParseError) {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.quote {
                index += 1
                return
            }
            if byte == ASCII.backslash {
                index += 1
                guard index < bytes.count, ASCII.isFieldValueCharacter(bytes[index]) else {
                    throw .invalidChunkExtension
                }
            } else if !ASCII.isFieldValueCharacter(byte) {
                throw .invalidChunkExtension
            }
            index += 1
        }
        throw .invalidChunkExtension
    }

    /// trailer-section = *( field-line CRLF ), with the same rules as header fields.
    private static func parseTrailerLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError) -> HTTPField {
        try HTTP1HeadParser.parseFieldLine(line)
    }
}
