import CLinuxShim
import Glibc

/// Errors that stop a server from starting.
public enum HTTPServerError: Error, CustomStringConvertible {
    case invalidHost(String)
    case invalidPort(Int)
    case addressInUse(String)
    case listenFailed(String, SystemError)
    case alreadyStarted

    public var description: String {
        switch self {
        case .invalidHost(let host):
            return "invalid host '\(ControlEscaping.escaped(host))': use an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::, or localhost"
        case .invalidPort(let port):
            return "invalid port \(port): use 0 (any free port) to 65535"
        case .addressInUse(let address):
            return "cannot listen on \(address): the address is already in use; stop the other process or use --port 0"
        case .listenFailed(let address, let error):
            return "cannot listen on \(address): \(error)"
        case .alreadyStarted:
            return "the server was already started"
        }
    }
}

/// The nonblocking listening socket every event loop accepts from.
final class ListeningSocket: Sendable {
    let fd: Int32
    let address: SocketAddress

    private init(fd: Int32, address: SocketAddress) {
        self.fd = fd
        self.address = address
    }

    static func open(host: String, port: Int) throws(HTTPServerError) -> ListeningSocket {
        guard (0...65535).contains(port) else {
            throw .invalidPort(port)
        }
        guard let resolved = SocketAddress.listening(host: host, port: port) else {
            throw .invalidHost(host)
        }
        var storage = resolved.storage
        let (length, requested) = (resolved.length, resolved.address)
        let family = requested.isIPv6 ? AF_INET6 : AF_INET
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd: Int32
        do {
            fd = try SystemCall.runBlocking("socket") { socket(family, socketType, 0) }
        } catch {
            throw .listenFailed(requested.description, error)
        }
        do {
            // SO_REUSEADDR lets a restarted server bind while old connections sit in
            // TIME_WAIT; unlike SO_REUSEPORT it does not let two servers share a port.
            try SystemCall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            _ = try SystemCall.runBlocking("bind") {
                withUnsafePointer(to: &storage) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
                }
            }
            _ = try SystemCall.runBlocking("listen") { listen(fd, SOMAXCONN) }
        } catch {
            Glibc.close(fd)
            if error.code == EADDRINUSE {
                throw .addressInUse(requested.description)
            }
            throw .listenFailed(requested.description, error)
        }
        var bound = sockaddr_storage()
        var boundLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &boundLength) }
        }
        return ListeningSocket(fd: fd, address: SocketAddress(bound) ?? requested)
    }

    func close() {
        Glibc.close(fd)
    }
}
