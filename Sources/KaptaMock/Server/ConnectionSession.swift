/// The protocol spoken on one connection: HTTP/1.1 at first, HTTP/2 after a preface or an
/// upgrade. The event loop calls these on its own thread only; a session asks its
/// `Connection` to write, close or arm timers and never touches the socket itself.
protocol ConnectionSession: AnyObject {
    /// Handles bytes read from the socket.
    func receive(_ bytes: UnsafeRawBufferPointer)

    /// All queued output reached the kernel, so a session that paused may go on.
    func outputDrained()

    /// A timer armed with `Connection.scheduleTimer` fired.
    func timerFired(token: UInt64)

    /// The connection's deadline passed (header, body or idle timeout).
    func deadlineExpired()

    /// The peer closed its sending side. Requests already received may still be answered.
    func peerClosedInput()

    /// The server is stopping: finish requests in flight, take no new ones, and close the
    /// connection once nothing is left to do.
    func beginShutdown()
}
