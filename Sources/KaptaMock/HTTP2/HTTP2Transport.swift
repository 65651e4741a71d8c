/// What an `HTTP2Session` needs from the connection under it.
///
/// `Connection` is the only conformer in the server. The h2 fuzz entry point supplies an
/// in-memory one, so the session can be driven without a socket or an event loop.
protocol HTTP2Transport: AnyObject {
    var id: UInt64 { get }
    var remoteAddress: String { get }
    var isOpen: Bool { get }
    /// Bytes appended with `appendOutput` that have not reached the kernel yet.
    var pendingOutputCount: Int { get }
    /// The logger of the thread that runs the connection.
    var logger: Logger { get }

    /// The value for the `date` response field (RFC 9110, 6.6.1).
    func httpDate() -> String
    func appendOutput(_ body: (inout [UInt8]) -> Void)
    func closeAfterFlush()
    func close()
    func setDeadline(afterMilliseconds milliseconds: Int)
    func clearDeadline()
    func scheduleTimer(afterMilliseconds milliseconds: Int, token: UInt64)
    func pauseReading()
    func resumeReading()
}

extension Connection: HTTP2Transport {
    var logger: Logger {
        loop.logger
    }

    func httpDate() -> String {
        loop.httpDate()
    }
}
