import Glibc

/// What the parser reports after being fed bytes.
enum HTTP1ParserEvent {
    case needMoreData
    /// The head of a request whose body has not fully arrived. Reported once per request and
    /// only in that case, so the caller can answer `Expect: 100-continue` before the body.
    case headAwaitingBody(HTTPRequestHead)
    case request(HTTPRequest)
}

/// An incremental HTTP/1.1 request parser (RFC 9112). A value fed bytes, it never touches a
/// socket: `append` adds what arrived, `next` returns the next event.
///
/// It is strict where leniency enables request smuggling: bare LF, white space before a
/// colon, obs-fold, Content-Length with Transfer-Encoding, conflicting lengths and any
/// Transfer-Encoding other than a final `chunked` are errors. Lines are scanned once, so a
/// client sending a byte at a time costs linear work. After an error every later call
/// throws the same error.
struct HTTP1RequestParser {
    private enum State {
        case head(HeadScan)
        case fixedBody(remaining: Int)
        case chunkedBody(ChunkedBodyDecoder)
        case failed(HTTP1ParseError)
    }

    /// Progress through a head that has not ended yet; offsets are relative to `position`.
    private struct HeadScan {
        var scanned = 0
        var lineStart = 0
        var requestLineEnd: Int?
        var fieldLines = 0
    }

    private let limits: HTTPLimits
    private var buffer: [UInt8] = []
    /// Index in `buffer` of the first byte not yet consumed.
    private var position = 0
    private var state = State.head(HeadScan())
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// True when bytes are buffered that no event has consumed yet.
    var hasUnconsumedBytes: Bool {
        position < buffer.count
    }

    /// True between the first byte of a request and the event that completes it.
    var isInsideRequest: Bool {
        switch state {
        case .head:
            return hasUnconsumedBytes
        case .fixedBody, .chunkedBody, .failed:
            return true
        }
    }

