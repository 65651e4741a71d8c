import Foundation
import Glibc
import Synchronization
import Testing
@testable import KaptaMock

/// Tests of the `kapta-mock` binary as a user runs it: a real process, real signals, real
/// sockets on 127.0.0.1.
@Suite(.serialized) struct CommandLineProcessTests {
    @Test func printsOnlyURLOnStdout() throws {
        let child = try KaptaMockProcess(["--port", "0"])
        let line = try child.readReadyLine()
        #expect(line.hasPrefix("http://127.0.0.1:"))
        let port = try #require(KaptaMockProcess.port(of: line))
        #expect(port > 0)
        let client = try RawHTTPClient(port: port)
        try client.send("GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
        #expect(child.standardOutputText() == line + "\n")
        #expect(child.standardErrorText().contains(" info listening url=\(line) "))
    }

    @Test func runsTwoInstancesSideBySide() throws {
        let first = try KaptaMockProcess(["--port", "0"])
        let second = try KaptaMockProcess(["--port", "0"])
        let firstPort = try #require(KaptaMockProcess.port(of: try first.readReadyLine()))
        let secondPort = try #require(KaptaMockProcess.port(of: try second.readReadyLine()))
        #expect(firstPort != secondPort)
        let client = try RawHTTPClient(port: firstPort)
        try client.send("DELETE /__admin/tenants/acme HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 204)
        let other = try RawHTTPClient(port: secondPort)
        try other.send("GET /__admin/tenants/acme HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try other.readResponse(requestMethod: "GET").status == 200)
        first.signal(SIGTERM)
        second.signal(SIGINT)
        #expect(first.waitForExit() == 0)
        #expect(second.waitForExit() == 0)
    }

    @Test func writesAndRemovesPortFile() throws {
        let portFile = NSTemporaryDirectory() + "kapta-mock-port-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: portFile, contents: Data("stale\n".utf8))
        let child = try KaptaMockProcess(["--port", "0", "--port-file", portFile])
        let line = try child.readReadyLine()
        #expect(try String(contentsOfFile: portFile, encoding: .utf8) == line + "\n")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: portFile))
    }

    /// The temporary file beside the port file has a short name of its own, so a port file
    /// whose name is near the 255-byte limit of a file name still works.
    @Test func writesPortFileWithLongName() throws {
        let portFile = NSTemporaryDirectory() + String(repeating: "p", count: 250)
        defer { try? FileManager.default.removeItem(atPath: portFile) }
        let child = try KaptaMockProcess(["--port", "0", "--port-file", portFile])
        let line = try child.readReadyLine()
        #expect(try String(contentsOfFile: portFile, encoding: .utf8) == line + "\n")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }

    /// The rename that writes the port file would replace whatever is at the path, and the
    /// removal at shutdown would delete it, so only a regular file may be there beforehand.
    @Test func rejectsPortFileThatIsNotRegularFile() throws {
        let folder = NSTemporaryDirectory() + "kapta-mock-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/precious.txt"
        _ = FileManager.default.createFile(atPath: target, contents: Data("precious\n".utf8))
        let symbolicLink = folder + "/link"
        try FileManager.default.createSymbolicLink(atPath: symbolicLink, withDestinationPath: target)
        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)

        for path in [folder, symbolicLink, fifo] {
            let result = try runKaptaMock(["--port", "0", "--port-file", path])
            #expect(result.status == 2, "\(path)")
            #expect(result.stdout.isEmpty, "\(path)")
            #expect(result.stderr.contains("exists and is not a regular file"), "\(path)")
            #expect(FileManager.default.fileExists(atPath: path), "\(path)")
        }
        let symbolicLinkTarget = try FileManager.default.destinationOfSymbolicLink(atPath: symbolicLink)
        #expect(symbolicLinkTarget == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
    }

    /// A port file that someone replaced while the server ran is theirs, so shutdown keeps it.
    @Test func keepsPortFileReplacedWhileRunning() throws {
        let portFile = NSTemporaryDirectory() + "kapta-mock-port-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: portFile) }
        let child = try KaptaMockProcess(["--port", "0", "--port-file", portFile])
        _ = try child.readReadyLine()
        try FileManager.default.removeItem(atPath: portFile)
        _ = FileManager.default.createFile(atPath: portFile, contents: Data("someone else's\n".utf8))
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
        #expect(try String(contentsOfFile: portFile, encoding: .utf8) == "someone else's\n")
    }

    /// A port file in a missing folder and one in a folder that takes no new files fail the
    /// same way: exit 2 before the server listens, with the path in the message. sysfs rejects
    /// new regular files from every user, root included, so the second case holds for any user.
    @Test func rejectsUnwritablePortFile() throws {
        let missingFolder = NSTemporaryDirectory() + "kapta-mock-missing-\(UUID().uuidString)/port"
        let readOnlyFolder = "/sys/kapta-mock-port-\(UUID().uuidString)"
        for path in [missingFolder, readOnlyFolder] {
            let result = try runKaptaMock(["--port", "0", "--port-file", path])
            #expect(result.status == 2, "\(path)")
            #expect(result.stdout.isEmpty, "\(path)")
            #expect(result.stderr.contains(" error cannot write the port file path=\(path) "), "\(path)")
            #expect(!result.stderr.contains("listening"), "\(path)")
        }
    }

    @Test func rejectsBadConfigWithExitCode2() throws {
        let path = NSTemporaryDirectory() + "kapta-mock-bad-\(UUID().uuidString).json"
        try Data(#"{"tenants":[{"id":"acme","users":[{"id":"u","email":"u@x","password":"p","token":"t","scope":"boss"}]}]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runKaptaMock(["--port", "0", "--config", path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "kapta-mock: invalid configuration: \(path): $.tenants[0].users[0].scope: "
            + "invalid value \"boss\"; allowed values: self, manager, administrator\n")
    }

    @Test func rejectsMissingConfigFile() throws {
        let result = try runKaptaMock(["--config", "/nonexistent/kapta.json"])
        #expect(result.status == 2)
        #expect(result.stderr == "kapta-mock: invalid configuration: /nonexistent/kapta.json: cannot read the file: "
            + "open /nonexistent/kapta.json failed: No such file or directory\n")
    }

    @Test func readsConfigFromEnvironment() throws {
        let result = try runKaptaMock([], environment: ["KAPTA_MOCK_CONFIG": "/nonexistent/env.json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/env.json"))
    }

    @Test func printsUsageForUnknownOption() throws {
        let result = try runKaptaMock(["--prot", "0"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "kapta-mock: unknown option --prot\n\n\(CommandLineParser.usage)")
    }

    @Test func printsHelpAndVersion() throws {
        let help = try runKaptaMock(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout == CommandLineParser.usage + "\n")
        let version = try runKaptaMock(["--version"])
        #expect(version.stdout == "kapta-mock \(KaptaMockVersion.current)\n")
    }

    @Test func reportsPortInUse() throws {
        let first = try KaptaMockProcess(["--port", "0"])
        let port = try #require(KaptaMockProcess.port(of: try first.readReadyLine()))
        let second = try runKaptaMock(["--port", String(port)])
        #expect(second.status == 1)
        #expect(second.stdout.isEmpty)
        #expect(second.stderr.contains("address is already in use"))
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0)
    }

    @Test func leavesOutIISHeadersOnRequest() throws {
        let child = try KaptaMockProcess(["--port", "0", "--no-iis-headers"])
        let port = try #require(KaptaMockProcess.port(of: try child.readReadyLine()))
        let client = try RawHTTPClient(port: port)
        try client.send("GET /v1/accounts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let response = try client.readResponse(requestMethod: "GET")
        #expect(response.status == 401)
        #expect(response.fields["Cache-Control"] == "no-cache")
        #expect(response.fields["Server"] == nil)
        #expect(response.fields["X-Powered-By"] == nil)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
        #expect(child.standardErrorText().contains(" iisHeaders=false "))
    }

    @Test func warnsOnPublicAddressWithoutToken() throws {
        let child = try KaptaMockProcess(["--host", "0.0.0.0", "--port", "0"])
        _ = try child.readReadyLine()
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
        #expect(child.standardErrorText().contains(" warning listening on a non-loopback address without an admin token"))
    }

    @Test func writesJSONLogLines() throws {
        let child = try KaptaMockProcess(["--port", "0", "--log-format", "json", "--log-level", "debug"])
        let port = try #require(KaptaMockProcess.port(of: try child.readReadyLine()))
        let client = try RawHTTPClient(port: port)
        try client.send("GET /__admin/nothing HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse(requestMethod: "GET").status == 404)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
        let lines = child.standardErrorText().split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.count)
        let request = objects.first { $0["message"] as? String == "request" }
        #expect(request?["path"] as? String == "/__admin/nothing")
        #expect(request?["status"] as? String == "404")
        #expect(objects.contains { $0["level"] as? String == "debug" && $0["message"] as? String == "client error" })
    }

    @Test func healthcheckExitCodes() throws {
        let child = try KaptaMockProcess(["--port", "0"], environment: ["KAPTA_MOCK_ADMIN_TOKEN": "s3cret"])
        let url = try child.readReadyLine()
        #expect(try runKaptaMock(["healthcheck", url], environment: ["KAPTA_MOCK_ADMIN_TOKEN": "s3cret"]).status == 0)
        let unauthorized = try runKaptaMock(["healthcheck", url])
        #expect(unauthorized.status == 1)
        #expect(unauthorized.stderr == "kapta-mock healthcheck: GET /__admin/health returned status 401, expected 200\n")
        let port = try #require(KaptaMockProcess.port(of: url))
        let viaEnvironment = try runKaptaMock(["healthcheck"], environment: ["KAPTA_MOCK_PORT": String(port),
                                                                              "KAPTA_MOCK_ADMIN_TOKEN": "s3cret"])
        #expect(viaEnvironment.status == 0)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
        let closed = try runKaptaMock(["healthcheck", url])
        #expect(closed.status == 1)
        #expect(closed.stderr.hasPrefix("kapta-mock healthcheck: cannot connect to 127.0.0.1:\(port): Connection refused"))
        #expect(try runKaptaMock(["healthcheck", "ftp://x"]).status == 2)
        #expect(try runKaptaMock(["healthcheck", "http://127.0.0.1:0"]).status == 2)
    }

    @Test func healthcheckRejectsRequestSplitting() throws {
        let splitURL = try runKaptaMock(["healthcheck", "http://127.0.0.1:1/x HTTP/1.1\r\nHost: evil\r\n\r\nGET /y"])
        #expect(splitURL.status == 2)
        #expect(splitURL.stderr.hasPrefix(#"kapta-mock: invalid healthcheck URL http://127.0.0.1:1/x HTTP/1.1\r\nHost"#))
        let splitToken = try runKaptaMock(["healthcheck", "http://127.0.0.1:1"],
                                          environment: ["KAPTA_MOCK_ADMIN_TOKEN": "s3cret\r\nX-Evil: 1"])
        #expect(splitToken.status == 2)
        #expect(splitToken.stderr == "kapta-mock healthcheck: invalid KAPTA_MOCK_ADMIN_TOKEN: "
            + "the admin token may contain only visible ASCII characters, without spaces\n")
    }

    /// A base URL, with or without the final `/`, checks /__admin/health; any other path is
    /// requested as given.
    @Test func healthcheckChecksGivenPath() throws {
        let child = try KaptaMockProcess(["--port", "0"])
        let url = try child.readReadyLine()
        #expect(try runKaptaMock(["healthcheck", url + "/"]).status == 0)
        #expect(try runKaptaMock(["healthcheck", url + "/__admin/tenants"]).status == 0)
        let unknownPath = try runKaptaMock(["healthcheck", url + "/prefix"])
        #expect(unknownPath.status == 1)
        #expect(unknownPath.stderr == "kapta-mock healthcheck: GET /prefix returned status 404, expected 200\n")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }

    /// One 2-second deadline covers connecting, sending and reading the status line. One
    /// listener here never responds; the other sends a 200 status line one byte every 300 ms,
    /// which takes 5 s in all. Both checks must fail with 1 well before that.
    @Test func healthcheckKeepsOverallDeadline() throws {
        let silent = try StubListener()
        let slow = try StubListener()
        slow.trickle(Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8), pauseMicroseconds: 300_000)
        let started = Date()
        let silentCheck = try KaptaMockProcess(["healthcheck", "http://127.0.0.1:\(silent.port)"])
        let slowCheck = try KaptaMockProcess(["healthcheck", "http://127.0.0.1:\(slow.port)/"])
        let silentStatus = silentCheck.waitForExit(timeoutMilliseconds: 5_000)
        let slowStatus = slowCheck.waitForExit(timeoutMilliseconds: 5_000)
        let elapsed = Date().timeIntervalSince(started)

        #expect(silentStatus == 1)
        #expect(slowStatus == 1)
        #expect(elapsed < 5)
        let timedOut = "kapta-mock healthcheck: timed out after 2000 ms while waiting for the response\n"
        #expect(silentCheck.standardErrorText() == timedOut)
        #expect(slowCheck.standardErrorText() == timedOut)
    }

    /// Runs requests on several keep-alive connections, some held back by a delay fault, and
    /// sends SIGTERM in the middle. The process must exit 0 within 2 seconds, and no response
    /// may be cut off: each either arrived whole or never started.
    @Test func shutsDownGracefullyUnderLoad() throws {
        let child = try KaptaMockProcess(["--port", "0", "--log-level", "warning"])
        let port = try #require(KaptaMockProcess.port(of: try child.readReadyLine()))
        let admin = try RawHTTPClient(port: port)
        let fault = #"{"match":{"path":"/v1/slow"},"action":{"delayMilliseconds":400}}"#
        try admin.send("POST /__admin/faults HTTP/1.1\r\nHost: x\r\nContent-Length: \(fault.utf8.count)\r\n\r\n\(fault)")
        #expect(try admin.readResponse().status == 201)

        let tally = Mutex(LoadTally())
        let group = DispatchGroup()
        // Dedicated threads, because the shared dispatch pool may start blocking work late.
        for connection in 0..<6 {
            group.enter()
            Thread {
                defer { group.leave() }
                let path = connection < 2 ? "/v1/slow" : "/v1/fast"
                let outcome = LoadClient.run(port: port, path: path, maxRequests: 10_000, seconds: 5)
                tally.withLock { $0.add(outcome) }
            }.start()
        }
        usleep(250_000)
        let signalled = Date()
        child.signal(SIGTERM)
        let status = child.waitForExit(timeoutMilliseconds: 5_000)
        let elapsed = Date().timeIntervalSince(signalled)
        group.wait()
        #expect(status == 0)
        #expect(elapsed < 2.0)
        let result = tally.withLock { $0 }
        #expect(result.truncated == 0)
        #expect(result.completedSlow >= 2)
        #expect(result.completed > 10)
    }
}

struct LoadTally {
    var completed = 0
    var completedSlow = 0
    var truncated = 0

    mutating func add(_ outcome: LoadClient.Outcome) {
        completed += outcome.completed
        completedSlow += outcome.completedSlow
        truncated += outcome.truncated
    }
}

/// One keep-alive connection sending GETs back to back until the server goes away.
enum LoadClient {
    struct Outcome {
        var completed = 0
        var completedSlow = 0
        /// Responses that started but ended before their last byte.
        var truncated = 0
    }

    static func run(port: Int, path: String, maxRequests: Int, seconds: Int) -> Outcome {
        var outcome = Outcome()
        guard let client = try? RawHTTPClient(port: port, timeoutSeconds: seconds) else {
            return outcome
        }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        for _ in 0..<maxRequests {
            guard (try? client.send(request)) != nil else {
                return outcome
            }
            switch readResponse(client.fd) {
            case .complete:
                outcome.completed += 1
                if path == "/v1/slow" {
                    outcome.completedSlow += 1
                }
            case .notStarted:
                return outcome
            case .truncated:
                outcome.truncated += 1
                return outcome
            }
        }
        return outcome
    }

    enum ReadResult {
        case complete, notStarted, truncated
    }

    /// Reads one response with a Content-Length body and classifies how it ended.
    static func readResponse(_ fd: Int32) -> ReadResult {
        var received: [UInt8] = []
        var expectedTotal: Int?
        var chunk = [UInt8](repeating: 0, count: 4096)
        while expectedTotal.map({ received.count < $0 }) ?? true {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else {
                return received.isEmpty ? .notStarted : .truncated
            }
            received.append(contentsOf: chunk[..<count])
            if expectedTotal == nil, let headEnd = headEnd(received) {
                let head = String(decoding: received[..<headEnd], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                expectedTotal = headEnd + 4 + length
            }
        }
        return received.count == expectedTotal ? .complete : .truncated
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else {
            return nil
        }
        return (0...(bytes.count - 4)).first { bytes[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }
    }
}

/// A TCP listener on 127.0.0.1 with a free port. It accepts nothing unless `trickle` is
/// called, but the kernel still completes connections into its backlog.
final class StubListener {
    struct SetupError: Error {
        var call: String
    }

    let fd: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw SetupError(call: "socket")
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 4) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw SetupError(call: "bind, listen or getsockname")
        }
        fd = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(fd)
    }

    /// Accepts one connection on a thread, reads the request, then sends `bytes` one at a
    /// time with a pause after each, until all are sent or the client goes away.
    func trickle(_ bytes: [UInt8], pauseMicroseconds: UInt32) {
        let listener = fd
        Thread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                return
            }
            defer { close(connection) }
            var request = [UInt8](repeating: 0, count: 4096)
            _ = recv(connection, &request, request.count, 0)
            for byte in bytes {
                var single = byte
                guard send(connection, &single, 1, Int32(MSG_NOSIGNAL)) == 1 else {
                    return
                }
                usleep(pauseMicroseconds)
            }
        }.start()
    }
}
