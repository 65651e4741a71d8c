import CLinuxShim
import Glibc

/// One accepted socket, owned by one event loop for its whole life. It carries out what its
/// session decides (buffered writes, closing, resetting, timers) and is the only code that
/// reads from or writes to the descriptor.
final class Connection {
    private enum Phase {
        case open
        /// Our side is shut down after the last response; reading and discarding until the
        /// peer closes, so unread request bytes do not turn our FIN into a RST that could
        /// destroy the response before the client reads it (RFC 9112, 9.6).
        case lingering
        case closed
    }

    let fd: Int32
    let id: UInt64
    let remoteAddress: String
    /// The loop outlives its connections: it closes them all before its thread ends. So the
    /// reference needs no runtime check, which `unowned` would pay on every access.
    unowned(unsafe) let loop: EventLoop
    /// Set right after creation, because the session keeps an unowned reference back.
    var session: (any ConnectionSession)?

    /// Bytes waiting for the socket; `outputOffset` of them are already written.
    private(set) var output: [UInt8] = []
    private var outputOffset = 0
    private var phase = Phase.open
    private var closesAfterFlush = false
    private var isReadingPaused = false
    private var isWriteInterestRegistered = false
    /// Monotonic nanoseconds at which `ConnectionSession.deadlineExpired` is called.
    private(set) var deadline = UInt64.max

    /// How long a lingering close waits for the peer to close, in nanoseconds.
    private static let lingerTime: UInt64 = 2_000_000_000

    init(fd: Int32, id: UInt64, remoteAddress: String, loop: EventLoop) {
        self.fd = fd
        self.id = id
        self.remoteAddress = remoteAddress
        self.loop = loop
    }

    var isOpen: Bool {
        if case .open = phase { return true }
        return false
    }

    var pendingOutputCount: Int {
        output.count - outputOffset
    }

    // MARK: Requests from the session

    /// Appends to the output buffer; nothing is written until the loop flushes.
    func appendOutput(_ body: (inout [UInt8]) -> Void) {
        guard isOpen else {
            return
        }
        body(&output)
    }

    func write(_ bytes: [UInt8]) {
        appendOutput { $0.append(contentsOf: bytes) }
    }

    /// Closes once every queued byte is written.
    func closeAfterFlush() {
        closesAfterFlush = true
    }

    /// Sets the deadline `milliseconds` from now.
    func setDeadline(afterMilliseconds milliseconds: Int) {
        deadline = Clock.monotonicNanoseconds() &+ UInt64(max(0, milliseconds)) &* 1_000_000
    }

    func clearDeadline() {
        deadline = .max
    }

    func scheduleTimer(afterMilliseconds milliseconds: Int, token: UInt64) {
        loop.scheduleTimer(for: self, afterMilliseconds: milliseconds, token: token)
    }

    /// Stops reading, so a client that does not read its responses cannot make us buffer
    /// without bound.
    func pauseReading() {
        guard !isReadingPaused else { return }
        isReadingPaused = true
        updateInterest()
    }

    func resumeReading() {
        guard isReadingPaused else { return }
        isReadingPaused = false
        updateInterest()
    }

    func replaceSession(with session: any ConnectionSession) {
        self.session = session
    }

    /// Sends a TCP RST: SO_LINGER with a zero timeout makes `close` abort the connection.
    func reset() {
        guard phase != .closed else { return }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    /// Closes at once, dropping unwritten output.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        output = []
        loop.connectionClosed(self)
        Glibc.close(fd)
    }

    // MARK: Events from the loop

    /// Reads once from the socket and hands the bytes to the session. Returns true when
    /// something was read (bytes or the end of input), false when the socket had nothing or
    /// the connection is gone.
    @discardableResult
    func handleReadable() -> Bool {
        let buffer = loop.readBuffer
        let result: IOResult<Int>
        do {
            result = try SystemCall.run("read") { read(fd, buffer.baseAddress, buffer.count) }
        } catch {
            // ECONNRESET and the like: the peer is gone, nothing more can be sent.
            close()
            return false
        }
        guard case .done(let count) = result else {
            return false
        }
        switch phase {
        case .closed:
            return false
        case .lingering:
            if count == 0 {
                close()
            }
            return count > 0
        case .open:
            break
        }
        if count == 0 {
            session?.peerClosedInput()
        } else {
            session?.receive(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        flush()
        return true
    }

    /// Reads what the client has already sent, so requests that reached the socket before a
    /// shutdown are answered rather than lost. Bounded, so a client that keeps sending
    /// cannot hold the loop.
    func readPendingInput() {
        var reads = 0
        while isOpen && reads < 16 && handleReadable() {
            reads += 1
        }
    }

    /// Closes after reading and discarding what is left in the socket. Closing with unread
    /// bytes makes the kernel send a RST, which can destroy a response the client has not
    /// read yet; an empty receive queue gets a FIN.
    func closeAfterDrainingInput() {
        guard phase != .closed else { return }
        var reads = 0
        while reads < 16 && read(fd, loop.readBuffer.baseAddress, loop.readBuffer.count) > 0 {
            reads += 1
        }
        close()
    }

    func handleWritable() {
        flush()
    }

    func handleDeadline(now: UInt64) {
        guard deadline <= now else { return }
        deadline = .max
        switch phase {
        case .open:
            session?.deadlineExpired()
            flush()
        case .lingering:
            closeAfterDrainingInput()
        case .closed:
            break
        }
    }

    func handleTimer(token: UInt64) {
        guard isOpen else { return }
        session?.timerFired(token: token)
        flush()
    }

    func handleShutdown() {
        switch phase {
        case .open:
            session?.beginShutdown()
            flush()
        case .lingering:
            closeAfterDrainingInput()
        case .closed:
            break
        }
    }

    /// Writes as much queued output as the socket takes. When everything is written the
    /// session may produce more (a paused pipeline resumes), which is written in turn.
    func flush() {
        while isOpen {
            guard writeQueuedOutput() else {
                return
            }
            if closesAfterFlush {
                beginLingeringClose()
                return
            }
            session?.outputDrained()
            if pendingOutputCount == 0 {
                return
            }
        }
    }

    /// Returns true once the whole buffer is written, false when the socket is full or closed.
    private func writeQueuedOutput() -> Bool {
        while outputOffset < output.count {
            let result: IOResult<Int>
            do {
                result = try output.withUnsafeBytes { bytes throws(SystemError) in
                    try SystemCall.run("send") {
                        send(fd, bytes.baseAddress! + outputOffset, bytes.count - outputOffset, Int32(MSG_NOSIGNAL))
                    }
                }
            } catch {
                // EPIPE or ECONNRESET: the peer went away; what is left can never arrive.
                close()
                return false
            }
            switch result {
            case .done(let written):
                outputOffset += written
            case .wouldBlock:
                if !isWriteInterestRegistered {
                    isWriteInterestRegistered = true
                    updateInterest()
                }
                return false
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputOffset = 0
        if isWriteInterestRegistered {
            isWriteInterestRegistered = false
            updateInterest()
        }
        return true
    }

    private func beginLingeringClose() {
        guard isOpen else { return }
        phase = .lingering
        session = nil
        shutdown(fd, Int32(SHUT_WR))
        deadline = Clock.monotonicNanoseconds() &+ Self.lingerTime
        isReadingPaused = false
        updateInterest()
    }

    private func updateInterest() {
        var events: UInt32 = 0
        if !isReadingPaused {
            events |= EPOLLIN.rawValue
        }
        if isWriteInterestRegistered {
            events |= EPOLLOUT.rawValue
        }
        loop.modifyInterest(fd: fd, events: events)
    }
}
