/// HTTP/1.1 on one connection: feeds the parser, calls the handler, keeps responses in
/// request order, and decides when the connection closes (RFC 9112, 9).
final class HTTP1Session: ConnectionSession {
    /// A response held back by a delay fault, with what is needed to send it later.
    private struct DelayedResponse {
        var response: HTTPResponse
        var head: HTTPRequestHead
        var keepAlive: Bool
        var token: UInt64
    }

    /// Queued output above which no further pipelined request is handled until the client
    /// reads, so a client that never reads cannot make us buffer without bound.
    static let maxQueuedOutput = 1 << 20

    /// The client connection preface of HTTP/2 (RFC 9113, 3.4).
    static let http2Preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// The connection owns this session and drops it before it goes away, so the reference
    /// needs no runtime check.
    private unowned(unsafe) let connection: Connection
    private var parser: HTTP1RequestParser
    private var delayed: DelayedResponse?
    private var nextTimerToken: UInt64 = 0
    /// Set once no further request will be handled; the connection closes after its output.
    private var isFinished = false
    private var isShuttingDown = false
    private var isInputClosed = false
    private var isHeaderDeadlineArmed = true
    /// The first bytes of the connection, held until they show whether it speaks HTTP/2.
    private var prefaceProbe: [UInt8]? = []

    private var context: ServerContext { connection.loop.context }
    private var timeouts: HTTPTimeouts { context.configuration.timeouts }

    init(connection: Connection) {
        self.connection = connection
        parser = HTTP1RequestParser(limits: connection.loop.context.configuration.limits)
    }

    // MARK: ConnectionSession

    func receive(_ bytes: UnsafeRawBufferPointer) {
        guard !isFinished else {
            return
        }
        if prefaceProbe != nil {
            guard let initialBytes = probeForHTTP2(bytes) else {
                return
            }
            parser.append(initialBytes)
        } else {
            parser.append(bytes)
        }
        processRequests()
    }

    func outputDrained() {
        connection.resumeReading()
        if !isFinished && delayed == nil && parser.hasUnconsumedBytes {
            processRequests()
        }
    }

    func timerFired(token: UInt64) {
        guard let pending = delayed, pending.token == token else {
            return
        }
        delayed = nil
        send(pending.response, for: pending.head, keepAlive: pending.keepAlive)
        if !isFinished {
            processRequests()
        }
    }

    func deadlineExpired() {
        let reason: String
        if parser.isReadingBody {
            reason = "body read timed out"
        } else if parser.isInsideRequest {
            reason = "header read timed out"
        } else {
            reason = "idle timeout"
        }
        connection.loop.logger.debug("closing connection: \(reason)", metadata)
        connection.close()
    }

    func peerClosedInput() {
        isInputClosed = true
        guard delayed == nil else {
            return
        }
        finish()
    }

    func beginShutdown() {
        isShuttingDown = true
        // A request the client already sent is in flight even if it is still in the socket:
        // read it now, so it is answered (with `Connection: close`) instead of reset.
        connection.readPendingInput()
        if !isFinished && delayed == nil && !parser.isInsideRequest {
            // Nothing left to answer: close with a FIN after any output, so a client that
            // sends its next request meanwhile sees the end of the connection and can retry.
            finish()
        }
    }

    // MARK: Requests

    private func processRequests() {
        while !isFinished && delayed == nil {
            guard connection.pendingOutputCount <= Self.maxQueuedOutput else {
                connection.pauseReading()
                return
            }
            let event: HTTP1ParserEvent
            do {
                event = try parser.next()
            } catch {
                reject(error)
                return
            }
            switch consume event {
            case .needMoreData:
                updateDeadline()
                if isInputClosed {
                    finish()
                }
                return
            case .headAwaitingBody(let head):
                answerExpectation(head)
            case .request(let request):
                isHeaderDeadlineArmed = false
                handle(request)
            }
        }
    }

    private func handle(_ request: HTTPRequest) {
        if let upgrade = HTTP2Upgrade(request: request, settings: context.configuration.http2),
           switchToHTTP2(upgrade, request: request) {
            return
        }
        let keepAlive = !isShuttingDown && !isInputClosed && HTTP1Persistence.isPersistent(request.head)
        let requestContext = RequestContext(remoteAddress: connection.remoteAddress, connectionID: connection.id,
                                            receivedAt: Clock.monotonicNanoseconds(), logger: connection.loop.logger)
        switch context.handler.handle(request, context: requestContext) {
        case .response(let response):
            send(response, for: request.head, keepAlive: keepAlive)
        case .delayedResponse(let response, let milliseconds):
            nextTimerToken += 1
            delayed = DelayedResponse(response: response, head: request.head, keepAlive: keepAlive, token: nextTimerToken)
            connection.clearDeadline()
            connection.scheduleTimer(afterMilliseconds: milliseconds, token: nextTimerToken)
        case .fault(let fault):
            perform(fault)
        }
    }