    /// True while a head is complete and its body is still arriving.
    var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkedBody:
            return true
        case .head, .failed:
            return false
        }
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Hands over the bytes not consumed yet, for a connection that switches protocol.
    mutating func takeUnconsumedBytes() -> [UInt8] {
        defer {
            buffer = []
            position = 0
        }
        return Array(buffer[position...])
    }

    mutating func next() throws(HTTP1ParseError) -> HTTP1ParserEvent {
        do throws(HTTP1ParseError) {
            return try advance()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func advance() throws(HTTP1ParseError) -> HTTP1ParserEvent {
        switch state {
        case .failed(let error):
            throw error
        case .head(var scan):
            guard let (head, framing) = try scanHead(&scan) else {
                state = .head(scan)
                return .needMoreData
            }
            return try beginBody(head: head, framing: framing)
        case .fixedBody(let remaining):
            return continueFixedBody(remaining: remaining)
        case .chunkedBody(var decoder):
            state = .failed(.invalidChunkSize)  // Placeholder so `body` stays uniquely referenced.
            return try continueChunkedBody(&decoder)
        }
    }

    // MARK: Head

    /// Looks for the end of the head; returns the parsed head once the empty line arrived.
    private mutating func scanHead(_ scan: inout HeadScan) throws(HTTP1ParseError) -> (HTTPRequestHead, BodyFraming)? {
        while true {
            let available = buffer.count - position
            // RFC 9112, 2.2: ignore empty lines received before the request line.
            if scan.requestLineEnd == nil, scan.lineStart == 0, available >= 2,
               buffer[position] == ASCII.carriageReturn, buffer[position + 1] == ASCII.lineFeed {
                position += 2
                scan = HeadScan()
                continue
            }
            guard scan.scanned < available, let lineFeed = findLineFeed(from: position + scan.scanned) else {
                scan.scanned = available
                try checkHeadLimits(scan, available: available)
                return nil
            }
            let lineFeedOffset = lineFeed - position
            // Limits are checked before the line itself, so the error a client gets does not
            // depend on how its bytes were split into reads.
            try checkHeadLimits(scan, available: lineFeedOffset + 1)
            guard lineFeedOffset > scan.lineStart, buffer[lineFeed - 1] == ASCII.carriageReturn else {
                throw .bareLineFeed
            }
            let contentEnd = lineFeedOffset - 1
            if let requestLineEnd = scan.requestLineEnd {
                if contentEnd == scan.lineStart {
                    let headLength = lineFeedOffset + 1
                    let parsed = try parseHead(length: headLength, requestLineEnd: requestLineEnd)
                    position += headLength
                    return parsed
                }
                scan.fieldLines += 1
                guard scan.fieldLines <= limits.maxHeaderCount else {
                    throw .tooManyFields
                }
            } else {
                scan.requestLineEnd = contentEnd
            }
            scan.lineStart = lineFeedOffset + 1
            scan.scanned = scan.lineStart
        }
    }

    private func checkHeadLimits(_ scan: HeadScan, available: Int) throws(HTTP1ParseError) {
        guard let requestLineEnd = scan.requestLineEnd else {
            // The request line has not ended: CR and LF may still follow the limit.
            if available > limits.maxRequestLineLength + 2 {
                throw .requestLineTooLong
            }
            return
        }
        if available - (requestLineEnd + 2) > limits.maxHeaderSectionSize {
            throw .headerSectionTooLarge
        }
    }

    private func findLineFeed(from start: Int) -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress,
                  let found = memchr(base + start, Int32(ASCII.lineFeed), bytes.count - start) else {
                return nil
            }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private func parseHead(length: Int, requestLineEnd: Int) throws(HTTP1ParseError) -> (HTTPRequestHead, BodyFraming) {
        let result: Result<(HTTPRequestHead, BodyFraming), HTTP1ParseError> = buffer.withUnsafeBufferPointer { all in
            let bytes = UnsafeBufferPointer(rebasing: all[position..<position + length])
            do throws(HTTP1ParseError) {
                return .success(try HTTP1HeadParser.parse(bytes, requestLineEnd: requestLineEnd, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: Body

    private mutating func beginBody(head: HTTPRequestHead, framing: BodyFraming) throws(HTTP1ParseError) -> HTTP1ParserEvent {
        switch framing {
        case .none:
            state = .head(HeadScan())
            return .request(HTTPRequest(head: head))
        case .contentLength(let length):
            guard length <= limits.maxBodySize else {
                throw .bodyTooLarge
            }
            if buffer.count - position >= length {
                let request = HTTPRequest(head: head, body: Array(buffer[position..<position + length]))
                position += length
                state = .head(HeadScan())
                return .request(request)
            }
            self.head = head
            body = []
            body.reserveCapacity(length)
            _ = continueFixedBody(remaining: length)
            return .headAwaitingBody(head)
        case .chunked:
            self.head = head
            body = []
            var decoder = ChunkedBodyDecoder()
            let event = try continueChunkedBody(&decoder)
            if case .request = event {
                return event
            }
            return .headAwaitingBody(head)
        }
    }

    private mutating func continueFixedBody(remaining: Int) -> HTTP1ParserEvent {
        let taken = min(remaining, buffer.count - position)
        body.append(contentsOf: buffer[position..<position + taken])
        position += taken
        guard taken == remaining else {
            state = .fixedBody(remaining: remaining - taken)
            return .needMoreData
        }
        return .request(finishRequest(trailers: HTTPFields()))
    }

    private mutating func continueChunkedBody(_ decoder: inout ChunkedBodyDecoder) throws(HTTP1ParseError) -> HTTP1ParserEvent {
        let outcome: Result<(consumed: Int, isComplete: Bool), HTTP1ParseError> = buffer.withUnsafeBufferPointer { all in
            let bytes = UnsafeBufferPointer(rebasing: all[position...])
            do throws(HTTP1ParseError) {
                return .success(try decoder.decode(bytes, into: &body, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        let (consumed, isComplete) = try outcome.get()
        position += consumed
        guard isComplete else {
            state = .chunkedBody(decoder)
            return .needMoreData
        }
        return .request(finishRequest(trailers: decoder.trailers))
    }

    private mutating func finishRequest(trailers: HTTPFields) -> HTTPRequest {
        // `head` is set whenever a body state is entered; the fallback is never used.
        let request = HTTPRequest(head: head ?? HTTPRequestHead(method: "", target: "", version: .http1_1, fields: [:]),
                                  body: body, trailers: trailers)
        head = nil
        body = []
        state = .head(HeadScan())
        return request
    }

    /// Drops consumed bytes so the buffer does not grow with every pipelined request.
    private mutating func compact() {
        guard position > 0 else {
            return
        }
        if position == buffer.count {
            // Keep a small allocation for the next request; let a large one go, so idle
            // connections cost little memory.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 4096)
        } else {
            buffer.removeSubrange(0..<position)
        }
        position = 0
    }
}
