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
    /// or `/` gets `/__admin/health`; any other path is requested as given. Connecting,
    /// sending and reading the status line share one deadline of `timeoutMilliseconds`, so a
    /// server that accepts and then responds slowly or never fails the check in time.
    public static func check(url: String, adminToken: String?, timeoutMilliseconds: Int = 2_000) throws(Failure) {
        let (host, port, path) = try parse(url)
        guard let target = SocketAddress.listening(host: host, port: port) else {
            throw Failure(description: "invalid host \(host) in \(url)")
        }
        let deadline = Deadline(milliseconds: timeoutMilliseconds)
        let family = target.address.isIPv6 ? AF_INET6 : AF_INET
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = socket(family, socketType, 0)
        guard fd >= 0 else {
            throw Failure(description: "socket failed: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }

        try connect(fd, to: target, before: deadline)
        var request = "GET \(path) HTTP/1.1\r\nHost: \(target.address)\r\nConnection: close\r\n"
        if let adminToken {
            request += "Authorization: Bearer \(adminToken)\r\n"
        }
        request += "\r\n"
        try sendAll(Array(request.utf8), to: fd, before: deadline)

        let statusLine = try readStatusLine(from: fd, before: deadline)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "GET \(path) returned an invalid status line")
        }
        guard status == 200 else {
            throw Failure(description: "GET \(path) returned status \(status), expected 200")
        }
    }

    /// The URL form `parse` accepts, as error messages describe it.
    static let urlForm = "http://HOST:PORT with an optional path, where HOST is an IP address or localhost"

    /// Splits `http://host:port/path?query`; the host may be an IPv6 literal in brackets. The
    /// scheme is matched without regard to case (RFC 3986, 3.1). The port defaults to 80, an
    /// empty path or `/` becomes `/__admin/health`, and a `#fragment` is dropped, because it is
    /// never sent (RFC 9110, 4.2.4). A URL with a byte RFC 3986, 2 does not allow, such as a
    /// space or CR LF, is rejected, because it would be copied into the request line.
    static func parse(_ url: String) throws(Failure) -> (host: String, port: Int, path: String) {
        let invalid = Failure(description: "invalid URL \(ControlEscaping.escaped(url)); expected \(urlForm)")
        guard url.hasPrefixIgnoringASCIICase("http://"), url.utf8.allSatisfy(isAllowedInURI) else {
            throw invalid
        }
        var rest = url.dropFirst("http://".count)
        if let fragment = rest.firstIndex(of: "#") {
            rest = rest[..<fragment]
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path == "/" {
            path = "/__admin/health"
        } else if path.hasPrefix("?") {
            path = "/__admin/health" + path
        }
        var host = authority
        var portText: Substring = "80"
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
            // Brackets hold an IPv6 address only (RFC 3986, 3.2.2), never `[127.0.0.1]`.
            guard host.contains(":") else {
                throw invalid
            }
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.hasPrefix(":") {
                portText = afterBracket.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        // A port is digits only (RFC 3986, 3.2.3); Int would also take a sign.
        guard !host.isEmpty, portText.utf8.allSatisfy(ASCII.isDigit), let port = Int(portText),
              (1...65_535).contains(port),
              SocketAddress.listening(host: String(host), port: port) != nil else {
            throw invalid
        }
        return (String(host), port, path)
    }

    /// True for the characters of RFC 3986, 2: unreserved, reserved and `%`. A `%` is not
    /// checked for two hex digits, because the server rejects a bad escape itself.
    private static func isAllowedInURI(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~:/?#[]@!$&'()*+,;=%".utf8.contains(byte)
        }
    }

    /// Connects the non-blocking socket `fd`, waiting at most until `deadline`.
    private static func connect(_ fd: Int32, to target: (storage: sockaddr_storage, length: socklen_t,
                                                          address: SocketAddress),
                                before deadline: Deadline) throws(Failure) {
        var storage = target.storage
        let connected = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, target.length) }
        }
        var code = connected == 0 ? 0 : errno
        if code == EINPROGRESS || code == EINTR {
            try wait(for: Int16(POLLOUT), on: fd, until: deadline, step: "connecting to \(target.address)")
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
        }
        guard code == 0 else {
            throw Failure(description: "cannot connect to \(target.address): \(String(cString: strerror(code)))")
        }
    }

    private static func sendAll(_ bytes: [UInt8], to fd: Int32, before deadline: Deadline) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            try wait(for: Int16(POLLOUT), on: fd, until: deadline, step: "sending the request")
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
                continue
            }
            guard sent > 0 else {
                throw Failure(description: "sending the request failed: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    /// Reads until the end of the status line; the rest of the response is not needed.
    private static func readStatusLine(from fd: Int32, before deadline: Deadline) throws(Failure) -> String {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while !received.contains(ASCII.lineFeed) {
            try wait(for: Int16(POLLIN), on: fd, until: deadline, step: "waiting for the response")
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
                continue
            }
            guard count >= 0 else {
                throw Failure(description: "reading the response failed: \(String(cString: strerror(errno)))")
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

    /// Waits until `fd` is ready for `events`, or throws once `deadline` has passed.
    private static func wait(for events: Int16, on fd: Int32, until deadline: Deadline, step: String)
        throws(Failure)
    {
        while true {
            guard let remaining = deadline.remainingMilliseconds() else {
                throw Failure(description: "timed out after \(deadline.milliseconds) ms while \(step)")
            }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, remaining)
            if ready > 0 {
                return
            }
            if ready < 0 && errno != EINTR {
                throw Failure(description: "poll failed while \(step): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The end of the whole check, on the monotonic clock.
    struct Deadline {
        let milliseconds: Int
        private let end: UInt64

        init(milliseconds: Int) {
            self.milliseconds = milliseconds
            end = Clock.monotonicNanoseconds() + UInt64(max(0, milliseconds)) * 1_000_000
        }

        /// Returns the time left, rounded up to whole milliseconds for poll(2), or nil once it is over.
        func remainingMilliseconds() -> Int32? {
            let now = Clock.monotonicNanoseconds()
            guard now < end else {
                return nil
            }
            return Int32(clamping: (end - now + 999_999) / 1_000_000)
        }
    }
}
