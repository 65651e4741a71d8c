import CNghttp2

/// HTTP/2 on one connection (RFC 9113), driven through a libnghttp2 server session.
///
/// Every entry point follows the same two steps: hand the event to nghttp2 (bytes to
/// `nghttp2_session_mem_recv`, a response to `nghttp2_submit_response`, ...), then serialize
/// whatever nghttp2 queued with `nghttp2_session_mem_send` into the connection's output.
/// nghttp2 owns framing, HPACK, flow control, stream states and the checks of RFC 9113,
/// 8.2 and 8.3. This class owns the streams' requests and responses.
///
/// Ownership:
/// - `session` (`nghttp2_session*`) is created in `init` and freed in `deinit`, the only
///   place that calls `nghttp2_session_del`. Nothing else keeps the pointer.
/// - nghttp2 gets `self` as `user_data`, unretained. It calls back only from inside
///   `mem_recv`, `mem_send`, `upgrade2` and the `submit` functions, which only this object
///   calls on its own session, so `self` is alive whenever a callback runs.
///   `nghttp2_session_del` calls no callbacks.
/// - `transport` is unowned: the connection owns this session and outlives it.
final class HTTP2Session: ConnectionSession {
    private enum ShutdownPhase {
        case running
        /// A GOAWAY with the maximum stream id and a PING went out (RFC 9113, 6.8).
        case noticeSent
        /// The final GOAWAY with the last processed stream id is submitted.
        case goawaySubmitted
    }

    /// Queued output above which nothing more is serialized and reading pauses until the
    /// client takes what is queued, so a client that does not read cannot make us buffer
    /// without bound.
    static let maxQueuedOutput = 256 * 1024
    /// The timer token of the final GOAWAY. Timer tokens below 2^31 are stream ids.
    private static let finalGoawayToken: UInt64 = 1 << 32
    /// Maximum wait, in milliseconds, between the shutdown notice and the final GOAWAY when
    /// the PING sent with the notice is not acknowledged sooner.
    private static let finalGoawayDelay = 250
    /// Time in milliseconds a closing connection may take to write its last frames.
    private static let closingGrace = 2_000

    /// The nghttp2 server session (`nghttp2_session*`), for this type's extensions only.
    let session: OpaquePointer
    unowned let transport: any HTTP2Transport
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    /// Open streams by id. A stream leaves when nghttp2 reports it closed.
    var streams: [Int32: HTTP2Stream] = [:]

    private var shutdownPhase = ShutdownPhase.running
    /// Set after nghttp2 returned a fatal error: the session is not used again.
    private var isFailed = false
    /// Set once the connection was asked to close after its output.
    private var isClosing = false
    private var isInputClosed = false
    private var isTerminationSubmitted = false
    private var isReadingPaused = false

