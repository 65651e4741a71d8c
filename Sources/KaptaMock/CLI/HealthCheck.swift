import Glibc

/// `kapta-mock healthcheck [URL]`: a plain-socket HTTP/1.1 client for `GET /__admin/health`,
/// so a container's `HEALTHCHECK` needs no curl in the image.
public enum HealthCheck {
    /// The reason a check failed, printed as one line on stderr.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Returns the URL of a server started with the same environment. A wildcard host is
    /// replaced by the loopback address of its family.
    public static func defaultURL(environment: (String) -> String?) -> String {
        var host = environment("KAPTA_MOCK_HOST").flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        if host == "0.0.0.0" {
            host = "127.0.0.1"
        } else if host == "::" {
            host = "::1"
        }
        let port = environment("KAPTA_MOCK_PORT").flatMap { Int($0) } ?? 8080
        return host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Sends the request and returns normally when the status is 200. A URL with no path
    /// or `/` gets `/__admin/health`; any other path is requested as given.
    public static func check(url: String, adminToken: String?, timeoutMilliseconds: Int = 2_000) throws(Failure) {
        let (host, port, path) = try parse(url)

        guard let target = SocketAddress.listening(host: host, port: port) else {
            throw Failure(description: "invalid host \(host) in \(url)")
        }
        let family = target.address.isIPv6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw Failure(description: "socket failed: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }

        // On Linux SO_SNDTIMEO also bounds connect(2), and SO_RCVTIMEO bounds each recv(2).
        var timeout = timeval(tv_sec: timeoutMilliseconds / 1_000, tv_usec: (timeoutMilliseconds % 1_000) * 1_000)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var storage = target.storage
        let connected = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, target.length) }
        }
        guard connected == 0 else {
            throw Failure(description: "cannot connect to \(target.address): \(String(cString: strerror(errno)))")
        }

        var request = "GET \(path) HTTP/1.1\r\nHost: \(target.address)\r\nConnection: close\r\n"
        if let adminToken {
            request += "Authorization: Bearer \(adminToken)\r\n"
        }
        request += "\r\n"
        try sendAll(Array(request.utf8), to: fd)

        let statusLine = try readStatusLine(from: fd)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "GET \(path) returned an invalid status line")
        }
        guard status == 200 else {
            throw Failure(description: "GET \(path) returned status \(status), expected 200")
        }
    }

    /// Splits `http://host:port/path`; the host may be an IPv6 literal in brackets.
    static func parse(_ url: String) throws(Failure) -> (host: String, port: Int, path: String) {
        guard url.hasPrefix("http://") else {
            throw Failure(description: "invalid URL \(url); expected http://HOST:PORT")
        }
        let rest = url.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path == "/" {
            path = "/__admin/health"
        }
        var host = authority
        var portText: Substring = "80"
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.hasPrefix(":") {
                portText = afterBracket.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65_535).contains(port) else {
            throw Failure(description: "invalid URL \(url); expected http://HOST:PORT")
        }
        return (String(host), port, path)
    }

    private static func sendAll(_ bytes: [UInt8], to fd: Int32) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR {
                continue
            }
            guard sent > 0 else {
                throw Failure(description: "sending the request failed: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    /// Reads until the end of the status line; the rest of the response is not needed.
    private static func readStatusLine(from fd: Int32) throws(Failure) -> String {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while !received.contains(ASCII.lineFeed) {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR {
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw Failure(description: "no response within the timeout")
            }
            guard count > 0 else {
                throw Failure(description: "the server closed the connection without a response")
            }
            received.append(contentsOf: chunk[..<count])
            guard received.count < 8_192 else {
                break
            }
        }
        let line = received.prefix { $0 != ASCII.carriageReturn && $0 != ASCII.lineFeed }
        return String(decoding: line, as: UTF8.self)
    }
}
