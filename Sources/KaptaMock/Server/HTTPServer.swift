import Glibc
import Synchronization

/// The HTTP server: one listening socket and a fixed set of event loop threads.
///
/// `start` returns once the socket listens; `shutdown` stops accepting, lets requests in
/// flight finish within `HTTPTimeouts.shutdownGrace`, closes idle connections and returns
/// when every loop thread has ended.
/// RLIMIT_NOFILE, whose Glibc spelling imports as an enum case on Linux.
private let openFilesResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)

public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(context: ServerContext, threads: [pthread_t])
        case stopped
    }

    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let logger: Logger
    private let state = Mutex(State.idle)

    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
    }

    /// The address the server listens on, with the real port when port 0 was asked for;
    /// nil before `start` and after `shutdown`.
    public var localAddress: SocketAddress? {
        state.withLock { state in
            if case .running(let context, _) = state {
                return context.listener.address
            }
            return nil
        }
    }

    public func start() throws(HTTPServerError) {
        try state.withLock { (state: inout State) throws(HTTPServerError) in
            guard case .idle = state else {
                throw .alreadyStarted
            }
            // Writes to a socket the peer closed must fail with EPIPE, not kill the process.
            signal(SIGPIPE, SIG_IGN)
            Self.raiseDescriptorLimit(toServe: configuration.limits.maxConnections)
            let listener = try ListeningSocket.open(host: configuration.host, port: configuration.port)
            let context = ServerContext(configuration: configuration, handler: handler, logger: logger, listener: listener)
            var loops: [EventLoop] = []
            do throws(SystemError) {
                for index in 0..<max(1, configuration.eventLoopCount) {
                    loops.append(try EventLoop(index: index, context: context))
                }
            } catch {
                listener.close()
                throw .listenFailed(listener.address.description, error)
            }
            context.install(loops: loops)
            let threads = loops.map { loop in
                spawnThread(name: "kapta-loop-\(loop.index)") { loop.run() }
            }
            state = .running(context: context, threads: threads)
        }
    }

    /// Raises the soft limit on open descriptors toward the hard limit, because the default
    /// soft limit (often 1,024) is below the connection limit. Never lowers it.
    private static func raiseDescriptorLimit(toServe connections: Int) {
        var limit = rlimit()
        guard getrlimit(openFilesResource, &limit) == 0 else {
            return
        }
        // Each connection needs one descriptor; leave room for the listener, epoll, logs.
        let wanted = rlim_t(connections + 256)
        guard limit.rlim_cur < wanted else {
            return
        }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        setrlimit(openFilesResource, &limit)
    }

    /// Stops the server gracefully and waits for it; calling it again does nothing.
    public func shutdown() {
        let running: (ServerContext, [pthread_t])? = state.withLock { state in
            guard case .running(let context, let threads) = state else {
                return nil
            }
            state = .stopped
            return (context, threads)
        }
        guard let (context, threads) = running else {
            return
        }
        let grace = UInt64(max(0, configuration.timeouts.shutdownGrace)) * 1_000_000
        let deadline = Clock.monotonicNanoseconds() + grace
        for loop in context.loops {
            loop.post(.shutdown(deadline: deadline))
        }
        for thread in threads {
            pthread_join(thread, nil)
        }
        context.removeLoops()
        // Every loop has removed the listener from its epoll set, so closing it now cannot
        // hand its descriptor number to a new socket that a loop still watches.
        context.listener.close()
    }
}