    /// Returns nil when nghttp2 cannot allocate a session.
    init?(transport: any HTTP2Transport, configuration: HTTPServerConfiguration, handler: any HTTPHandler) {
        guard let session = Self.makeServerSession() else {
            return nil
        }
        self.session = session
        self.transport = transport
        self.configuration = configuration
        self.handler = handler
        nghttp2_session_set_user_data(session, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        nghttp2_session_del(session)
    }

    /// Creates the server session. The callbacks object is ours only for the call to
    /// `nghttp2_session_server_new`, which copies it, so it is freed on return.
    private static func makeServerSession() -> OpaquePointer? {
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else {
            return nil
        }
        defer { nghttp2_session_callbacks_del(callbacks) }
        HTTP2Callbacks.install(in: callbacks)

        // The default options are kept on purpose. nghttp2 then remembers recently closed
        // streams (open plus closed ones up to SETTINGS_MAX_CONCURRENT_STREAMS), so DATA on a
        // stream the client already ended gets the connection error STREAM_CLOSED of RFC 9113,
        // 5.1 instead of being ignored.
        var session: OpaquePointer?
        guard nghttp2_session_server_new(&session, callbacks, nil) == 0 else {
            return nil
        }
        return session
    }

    /// Sends our SETTINGS and handles the first request or bytes. Returns false when
    /// nghttp2 rejects the start; the caller then drops the session.
    func start(_ start: HTTP2Start) -> Bool {
        guard submitSettings() else {
            return false
        }
        transport.setDeadline(afterMilliseconds: configuration.timeouts.idle)
        switch start {
        case .priorKnowledge(let initialBytes):
            transport.logger.trace("HTTP/2 session started with prior knowledge", metadata)
            initialBytes.withUnsafeBytes { receive($0) }
        case .upgrade(let request, let settings, let remainingBytes):
            transport.logger.trace("HTTP/2 session started by upgrade", metadata)
            guard startUpgradedStream(request, settings: settings) else {
                return false
            }
            remainingBytes.withUnsafeBytes { receive($0) }
        }
        return true
    }

    private func submitSettings() -> Bool {
        let http2 = configuration.http2
        var entries = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                                   value: UInt32(clamping: http2.maxConcurrentStreams)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                                   value: UInt32(clamping: http2.maxHeaderListSize)),
        ]
        // nghttp2 copies the entries, so the array only has to live through the call.
        let result = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)
        guard result == 0 else {
            log(HTTP2LibraryError(call: "nghttp2_submit_settings", code: Int(result)))
            return false
        }
        return true
    }

    /// Opens stream 1 for the HTTP/1.1 request that carried the upgrade (RFC 7540, 3.2)
    /// and passes that request to the handler.
    private func startUpgradedStream(_ request: HTTPRequest, settings: [UInt8]) -> Bool {
        let isHead: Int32 = request.head.method == "HEAD" ? 1 : 0
        // nghttp2 reads the payload during the call and keeps no pointer to it.
        let result = settings.withUnsafeBufferPointer { payload in
            nghttp2_session_upgrade2(session, payload.baseAddress, payload.count, isHead, nil)
        }
        guard result == 0 else {
            log(HTTP2LibraryError(call: "nghttp2_session_upgrade2", code: Int(result)))
            return false
        }
        let stream = HTTP2Stream(id: 1, headBuilder: makeHeadBuilder())
        stream.head = request.head
        stream.trailers = request.trailers
        stream.isRequestComplete = true
        stream.receivedAt = Clock.monotonicNanoseconds()
        streams[1] = stream
        dispatch(request, on: stream)
        return true
    }

    func makeHeadBuilder() -> HTTP2RequestHeadBuilder {
        HTTP2RequestHeadBuilder(limits: configuration.limits, maxHeaderListSize: configuration.http2.maxHeaderListSize)
    }

    // MARK: ConnectionSession

    func receive(_ bytes: UnsafeRawBufferPointer) {
        guard !isFailed else {
            return
        }
        if !isClosing {
            transport.setDeadline(afterMilliseconds: configuration.timeouts.idle)
        }
        let result = bytes.withMemoryRebound(to: UInt8.self) { input in
            nghttp2_session_mem_recv(session, input.baseAddress, input.count)
        }
        // Protocol errors are not returned here: nghttp2 queues RST_STREAM or GOAWAY itself.
        // A negative result (bad client preface, flooding, out of memory) ends the session.
        guard result >= 0 else {
            fail(HTTP2LibraryError(call: "nghttp2_session_mem_recv", code: result))
            return
        }
        sendPendingFrames()
    }

    func outputDrained() {
        guard !isFailed else {
            return
        }
        if isReadingPaused && !isInputClosed {
            isReadingPaused = false
            transport.resumeReading()
        }
        sendPendingFrames()
    }

    func timerFired(token: UInt64) {
        guard !isFailed else {
            return
        }
        if token == Self.finalGoawayToken {
            submitFinalGoaway()
        } else if token <= UInt64(Int32.max), let stream = streams[Int32(token)],
                  case .delayed(let response) = stream.response {
            submit(response, on: stream)
        }
        sendPendingFrames()
    }

    func deadlineExpired() {
        if isClosing || isFailed {
            // The last frames could not be written in time: the client stopped reading.
            transport.close()
            return
        }
        if streams.values.contains(where: \.isDelayed) {
            // The client waits for us, not the other way round.
            transport.setDeadline(afterMilliseconds: configuration.timeouts.idle)
            return
        }
        transport.logger.debug("closing HTTP/2 connection: idle timeout", metadata)
        terminate(errorCode: NGHTTP2_NO_ERROR.rawValue)
        sendPendingFrames()
        closeAfterFlush()
    }

    func peerClosedInput() {
        isInputClosed = true
        // Epoll keeps reporting a closed input as readable, so stop watching it.
        isReadingPaused = true
        transport.pauseReading()
        guard !isFailed else {
            return
        }
        terminateIfInputClosed()
        sendPendingFrames()
    }

    /// Sends a GOAWAY with the maximum stream id and a PING; once the PING is acknowledged
    /// (or after `finalGoawayDelay`), the final GOAWAY names the last stream that will be
    /// served. Requests the client sent before seeing the notice are served, not refused
    /// (RFC 9113, 6.8).
    func beginShutdown() {
        guard shutdownPhase == .running, !isFailed, !isTerminationSubmitted else {
            return
        }
        shutdownPhase = .noticeSent
        let noticeResult = nghttp2_submit_shutdown_notice(session)
        let pingResult = nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
        if noticeResult != 0 || pingResult != 0 {
            // Out of memory, or a GOAWAY already went out: skip straight to the final GOAWAY.
            submitFinalGoaway()
        } else {
            transport.scheduleTimer(afterMilliseconds: Self.finalGoawayDelay, token: Self.finalGoawayToken)
        }
        sendPendingFrames()
    }

    /// Submits the final GOAWAY during shutdown, because a PING ACK proves that the client has
    /// read the notice sent before the PING.
    func pingAcknowledged() {
        submitFinalGoaway()
    }

    private func submitFinalGoaway() {
        guard shutdownPhase == .noticeSent else {
            return
        }
        shutdownPhase = .goawaySubmitted
        let lastStreamID = nghttp2_session_get_last_proc_stream_id(session)
        let result = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), lastStreamID,
                                           NGHTTP2_NO_ERROR.rawValue, nil, 0)
        if result != 0 {
            handleLibraryError(HTTP2LibraryError(call: "nghttp2_submit_goaway", code: Int(result)))
        }
    }

    // MARK: Output and closing

    /// Serializes queued frames into the connection's output until nghttp2 has nothing more
    /// or the output passes `maxQueuedOutput`; then closes the connection if it is done.
    func sendPendingFrames() {
        while !isFailed && transport.isOpen {
            guard transport.pendingOutputCount < Self.maxQueuedOutput else {
                if nghttp2_session_want_write(session) != 0 && !isReadingPaused {
                    isReadingPaused = true
                    transport.pauseReading()
                }
                return
            }
            var frames: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &frames)
            guard count >= 0 else {
                fail(HTTP2LibraryError(call: "nghttp2_session_mem_send", code: count))
                return
            }
            guard count > 0, let frames else {
                break
            }
            // `frames` is valid only until the next call into nghttp2, so it is copied now.
            transport.appendOutput { output in
                output.append(contentsOf: UnsafeBufferPointer(start: frames, count: count))
            }
        }
        closeIfFinished()
    }

    /// nghttp2 wants neither to read nor to write once a GOAWAY went out (or came in) and no
    /// stream is active, or after a connection error.
    private func closeIfFinished() {
        guard !isFailed, transport.isOpen,
              nghttp2_session_want_read(session) == 0, nghttp2_session_want_write(session) == 0 else {
            return
        }
        closeAfterFlush()
    }

    /// Submits GOAWAY once every stream is closed after the client closed its side of the
    /// TCP connection, because no new request can arrive.
    func terminateIfInputClosed() {
        if isInputClosed && streams.isEmpty {
            terminate(errorCode: NGHTTP2_NO_ERROR.rawValue)
        }
    }

    private func terminate(errorCode: UInt32) {
        guard !isTerminationSubmitted else {
            return
        }
        isTerminationSubmitted = true
        let result = nghttp2_session_terminate_session(session, errorCode)
        if result != 0 {
            handleLibraryError(HTTP2LibraryError(call: "nghttp2_session_terminate_session", code: Int(result)))
        }
    }

    private func closeAfterFlush() {
        guard !isClosing else {
            return
        }
        isClosing = true
        transport.closeAfterFlush()
        transport.setDeadline(afterMilliseconds: Self.closingGrace)
    }

    private func fail(_ error: HTTP2LibraryError) {
        log(error)
        isFailed = true
        closeAfterFlush()
    }

    /// Logs a failed nghttp2 call and ends the session when the error is fatal.
    func handleLibraryError(_ error: HTTP2LibraryError, streamID: Int32? = nil) {
        if error.isFatal {
            fail(error)
        } else {
            log(error, streamID: streamID)
        }
    }

    private func log(_ error: HTTP2LibraryError, streamID: Int32? = nil) {
        let streamMetadata = streamID.map { [(key: "stream", value: String($0))] } ?? []
        transport.logger.debug("HTTP/2 session error: \(error)", metadata + streamMetadata)
    }

    var metadata: [(key: String, value: String)] {
        [(key: "connection", value: String(transport.id)), (key: "peer", value: transport.remoteAddress)]
    }
}
