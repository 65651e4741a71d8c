import CLinuxShim
import Glibc
import Synchronization

/// One thread running epoll over its own connections. A connection stays on the loop that
/// adopted it, so connection state is never shared between threads; only the inbox (a
/// mutex-guarded queue woken by an eventfd) is touched from outside.
///
/// `@unchecked Sendable`: the stored properties below the inbox are used on the loop's own
/// thread only. Other threads call `post` and nothing else.
final class EventLoop: @unchecked Sendable {
    enum Message {
        case adopt(fd: Int32, remoteAddress: String)
        case shutdown(deadline: UInt64)
    }

    private static let listenerTag: UInt64 = 1 << 40
    private static let wakeTag: UInt64 = 1 << 41
    private static let maxEvents: Int32 = 512
    private static let readBufferSize = 64 * 1024

    let index: Int
    let context: ServerContext
    /// A logger whose lines are buffered and written once per loop iteration.
    let logger: Logger
    private let logSink: LogSink
    private let epollFD: Int32
    private let wakeFD: Int32
    private let inbox = Mutex<[Message]>([])

    /// The buffer every read of this loop goes into; a connection keeps only the bytes its
    /// parser has not consumed, so idle connections hold no read buffer.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: EventLoop.readBufferSize, alignment: 16)
    private var connections: [Connection?] = []
    private(set) var connectionCount = 0
    private var timers = TimerHeap()
    private var isShuttingDown = false
    private var shutdownDeadline = UInt64.max
    private var nextSweep: UInt64 = 0
    private let sweepInterval: UInt64
    /// When accepting failed for lack of descriptors, the listener rests until this time,
    /// because a level-triggered listener would otherwise wake the loop in a busy cycle.
    private var listenerPausedUntil: UInt64?
    private var cachedDate = (second: -1, text: "")
    /// Connections refused at the connection limit since the last warning, which is logged
    /// at most once a second so a flood cannot flood the log as well.
    private var refusedConnections = 0
    private var nextRefusalWarning: UInt64 = 0

    init(index: Int, context: ServerContext) throws(SystemError) {
        self.index = index
        self.context = context
        logSink = context.logger.sink.bufferedCopy()
        var logger = context.logger.writing(to: logSink)
        logger.metadata.append((key: "loop", value: String(index)))
        self.logger = logger
        epollFD = try SystemCall.runBlocking("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do {
            wakeFD = try SystemCall.runBlocking("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        } catch {
            close(epollFD)
            throw error
        }
        let timeouts = context.configuration.timeouts
        let shortest = UInt64(max(1, min(timeouts.headerRead, timeouts.idle)))
        sweepInterval = min(max(shortest / 8, 10), 250) * 1_000_000
        try register(fd: wakeFD, events: EPOLLIN.rawValue, tag: Self.wakeTag)
        // EPOLLEXCLUSIVE wakes one waiting loop per new connection instead of all of them.
        try register(fd: context.listener.fd, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, tag: Self.listenerTag)
    }

    deinit {
        close(epollFD)
        close(wakeFD)
        readBuffer.deallocate()
    }

    /// Queues a message for the loop thread and wakes it. Safe from any thread.
    func post(_ message: Message) {
        inbox.withLock { $0.append(message) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, MemoryLayout<UInt64>.size)
    }

    // MARK: The loop

    func run() {
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(Self.maxEvents))
        defer {
            events.deallocate()
        }
        while true {
            let count = epoll_wait(epollFD, events, Self.maxEvents, waitTimeout())
            if count < 0 && errno != EINTR {
                logger.error("epoll_wait failed", [(key: "error", value: String(cString: strerror(errno)))])
                break
            }
            for index in 0..<Int(max(count, 0)) {
                dispatch(events[index])
            }
            let now = Clock.monotonicNanoseconds()
            fireTimers(now: now)
            if now >= nextSweep {
                sweepDeadlines(now: now)
                resumeListenerIfRested(now: now)
                nextSweep = now + sweepInterval
            }
            logSink.flush()
            if isShuttingDown {
                // Lingering connections count too: closing one before the peer has seen our
                // FIN would reset a request it is sending at that moment. Clients close on the
                // FIN at once; one that does not is cut at the grace deadline.
                if connectionCount == 0 {
                    break
                }
                if now >= shutdownDeadline {
                    closeAllConnections()
                    break
                }
            }
        }
        logSink.flush()
    }

