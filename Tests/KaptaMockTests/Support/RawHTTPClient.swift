import Glibc
@testable import KaptaMock

/// A response as a test reads it off the wire.
struct WireResponse {
    var status: Int
    var reasonPhrase: String
    var fields: HTTPFields
    var body: [UInt8]

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

enum RawClientError: Error, CustomStringConvertible {
    case connectFailed(Int32)
    case timedOut
    case closed
    /// The server reset the connection (ECONNRESET, or EPIPE when sending after a reset).
    case reset
    case malformed(String)

    var description: String {
        switch self {
        case .connectFailed(let code): "connect failed: errno \(code)"
        case .timedOut: "timed out waiting for the server"
        case .closed: "the server closed the connection"
        case .reset: "the server reset the connection"
        case .malformed(let detail): "malformed response: \(detail)"
        }
    }
}

/// A blocking TCP client that writes raw bytes and reads HTTP/1.1 responses, so tests can
/// send exactly the bytes a case needs, including ones no HTTP library would produce.
///
/// `@unchecked Sendable`: a test may hand a client to another thread, but only one thread
/// uses it at a time.
final class RawHTTPClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 5) throws {
        let isIPv6 = host.contains(":")
        fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        guard let target = SocketAddress.listening(host: host, port: port) else {
            close(fd)
            throw RawClientError.connectFailed(EINVAL)
        }
        var storage = target.storage
        let result = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, target.length) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw RawClientError.connectFailed(code)
        }
    }

    deinit {
        close(fd)
    }

    /// Sets how long a read may wait before it fails with `timedOut`.
    func setReadTimeout(milliseconds: Int) {
        var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else {
                throw errno == EPIPE || errno == ECONNRESET ? RawClientError.reset : RawClientError.closed
            }
            offset += written
        }
    }

    /// Half-closes the sending side, as a client does after its last request.
    func shutdownSending() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads one response; a `100 Continue` interim response is returned like any other.
    func readResponse(requestMethod: String = "PUT") throws -> WireResponse {
        let headEnd = try readUntil(Array("\r\n\r\n".utf8))
        let headText = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw RawClientError.malformed(statusLine)
        }
        var fields = HTTPFields()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else {
                throw RawClientError.malformed(line)
            }
            fields.append(name: String(line[..<colon]),
                          value: String(line[line.index(after: colon)...]).trimmingWhiteSpace())
        }
        var body: [UInt8] = []
        let hasBody = status >= 200 && status != 204 && status != 304 && requestMethod != "HEAD"
        if hasBody, let length = fields["Content-Length"].flatMap({ Int($0) }) {
            try fill(count: length)
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        return WireResponse(status: status, reasonPhrase: reason, fields: fields, body: body)
    }

    /// Reads a final response, skipping interim 1xx responses.
    func readFinalResponse(requestMethod: String = "PUT") throws -> WireResponse {
        while true {
            let response = try readResponse(requestMethod: requestMethod)
            if response.status >= 200 {
                return response
            }
        }
    }

    /// True when the server closes the connection (EOF or reset) within the read timeout,
    /// after any bytes still in flight.
    func waitForClose() -> Bool {
        buffer.removeAll()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 {
                return true
            }
            if count < 0 {
                return errno == ECONNRESET
            }
        }
    }

    /// Everything the server sends until it closes or the read timeout passes.
    func readAll() -> (bytes: [UInt8], closed: Bool) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var received = buffer
        buffer.removeAll()
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 {
                return (received, true)
            }
            if count < 0 {
                return (received, errno == ECONNRESET)
            }
            received.append(contentsOf: chunk[..<count])
        }
    }

    private func readUntil(_ marker: [UInt8]) throws -> Int {
        var searchFrom = 0
        while true {
            if buffer.count >= marker.count {
                for start in searchFrom...(buffer.count - marker.count) where buffer[start..<start + marker.count].elementsEqual(marker) {
                    return start
                }
                searchFrom = buffer.count - marker.count + 1
            }
            try receiveMore()
        }
    }

    private func fill(count: Int) throws {
        while buffer.count < count {
            try receiveMore()
        }
    }

    private func receiveMore() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count == 0 {
            throw RawClientError.closed
        }
        if count < 0 {
            switch errno {
            case EAGAIN, EWOULDBLOCK: throw RawClientError.timedOut
            case ECONNRESET: throw RawClientError.reset
            default: throw RawClientError.closed
            }
        }
        buffer.append(contentsOf: chunk[..<count])
    }
}
