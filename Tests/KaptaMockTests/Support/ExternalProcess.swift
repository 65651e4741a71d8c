import Foundation
import Glibc
@testable import KaptaMock

/// What a finished command left behind.
struct ProcessOutput {
    var exitCode: Int32
    var standardOutput: [UInt8]
    var standardError: String

    var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
}

enum ExternalProcessError: Error, CustomStringConvertible {
    case launchFailed(String, Int32)
    case timedOut(String)
    case fileFailed(String, Int32)

    var description: String {
        switch self {
        case .launchFailed(let command, let code): "could not start \(command): \(String(cString: strerror(code)))"
        case .timedOut(let command): "\(command) did not finish in time and was killed"
        case .fileFailed(let path, let code): "could not open \(path): \(String(cString: strerror(code)))"
        }
    }
}

/// A child process started with `posix_spawnp`.
///
/// Foundation's `Process` is not used because its `run()` reads past a buffer while it
/// lists /proc/self/fd (AddressSanitizer reports a heap-buffer-overflow in
/// `findMaximumOpenFromProcSelfFD` with Swift 6.3.1), which would stop sanitizer runs.
final class ChildProcess {
    let command: String
    private let pid: pid_t
    private var exitCode: Int32?

    /// Starts `command`, looked up in PATH, with the test process's environment and
    /// `standardOutput` and `standardError` as its descriptors 1 and 2.
    init(_ command: String, _ arguments: [String], standardOutput: Int32, standardError: Int32) throws {
        self.command = command
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        posix_spawn_file_actions_adddup2(&actions, standardError, 2)
        let argv = ([command] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawnp(&child, command, &actions, nil, argv, environ)
        guard result == 0 else {
            throw ExternalProcessError.launchFailed(command, result)
        }
        pid = child
    }

    deinit {
        if exitCode == nil {
            kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
        }
    }

    /// Waits for the process to exit and returns its exit code; after the timeout, kills
    /// it and throws `timedOut`.
    func wait(timeoutSeconds: Double) throws -> Int32 {
        if let exitCode {
            return exitCode
        }
        let deadline = Clock.monotonicNanoseconds() + UInt64(timeoutSeconds * 1_000_000_000)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard Clock.monotonicNanoseconds() < deadline else {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                exitCode = -1
                throw ExternalProcessError.timedOut(command)
            }
            usleep(5_000)
        }
        // WIFEXITED and WEXITSTATUS are macros Swift does not import: the low 7 bits hold
        // the terminating signal (0 for a normal exit) and bits 8 to 15 the exit code.
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        exitCode = code
        return code
    }
}

/// Runs client tools (curl, nghttp, h2load, python3) against servers the tests started.
/// Output goes to temporary files, so a chatty tool cannot block on a full pipe.
enum ExternalProcess {
    /// Runs `command` (looked up in PATH) and waits for it, at most `timeoutSeconds`.
    static func run(_ command: String, _ arguments: [String], timeoutSeconds: Double = 30) throws -> ProcessOutput {
        let directory = try TemporaryDirectory()
        let outputPath = directory.path("stdout")
        let errorPath = directory.path("stderr")
        let outputFile = try openForWriting(outputPath)
        defer { close(outputFile) }
        let errorFile = try openForWriting(errorPath)
        defer { close(errorFile) }
        let process = try ChildProcess(command, arguments, standardOutput: outputFile, standardError: errorFile)
        let exitCode = try process.wait(timeoutSeconds: timeoutSeconds)
        return ProcessOutput(exitCode: exitCode, standardOutput: try readFile(outputPath),
                             standardError: String(decoding: try readFile(errorPath), as: UTF8.self))
    }

    static func openForWriting(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ExternalProcessError.fileFailed(path, errno)
        }
        return fd
    }
}

/// Returns the whole content of the file at `path`.
func readFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        throw ExternalProcessError.fileFailed(path, errno)
    }
    defer { close(fd) }
    return readAll(from: fd)
}

/// Reads from `fd` until end of file.
func readAll(from fd: Int32) -> [UInt8] {
    var content: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = read(fd, &chunk, chunk.count)
        if count < 0 && errno == EINTR {
            continue
        }
        guard count > 0 else {
            return content
        }
        content.append(contentsOf: chunk[..<count])
    }
}

/// A directory under /tmp, removed with its files when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        var template = Array("/tmp/kapta-tests-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw ExternalProcessError.fileFailed("/tmp/kapta-tests-XXXXXX", errno)
        }
        url = URL(fileURLWithPath: String(cString: created))
    }

    deinit {
        // A leftover directory under /tmp is harmless and must not fail a test.
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of a file called `name` in the directory.
    func path(_ name: String) -> String {
        url.path + "/" + name
    }

    /// Writes `bytes` to a file called `name` in the directory and returns its path.
    func write(_ bytes: [UInt8], named name: String) throws -> String {
        let filePath = path(name)
        let fd = try ExternalProcess.openForWriting(filePath)
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else {
                throw ExternalProcessError.fileFailed(filePath, errno)
            }
            offset += written
        }
        return filePath
    }
}
