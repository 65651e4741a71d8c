/// A complete kapta-mock server: the Kapta API, the logon endpoints and the admin API on one
/// port, with its own tenants, journal and faults.
///
/// Several servers can run in one process, each with its own state, which is how Swift test
/// suites use it:
///
///     var configuration = KaptaMockConfiguration.default
///     configuration.server.port = 0
///     let server = KaptaMockServer(configuration: configuration, logger: .disabled)
///     try server.start()
///     defer { server.stop() }
///     // send requests to server.baseURL
public final class KaptaMockServer: Sendable {
    public let configuration: KaptaMockConfiguration
    let handler: KaptaMockHandler
    private let server: HTTPServer
    private let logger: Logger

    /// Creates a stopped server. Without a logger, lines go to stderr with the level and
    /// format of `configuration.logging`.
    public init(configuration: KaptaMockConfiguration, logger: Logger? = nil) {
        self.configuration = configuration
        let logger = logger ?? Logger(level: configuration.logging.level,
                                      sink: LogSink(format: configuration.logging.format))
        self.logger = logger
        handler = KaptaMockHandler(configuration: configuration)
        server = HTTPServer(configuration: configuration.server, handler: handler, logger: logger)
    }

    /// Binds the socket and starts serving; returns once the socket listens.
    public func start() throws(HTTPServerError) {
        try server.start()
        let address = server.localAddress
        logger.info("listening", [
            ("url", baseURL), ("tenants", String(configuration.tenants.count)),
            ("eventLoops", String(configuration.server.eventLoopCount)),
        ])
        if let address, !address.isLoopback, configuration.admin.token == nil {
            logger.warning("listening on a non-loopback address without an admin token: anyone who can reach "
                + "it can read, change and reset its data; set --admin-token or KAPTA_MOCK_ADMIN_TOKEN",
                [("address", address.description)])
        }
    }

    /// The URL clients use, such as `http://127.0.0.1:43123` or `http://[::1]:43123`, with the
    /// real port once started. Before `start` it shows the configured port, which may be 0.
    public var baseURL: String {
        if let address = server.localAddress {
            return "http://\(address)"
        }
        let host = configuration.server.host
        let authority = host.contains(":") ? "[\(host)]" : host
        return "http://\(authority):\(configuration.server.port)"
    }

    /// The bound port, or nil when the server is not running.
    public var port: Int? {
        server.localAddress?.port
    }

    /// Stops accepting connections, lets requests in flight finish within the shutdown
    /// grace period, and returns when the server has stopped. Calling it again does nothing.
    public func stop() {
        guard server.localAddress != nil else {
            return
        }
        logger.info("stopping", [("url", baseURL)])
        server.shutdown()
        logger.info("stopped")
    }

    /// Restores the configured tenants and clears the journal, faults and unused
    /// authorization codes, as `POST /__admin/reset` does.
    public func reset() {
        handler.admin.resetEverything()
    }

    /// The live tenant data, for tests that check state directly instead of over HTTP.
    public var store: TenantStore {
        handler.store
    }

    /// The request journal, for tests that inspect requests directly.
    public var journal: RequestJournal {
        handler.journal
    }

    /// The installed faults, for tests that add faults directly.
    public var faults: FaultRegistry {
        handler.faults
    }
}
