import CLinuxShim
import Glibc

/// An IPv4 or IPv6 address and port.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The numeric address without brackets: `127.0.0.1`, `::1`.
    public var host: String
    public var port: Int
    public var isIPv6: Bool

    /// `127.0.0.1:8080`, or `[::1]:8080` for IPv6, as in a URL authority.
    public var description: String {
        isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Reads an address the kernel filled in (`accept4`, `getsockname`).
    init?(_ storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let (host, port) = withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                    var raw = address.pointee.sin_addr
                    inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                    return (String(cText: text), Int(UInt16(bigEndian: address.pointee.sin_port)))
                }
            }
            self.init(host: host, port: port, isIPv6: false)
        case AF_INET6:
            let (host, port) = withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    var raw = address.pointee.sin6_addr
                    inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                    return (String(cText: text), Int(UInt16(bigEndian: address.pointee.sin6_port)))
                }
            }
            self.init(host: host, port: port, isIPv6: true)
        default:
            return nil
        }
    }

    init(host: String, port: Int, isIPv6: Bool) {
        self.host = host
        self.port = port
        self.isIPv6 = isIPv6
    }

    /// True for 127.0.0.0/8 and ::1, where only this machine can connect.
    public var isLoopback: Bool {
        isIPv6 ? host == "::1" : host.hasPrefix("127.")
    }

    /// Turns a configured host (`127.0.0.1`, `::`, `[::1]`, `localhost`) into a socket address.
    /// Names other than `localhost` are not resolved: a fake bound through DNS would be a
    /// surprise, so only literals are accepted.
    static func listening(host: String, port: Int) -> (storage: sockaddr_storage, length: socklen_t, address: SocketAddress)? {
        // inet_pton(3) reads a C string and would stop at a NUL, accepting the part before it.
        guard !host.containsControlCharacter else {
            return nil
        }
        var literal = host
        if literal.hasPrefix("[") && literal.hasSuffix("]") {
            literal = String(literal.dropFirst().dropLast())
        }
        if literal.lowercased() == "localhost" {
            literal = "127.0.0.1"
        }
        guard (0...65535).contains(port) else {
            return nil
        }
        var storage = sockaddr_storage()
        var ipv4 = in_addr()
        if inet_pton(AF_INET, literal, &ipv4) == 1 {
            let length = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    address.pointee.sin_family = sa_family_t(AF_INET)
                    address.pointee.sin_port = in_port_t(UInt16(port).bigEndian)
                    address.pointee.sin_addr = ipv4
                    return socklen_t(MemoryLayout<sockaddr_in>.size)
                }
            }
            return (storage, length, SocketAddress(host: literal, port: port, isIPv6: false))
        }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, literal, &ipv6) == 1 else {
            return nil
        }
        let length = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                address.pointee.sin6_family = sa_family_t(AF_INET6)
                address.pointee.sin6_port = in_port_t(UInt16(port).bigEndian)
                address.pointee.sin6_addr = ipv6
                return socklen_t(MemoryLayout<sockaddr_in6>.size)
            }
        }
        return (storage, length, SocketAddress(host: literal, port: port, isIPv6: true))
    }
}

extension String {
    /// The text of a NUL-terminated C character array.
    init(cText characters: [CChar]) {
        let bytes = characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init(decoding: bytes, as: UTF8.self)
    }
}
