import Foundation
import Glibc

/// The `kapta-mock` executable SwiftPM built beside this test bundle.
let kaptaMockExecutable: String = {
    var path = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &path, path.count - 1)
    if length > 0 {
        let bundle = String(decoding: path[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let sibling = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("kapta-mock").path
        if FileManager.default.isExecutableFile(atPath: sibling) {
            return sibling
        }
    }
    return packageRoot + "/.build/debug/kapta-mock"
}()

enum HarnessError: Error, CustomStringConvertible {
    case timedOut(String)

    var description: String {
        switch self {
        case .timedOut(let what): "timed out waiting for \(what)"
        }
    }
}

/// A `kapta-mock` child process with its stdout and stderr captured.
final class KaptaMockProcess {
    let process = Process()
    private let output = Pipe()
    /// Stderr goes to a file, not a pipe, so a chatty child never blocks on a full pipe.
    private let errorPath = NSTemporaryDirectory() + "kapta-mock-stderr-\(UUID().uuidString).log"
    private var stdoutBytes: [UInt8] = []

    /// Starts the binary with `arguments` and only `environment` plus PATH, so variables of
    /// the shell running the tests cannot change what a test checks.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: kaptaMockExecutable)
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { current, _ in current }
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: errorPath)
    }

    /// Reads stdout until its first line is complete and returns the line without newline.
    func readReadyLine(timeoutMilliseconds: Int = 10_000) throws -> String {
        let deadline = Date().addingTimeInterval(Double(timeoutMilliseconds) / 1_000)
        let fd = output.fileHandleForReading.fileDescriptor
        while !stdoutBytes.contains(UInt8(ascii: "\n")) {
            let remaining = Int(deadline.timeIntervalSinceNow * 1_000)
            guard remaining > 0 else {
                throw HarnessError.timedOut("the ready line; stderr: \(standardErrorText())")
            }
            var pollDescriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollDescriptor, 1, Int32(remaining)) > 0 else {
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(fd, &chunk, chunk.count)
            guard count > 0 else {
                throw HarnessError.timedOut("the ready line; stdout closed; stderr: \(standardErrorText())")
            }
            stdoutBytes.append(contentsOf: chunk[..<count])
        }
        let line = stdoutBytes.prefix { $0 != UInt8(ascii: "\n") }
        return String(decoding: line, as: UTF8.self)
    }

    /// Returns the port of a ready line such as `http://127.0.0.1:43123`.
    static func port(of url: String) -> Int? {
        url.split(separator: ":").last.flatMap { Int($0) }
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the exit and returns the status, or nil when the process is still running
    /// after the timeout.
    func waitForExit(timeoutMilliseconds: Int = 10_000) -> Int32? {
        let deadline = Date().addingTimeInterval(Double(timeoutMilliseconds) / 1_000)
        while process.isRunning {
            guard Date() < deadline else {
                return nil
            }
            usleep(2_000)
        }
        return process.terminationStatus
    }

    /// Returns all of stdout; call it once the process has exited.
    func standardOutputText() -> String {
        stdoutBytes += Array(output.fileHandleForReading.readDataToEndOfFile())
        return String(decoding: stdoutBytes, as: UTF8.self)
    }

    /// Everything written to stderr so far.
    func standardErrorText() -> String {
        (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    }
}

/// Runs the binary to completion and returns its exit status, stdout and stderr.
func runKaptaMock(_ arguments: [String], environment: [String: String] = [:]) throws
    -> (status: Int32, stdout: String, stderr: String)
{
    let child = try KaptaMockProcess(arguments, environment: environment)
    guard let status = child.waitForExit() else {
        throw HarnessError.timedOut("kapta-mock \(arguments.joined(separator: " ")) to exit")
    }
    return (status, child.standardOutputText(), child.standardErrorText())
}
