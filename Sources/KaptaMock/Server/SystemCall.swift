import Glibc

/// A failed system call: its name and errno.
public struct SystemError: Error, Equatable, CustomStringConvertible {
    public let call: String
    public let code: Int32

    public var description: String {
        "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// The outcome of a call on a nonblocking descriptor.
enum IOResult<Value> {
    case done(Value)
    /// EAGAIN or EWOULDBLOCK: try again once epoll says the descriptor is ready.
    case wouldBlock
}

/// The one wrapper every system call of the transport goes through.
enum SystemCall {
    /// Runs `body`, which follows the C convention of returning -1 and setting errno.
    /// Retries on EINTR, maps EAGAIN to `.wouldBlock` and throws anything else.
    @inline(__always)
    static func run<Result: BinaryInteger>(_ name: StaticString,
                                           _ body: () -> Result) throws(SystemError) -> IOResult<Result> {
        while true {
            let result = body()
            guard result == -1 else {
                return .done(result)
            }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                return .wouldBlock
            default:
                // EBADF or EFAULT means we passed a closed descriptor or a bad pointer:
                // our bug, not the peer's. Debug builds stop here to show it.
                assert(code != EBADF && code != EFAULT, "\(name): \(String(cString: strerror(code)))")
                throw SystemError(call: "\(name)", code: code)
            }
        }
    }

    /// Runs a call that cannot block (socket setup, epoll_ctl) and returns its result.
    @inline(__always)
    static func runBlocking<Result: BinaryInteger>(_ name: StaticString,
                                                   _ body: () -> Result) throws(SystemError) -> Result {
        switch try run(name, body) {
        case .done(let result):
            return result
        case .wouldBlock:
            throw SystemError(call: "\(name)", code: EAGAIN)
        }
    }

    /// Sets an integer socket option.
    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) throws(SystemError) {
        var value = value
        _ = try runBlocking("setsockopt") {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }
}