    /// RFC 9110, 10.1.1: send `100 Continue` only when the body will be read. When the head
    /// alone decides the outcome, the final response goes out at once and the connection
    /// closes, since the body that may still follow will not be read.
    private func answerExpectation(_ head: HTTPRequestHead) {
        guard head.version == .http1_1, let expectation = head.fields["Expect"],
              expectation.equalsIgnoringASCIICase("100-continue") else {
            return
        }
        let requestContext = RequestContext(remoteAddress: connection.remoteAddress, connectionID: connection.id,
                                            receivedAt: Clock.monotonicNanoseconds(), logger: connection.loop.logger)
        if let response = context.handler.responseBeforeBody(to: head, context: requestContext) {
            send(response, for: head, keepAlive: false)
            return
        }
        connection.write(HTTP1ResponseWriter.continueResponse)
    }

    private func send(_ response: HTTPResponse, for head: HTTPRequestHead, keepAlive: Bool) {
        let keepAlive = keepAlive && !isShuttingDown
        let date = connection.loop.httpDate()
        connection.appendOutput { output in
            HTTP1ResponseWriter.write(response, requestMethod: head.method, requestVersion: head.version,
                                      keepAlive: keepAlive, date: date, into: &output)
        }
        if keepAlive {
            connection.setDeadline(afterMilliseconds: timeouts.idle)
        } else {
            finish()
        }
    }

    private func reject(_ error: HTTP1ParseError) {
        connection.loop.logger.debug("rejected request: \(error)", metadata + [(key: "status", value: String(error.status.code))])
        let date = connection.loop.httpDate()
        connection.appendOutput { output in
            HTTP1ResponseWriter.write(HTTP1ErrorPage.response(for: error), requestMethod: "", requestVersion: .http1_1,
                                      keepAlive: false, date: date, into: &output)
        }
        finish()
    }

    private func perform(_ fault: TransportFault) {
        isFinished = true
        switch fault {
        case .connectionReset:
            connection.flush()
            connection.reset()
        case .emptyResponse:
            connection.closeAfterFlush()
        case .malformedResponse:
            connection.write(Self.malformedResponse)
            connection.closeAfterFlush()
        }
    }

    /// Bytes no HTTP client can parse as a response: a status line without a code and a
    /// Content-Length that is not a number.
    static let malformedResponse = Array("HTTP/1.1 OK\r\nContent-Length: banana\r\n\u{1}\u{2}\r\n\r\nnot http".utf8)

    /// Takes no further requests; the connection closes once its output is written.
    private func finish() {
        isFinished = true
        connection.closeAfterFlush()
    }

    /// Arms the header timeout when a request starts, and the body timeout on every
    /// piece of body that arrives; an idle connection keeps its idle deadline.
    private func updateDeadline() {
        if parser.isReadingBody {
            connection.setDeadline(afterMilliseconds: timeouts.idle)
        } else if parser.isInsideRequest && !isHeaderDeadlineArmed {
            isHeaderDeadlineArmed = true
            connection.setDeadline(afterMilliseconds: timeouts.headerRead)
        } else if !parser.isInsideRequest {
            isHeaderDeadlineArmed = false
        }
    }

    private var metadata: [(key: String, value: String)] {
        [(key: "connection", value: String(connection.id)), (key: "peer", value: connection.remoteAddress)]
    }

    // MARK: HTTP/2

    /// Holds back the first bytes until they show whether the client sent the HTTP/2
    /// preface; returns the bytes to parse as HTTP/1.1, or nil when it must wait or switched.
    private func probeForHTTP2(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        var probe = prefaceProbe ?? []
        probe.append(contentsOf: bytes)
        let settings = context.configuration.http2
        let compared = min(probe.count, Self.http2Preface.count)
        guard settings.priorKnowledge, probe[..<compared].elementsEqual(Self.http2Preface[..<compared]) else {
            prefaceProbe = nil
            return probe
        }
        guard probe.count >= Self.http2Preface.count else {
            prefaceProbe = probe
            return nil
        }
        prefaceProbe = nil
        guard let session = HTTP2Support.makeSession(connection: connection, start: .priorKnowledge(initialBytes: probe)) else {
            return probe
        }
        isFinished = true
        connection.replaceSession(with: session)
        return nil
    }

    private func switchToHTTP2(_ upgrade: HTTP2Upgrade, request: HTTPRequest) -> Bool {
        guard HTTP2Support.isAvailable else {
            return false
        }
        connection.write(Array("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n".utf8))
        let start = HTTP2Start.upgrade(request: request, settings: upgrade.settings,
                                       remainingBytes: parser.takeUnconsumedBytes())
        isFinished = true
        guard let session = HTTP2Support.makeSession(connection: connection, start: start) else {
            // The settings were checked before 101 went out, so only an internal error gets
            // here, and the client can no longer be answered in HTTP/1.1.
            connection.loop.logger.error("HTTP/2 session could not start after 101", metadata)
            connection.close()
            return true
        }
        connection.replaceSession(with: session)
        return true
    }
}
