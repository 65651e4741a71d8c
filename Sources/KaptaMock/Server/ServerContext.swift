import Synchronization

/// What every event loop of one server shares: configuration, the handler, the listening
/// socket and the counters that span loops.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let logger: Logger
    let listener: ListeningSocket
    let openConnections = Atomic<Int>(0)
    let nextConnectionID = Atomic<UInt64>(1)
    /// Round-robin cursor spreading accepted connections over the loops.
    private let acceptCursor = Atomic<Int>(0)
    /// The loops, written once by `HTTPServer.start` before any loop thread runs, only read
    /// while they run, and emptied by `HTTPServer.shutdown` after every loop thread ended.
    nonisolated(unsafe) private(set) var loops: [EventLoop] = []

    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger, listener: ListeningSocket) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.listener = listener
    }

    func install(loops: [EventLoop]) {
        precondition(self.loops.isEmpty, "loops are installed once, before they run")
        self.loops = loops
    }

    /// Drops the loops after their threads ended. Each loop keeps its context, so without
    /// this the context and its loops would keep each other alive after shutdown.
    func removeLoops() {
        loops = []
    }

    /// The loop the next accepted connection goes to.
    func nextLoop() -> EventLoop {
        let index = acceptCursor.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[index % loops.count]
    }
}
