extension FuzzEntryPoints {
    /// Feeds the input, after the client connection preface, to an HTTP/2 server session
    /// with an in-memory transport. Then drains the output, fires the timers the session
    /// armed, expires its deadline and shuts it down, so those paths run on whatever state
    /// the input left behind.
    ///
    /// The input arrives in two reads, split at the position its first byte names, because
    /// a real socket can split frames anywhere.
    public static func http2Session(_ input: UnsafeRawBufferPointer) {
        let transport = InMemoryHTTP2Transport()
        var configuration = HTTPServerConfiguration()
        configuration.limits.maxBodySize = 64 * 1024
        guard let session = HTTP2Session(transport: transport, configuration: configuration, handler: FuzzHandler()),
              session.start(.priorKnowledge(initialBytes: HTTP1Session.http2Preface)) else {
            return
        }
        let split = input.isEmpty ? 0 : min(Int(input[0]), input.count)
        session.receive(UnsafeRawBufferPointer(rebasing: input[..<split]))
        transport.drain(into: session)
        session.receive(UnsafeRawBufferPointer(rebasing: input[split...]))
        transport.drain(into: session)
        transport.fireTimers(of: session)
        session.beginShutdown()
        transport.fireTimers(of: session)
        session.deadlineExpired()
        session.peerClosedInput()
        transport.drain(into: session)
    }
}

/// A handler with the transport's branches in reach of a fuzzer: paths starting with
/// `/delay` are delayed, `/fault/<name>` produce faults, `/large` gets a 100 KB body.
private struct FuzzHandler: HTTPHandler {
    func responseBeforeBody(to head: HTTPRequestHead, context: RequestContext) -> HTTPResponse? {
        head.path == "/early" ? HTTPResponse(status: .forbidden) : nil
    }

    func handle(_ request: HTTPRequest, context: RequestContext) -> HandlerResult {
        let path = request.head.path
        let summary = "\(request.head.method) \(request.head.target) \(request.body.count)"
        let response = HTTPResponse(status: .ok, fields: ["Content-Type": "text/plain"], body: Array(summary.utf8))
        if path.hasPrefix("/delay") {
            return .delayedResponse(response, milliseconds: 10)
        }
        if path.hasPrefix("/fault/"), let fault = TransportFault(rawValue: String(path.dropFirst("/fault/".count))) {
            return .fault(fault)
        }
        if path == "/large" {
            return .response(HTTPResponse(status: .ok, body: [UInt8](repeating: 0x61, count: 100_000)))
        }
        return .response(response)
    }
}

/// An `HTTP2Transport` that keeps output and timers in memory, for the fuzzer only.
private final class InMemoryHTTP2Transport: HTTP2Transport {
    let id: UInt64 = 1
    let remoteAddress = "fuzzer"
    let logger = Logger.disabled
    private(set) var isOpen = true
    private var output: [UInt8] = []
    private var timerTokens: [UInt64] = []

    var pendingOutputCount: Int {
        output.count
    }

    func httpDate() -> String {
        "Thu, 01 Jan 1970 00:00:00 GMT"
    }

    func appendOutput(_ body: (inout [UInt8]) -> Void) {
        if isOpen {
            body(&output)
        }
    }

    func closeAfterFlush() {}

    func close() {
        isOpen = false
    }

    func setDeadline(afterMilliseconds milliseconds: Int) {}

    func clearDeadline() {}

    func scheduleTimer(afterMilliseconds milliseconds: Int, token: UInt64) {
        timerTokens.append(token)
    }

    func pauseReading() {}

    func resumeReading() {}

    /// Discards the output as a fast client would read it, letting the session write more.
    /// Bounded, because a session may keep producing frames for a while.
    func drain(into session: HTTP2Session) {
        for _ in 0..<64 where !output.isEmpty {
            output.removeAll(keepingCapacity: true)
            session.outputDrained()
        }
    }

    func fireTimers(of session: HTTP2Session) {
        let tokens = timerTokens
        timerTokens.removeAll()
        for token in tokens {
            session.timerFired(token: token)
        }
        drain(into: session)
    }
}
