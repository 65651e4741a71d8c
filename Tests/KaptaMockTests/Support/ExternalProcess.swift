import Foundation

/// What a finished command left behind.
struct ProcessOutput {
    var exitCode: Int32
    var standardOutput: [UInt8]
    var standardError: String

    var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
}

enum ExternalProcessError: Error, CustomStringConvertible {
    case launchFailed(String, String)
    case timedOut(String)

    var description: String {
        switch self {
        case .launchFailed(let command, let reason): "could not start \(command): \(reason)"
        case .timedOut(let command): "\(command) did not finish in time"
        }
    }
}

/// Runs client tools (curl, nghttp, h2load, python3) against servers the tests started.
/// Output goes to temporary files, so a chatty tool cannot block on a full pipe.
enum ExternalProcess {
    /// Runs `command` (looked up in PATH) and waits for it, at most `timeoutSeconds`.
    static func run(_ command: String, _ arguments: [String], timeoutSeconds: Double = 30) throws -> ProcessOutput {
        let directory = try TemporaryDirectory()
        let outputURL = directory.url.appendingPathComponent("stdout")
        let errorURL = directory.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        do {
            try process.run()
        } catch {
            throw ExternalProcessError.launchFailed(command, "\(error)")
        }
        guard wait(for: process, timeoutSeconds: timeoutSeconds) else {
            throw ExternalProcessError.timedOut(command)
        }
        // The files were created above; a tool that wrote nothing leaves them empty.
        let output = (try? Data(contentsOf: outputURL)) ?? Data()
        let errorOutput = (try? Data(contentsOf: errorURL)) ?? Data()
        return ProcessOutput(exitCode: process.terminationStatus, standardOutput: [UInt8](output),
                             standardError: String(decoding: errorOutput, as: UTF8.self))
    }

    /// Waits for `process` to exit; after the timeout, terminates it and returns false.
    static func wait(for process: Process, timeoutSeconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                return false
            }
            usleep(5_000)
        }
        return true
    }
}

/// A directory under the system temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kapta-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        // A leftover directory under /tmp is harmless and must not fail a test.
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to a file called `name` in the directory and returns its path.
    func write(_ bytes: [UInt8], named name: String) throws -> String {
        let fileURL = url.appendingPathComponent(name)
        try Data(bytes).write(to: fileURL)
        return fileURL.path
    }
}
