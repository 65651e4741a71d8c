import Glibc

/// A failed file system call, with the call, the path and the C library's message, or a
/// problem found with the file itself.
struct FileError: Error, Sendable, CustomStringConvertible {
    var call: String
    var path: String
    var code: Int32
    /// The reason a file cannot be used although the call succeeded, such as a size limit. It
    /// replaces the C library's message, which would read like a file system failure.
    var problem: String?

    init(call: String, path: String, code: Int32) {
        (self.call, self.path, self.code) = (call, path, code)
    }

    init(call: String, path: String, problem: String) {
        (self.call, self.path, self.code, self.problem) = (call, path, 0, problem)
    }

    var description: String {
        if let problem {
            return "\(path) \(problem)"
        }
        return "\(call) \(path) failed: \(String(cString: strerror(code)))"
    }
}

/// Whole-file reads and writes without Foundation, which the library does not import.
enum FileReader {
    /// Refuse files larger than this: a configuration file is a few kilobytes, and a path
    /// pointing at a device or a huge log by mistake should fail fast.
    static let maxFileSize = 64 * 1024 * 1024

    static func readAll(path: String) throws(FileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FileError(call: "open", path: path, code: errno)
        }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR {
                continue
            }
            guard count >= 0 else {
                throw FileError(call: "read", path: path, code: errno)
            }
            guard count > 0 else {
                return contents
            }
            contents.append(contentsOf: chunk[0..<count])
            guard contents.count <= maxFileSize else {
                let limit = "\(maxFileSize / (1024 * 1024)) MiB"
                throw FileError(call: "read", path: path,
                                problem: "is larger than \(limit), the largest configuration file accepted")
            }
        }
    }
}

enum FileWriter {
    /// Writes `contents` to a temporary file beside `path` and renames it over `path`, so a
    /// reader sees either no file or the whole text, never part of it (rename(2) is atomic).
    static func writeAtomically(path: String, contents: String) throws(FileError) {
        let (descriptor, temporaryPath) = try createTemporaryFile(beside: path)
        let bytes = Array(contents.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR {
                continue
            }
            guard written > 0 else {
                let code = errno
                close(descriptor)
                unlink(temporaryPath)
                throw FileError(call: "write", path: temporaryPath, code: code)
            }
            offset += written
        }
        close(descriptor)
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw FileError(call: "rename", path: path, code: code)
        }
    }

    /// Removes a regular file left at `path` by an earlier run, then creates and removes the
    /// temporary file `writeAtomically(path:contents:)` would use. A missing or read-only
    /// directory thus fails here, before the caller starts anything, rather than after.
    /// Anything else at `path` (a directory, a device such as `/dev/null`, a symbolic link) is
    /// rejected, because the rename would replace it and a later removal would delete it.
    static func prepareAtomicWrite(path: String) throws(FileError) {
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFREG else {
                throw FileError(call: "lstat", path: path, problem: "exists and is not a regular file")
            }
        }
        try remove(path: path)
        let (descriptor, temporaryPath) = try createTemporaryFile(beside: path)
        close(descriptor)
        try remove(path: temporaryPath)
    }

    /// Opens `.kapta-mock-PID.tmp` in the folder of `path` for writing, empty, and returns its
    /// descriptor and path. The name does not grow with `path`, so a file name near the
    /// 255-byte limit still has room for its temporary file.
    private static func createTemporaryFile(beside path: String) throws(FileError)
        -> (descriptor: Int32, path: String)
    {
        let folder = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let temporaryPath = "\(folder).kapta-mock-\(getpid()).tmp"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw FileError(call: "open", path: temporaryPath, code: errno)
        }
        return (descriptor, temporaryPath)
    }

    /// Removes the file at `path` if it is still a regular file with exactly `contents`, so a
    /// file that someone else put there meanwhile survives. Comparing device and inode would
    /// not do, because a new file often gets the inode number of the one just deleted.
    static func remove(path: String, ifItContains contents: String) throws(FileError) {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
              status.st_size == contents.utf8.count,
              (try? FileReader.readAll(path: path)) == Array(contents.utf8) else {
            return
        }
        try remove(path: path)
    }

    /// Removes a file. A file that does not exist is not an error.
    static func remove(path: String) throws(FileError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw FileError(call: "unlink", path: path, code: errno)
        }
    }
}