    private func dispatch(_ event: epoll_event) {
        let tag = event.data.u64
        switch tag {
        case Self.listenerTag:
            acceptConnections()
        case Self.wakeTag:
            drainInbox()
        default:
            let fd = Int(tag)
            guard fd < connections.count, let connection = connections[fd] else {
                return
            }
            let flags = event.events
            if flags & EPOLLERR.rawValue != 0 {
                connection.close()
                return
            }
            if flags & EPOLLOUT.rawValue != 0 {
                connection.handleWritable()
            }
            if flags & EPOLLIN.rawValue != 0 {
                connection.handleReadable()
            } else if flags & EPOLLHUP.rawValue != 0 {
                connection.close()
            }
        }
    }

    private func waitTimeout() -> Int32 {
        let now = Clock.monotonicNanoseconds()
        var wake = nextSweep
        if let timer = timers.nextDeadline {
            wake = min(wake, timer)
        }
        if isShuttingDown {
            wake = min(wake, shutdownDeadline)
        }
        guard wake > now else {
            return 0
        }
        // Round up, so the loop does not wake a moment before the deadline and spin.
        return Int32(min((wake - now + 999_999) / 1_000_000, 1_000))
    }

    // MARK: Connections

    private func acceptConnections() {
        let limit = context.configuration.limits.maxConnections
        // Take at most a batch per wakeup so one loop cannot starve its connections.
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            let fd = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(context.listener.fd, $0, &length, flags)
                }
            }
            guard fd >= 0 else {
                handleAcceptFailure(errno)
                return
            }
            guard context.openConnections.wrappingAdd(1, ordering: .relaxed).newValue <= limit else {
                context.openConnections.wrappingSubtract(1, ordering: .relaxed)
                close(fd)
                warnAboutRefusedConnection(limit: limit)
                continue
            }
            try? SystemCall.setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
            let remote = SocketAddress(storage)?.description ?? "unknown"
            let target = context.nextLoop()
            if target === self {
                adopt(fd: fd, remoteAddress: remote)
            } else {
                target.post(.adopt(fd: fd, remoteAddress: remote))
            }
        }
    }

    private func warnAboutRefusedConnection(limit: Int) {
        refusedConnections += 1
        let now = Clock.monotonicNanoseconds()
        guard now >= nextRefusalWarning else {
            return
        }
        logger.warning("connections refused: the connection limit is reached; raise server.limits.maxConnections "
            + "if the clients are legitimate", [(key: "limit", value: String(limit)),
                                                 (key: "refused", value: String(refusedConnections))])
        refusedConnections = 0
        nextRefusalWarning = now + 1_000_000_000
    }

    private func handleAcceptFailure(_ code: Int32) {
        switch code {
        case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED:
            return
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
            logger.error("accept failed; not accepting for 100 ms", [(key: "error", value: String(cString: strerror(code)))])
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, context.listener.fd, nil)
            listenerPausedUntil = Clock.monotonicNanoseconds() + 100_000_000
        default:
            logger.error("accept failed", [(key: "error", value: String(cString: strerror(code)))])
        }
    }

    private func resumeListenerIfRested(now: UInt64) {
        guard let until = listenerPausedUntil, now >= until, !isShuttingDown else {
            return
        }
        listenerPausedUntil = nil
        try? register(fd: context.listener.fd, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, tag: Self.listenerTag)
    }

    private func adopt(fd: Int32, remoteAddress: String) {
        if isShuttingDown {
            close(fd)
            context.openConnections.wrappingSubtract(1, ordering: .relaxed)
            return
        }
        let id = context.nextConnectionID.wrappingAdd(1, ordering: .relaxed).oldValue
        let connection = Connection(fd: fd, id: id, remoteAddress: remoteAddress, loop: self)
        connection.session = HTTP1Session(connection: connection)
        do {
            try register(fd: fd, events: EPOLLIN.rawValue, tag: UInt64(fd))
        } catch {
            logger.error("cannot watch accepted connection", [(key: "error", value: error.description)])
            close(fd)
            context.openConnections.wrappingSubtract(1, ordering: .relaxed)
            return
        }
        let slot = Int(fd)
        if slot >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: slot + 1 - connections.count))
        }
        connections[slot] = connection
        connectionCount += 1
        connection.setDeadline(afterMilliseconds: context.configuration.timeouts.headerRead)
        logger.trace("connection opened", [(key: "connection", value: String(id)), (key: "peer", value: remoteAddress)])
    }

    /// Forgets a connection; called by `Connection.close` before the descriptor is closed.
    func connectionClosed(_ connection: Connection) {
        let slot = Int(connection.fd)
        guard slot < connections.count, connections[slot] === connection else {
            return
        }
        connections[slot] = nil
        connectionCount -= 1
        context.openConnections.wrappingSubtract(1, ordering: .relaxed)
        logger.trace("connection closed", [(key: "connection", value: String(connection.id))])
    }

    func modifyInterest(fd: Int32, events: UInt32) {
        var event = epoll_event(events: events, data: epoll_data_t(u64: UInt64(fd)))
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    private func register(fd: Int32, events: UInt32, tag: UInt64) throws(SystemError) {
        var event = epoll_event(events: events, data: epoll_data_t(u64: tag))
        _ = try SystemCall.runBlocking("epoll_ctl") { epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) }
    }

    private func closeAllConnections() {
        for case let connection? in connections {
            connection.closeAfterDrainingInput()
        }
    }

    // MARK: Timers and deadlines

    func scheduleTimer(for connection: Connection, afterMilliseconds milliseconds: Int, token: UInt64) {
        let deadline = Clock.monotonicNanoseconds() &+ UInt64(max(0, milliseconds)) &* 1_000_000
        timers.insert(TimerHeap.Timer(deadline: deadline, fd: connection.fd, connectionID: connection.id, token: token))
    }

    private func fireTimers(now: UInt64) {
        while let timer = timers.popDue(now: now) {
            let slot = Int(timer.fd)
            guard slot < connections.count, let connection = connections[slot], connection.id == timer.connectionID else {
                continue
            }
            connection.handleTimer(token: timer.token)
        }
    }

    private func sweepDeadlines(now: UInt64) {
        for slot in connections.indices {
            if let connection = connections[slot], connection.deadline <= now {
                connection.handleDeadline(now: now)
            }
        }
    }

    // MARK: Messages

    private func drainInbox() {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
        let messages = inbox.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        for message in messages {
            switch message {
            case .adopt(let fd, let remoteAddress):
                adopt(fd: fd, remoteAddress: remoteAddress)
            case .shutdown(let deadline):
                beginShutdown(deadline: deadline)
            }
        }
    }

    private func beginShutdown(deadline: UInt64) {
        guard !isShuttingDown else {
            return
        }
        isShuttingDown = true
        shutdownDeadline = deadline
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, context.listener.fd, nil)
        for case let connection? in connections {
            connection.handleShutdown()
        }
    }

    /// The `Date` field value (RFC 9110, 6.6.1), formatted at most once a second.
    func httpDate() -> String {
        let second = Clock.wallClock().seconds
        if second != cachedDate.second {
            cachedDate = (second, Clock.httpDate(epochSeconds: second))
        }
        return cachedDate.text
    }
}
