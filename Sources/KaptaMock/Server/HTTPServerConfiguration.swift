import Glibc

/// Everything the transport needs: where to listen, how many threads, and the limits that
/// protect it from slow or oversized clients.
public struct HTTPServerConfiguration: Sendable {
    /// An IPv4 or IPv6 literal, or `localhost`. `0.0.0.0` and `::` listen on every interface.
    public var host: String = "127.0.0.1"
    /// 0 asks the kernel for a free port; `HTTPServer.localAddress` tells which one.
    public var port: Int = 8080
    /// Event loop threads; each owns its connections for their whole life.
    public var eventLoopCount: Int = HTTPServerConfiguration.processorCount
    public var limits = HTTPLimits()
    public var timeouts = HTTPTimeouts()
    public var http2 = HTTP2Settings()

    public init() {}

    /// Processors this process may run on, at least 1.
    public static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// Size limits of RFC 9112 requests. Each violation is answered with its own status and the
/// connection is closed, because the rest of the stream can no longer be trusted.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line, CRLF excluded; longer gets 414.
    public var maxRequestLineLength = 8 * 1024
    /// Largest header section (request line excluded, every field line and CRLF included);
    /// larger gets 431.
    public var maxHeaderSectionSize = 32 * 1024
    /// Most header fields in one request; more gets 431.
    public var maxHeaderCount = 100
    /// Largest request body, after de-chunking; larger gets 413.
    public var maxBodySize = 4 * 1024 * 1024
    /// Most connections open at once, across all event loops. Further connections are
    /// accepted and closed at once so they fail fast instead of waiting in the backlog.
    public var maxConnections = 10_000

    public init() {}
}

/// Timeouts in milliseconds.
public struct HTTPTimeouts: Sendable, Equatable {
    /// Time from the first byte of a request to the end of its header section.
    public var headerRead = 10_000
    /// Time a keep-alive connection may wait for its next request, and the longest pause
    /// allowed while a body is being received.
    public var idle = 60_000
    /// On shutdown, how long requests in flight may take before connections are cut.
    public var shutdownGrace = 1_500

    public init() {}
}

/// HTTP/2 cleartext (h2c) settings.
public struct HTTP2Settings: Sendable, Equatable {
    /// Accept connections that start with the HTTP/2 preface (prior knowledge).
    public var priorKnowledge = true
    /// Answer `Upgrade: h2c` on HTTP/1.1 requests with 101 and continue in HTTP/2.
    public var upgrade = true
    /// SETTINGS_MAX_CONCURRENT_STREAMS we announce.
    public var maxConcurrentStreams = 100
    /// SETTINGS_MAX_HEADER_LIST_SIZE we announce and enforce, in bytes.
    public var maxHeaderListSize = 32 * 1024

    public init() {}
}
