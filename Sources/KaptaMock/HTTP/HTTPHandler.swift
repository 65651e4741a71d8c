/// What the transport knows about the connection a request came from.
public struct RequestContext: Sendable {
    /// The peer as `address:port` (IPv6 in brackets).
    public var remoteAddress: String
    /// A number unique among the connections of one server, for log metadata.
    public var connectionID: UInt64
    /// Monotonic time in nanoseconds when the request head was complete.
    public var receivedAt: UInt64
    /// The logger of the thread that serves the request.
    public var logger: Logger

    public init(remoteAddress: String, connectionID: UInt64, receivedAt: UInt64, logger: Logger) {
        self.remoteAddress = remoteAddress
        self.connectionID = connectionID
        self.receivedAt = receivedAt
        self.logger = logger
    }
}

/// A failure a handler asks the transport to produce instead of a well-formed response,
/// so client code can be tested against broken servers.
public enum TransportFault: String, Sendable, CaseIterable {
    /// Close the connection with a TCP RST (HTTP/2: RST_STREAM with INTERNAL_ERROR).
    case connectionReset
    /// Close the connection without sending anything (HTTP/2: RST_STREAM with CANCEL).
    case emptyResponse
    /// Send bytes that are not a valid response, then close
    /// (HTTP/2: RST_STREAM with PROTOCOL_ERROR, because framing is nghttp2's job).
    case malformedResponse
}

/// What a handler wants done with a request.
public enum HandlerResult: Sendable {
    case response(HTTPResponse)
    /// Send the response once `milliseconds` have passed. The connection stays busy
    /// meanwhile; pipelined requests behind it wait so responses stay in request order.
    case delayedResponse(HTTPResponse, milliseconds: Int)
    case fault(TransportFault)
}

/// The application side of the server. Both HTTP/1.1 and HTTP/2 call it on their event
/// loop thread, so both methods must return quickly and must not block.
public protocol HTTPHandler: Sendable {
    /// Decides a request from its head alone, before any body is read, or returns nil.
    ///
    /// The transport asks only for requests with `Expect: 100-continue` (RFC 9110, 10.1.1):
    /// a non-nil response is sent instead of `100 Continue`, and the body is never read.
    func responseBeforeBody(to head: HTTPRequestHead, context: RequestContext) -> HTTPResponse?

    /// Handles a complete request.
    func handle(_ request: HTTPRequest, context: RequestContext) -> HandlerResult
}
