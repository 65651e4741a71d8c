import Glibc
import Synchronization

/// Where log lines go: a file descriptor (stderr by default), written line by line or
/// buffered until `flush()`.
///
/// A sink is shared between threads. Buffered sinks belong to one event loop each, so the
/// lock is uncontended; it exists so a sink stays safe when a test logs from elsewhere.
public final class LogSink: Sendable {
    public let format: Logger.Format
    private let fileDescriptor: Int32
    private let isBuffered: Bool
    private let buffer = Mutex<[UInt8]>([])
    /// Flush a buffered sink early once this much text waits, so a busy loop iteration
    /// cannot grow the buffer without bound.
    private static let flushThreshold = 64 * 1024

    public static let standardError = LogSink(format: .text, fileDescriptor: 2)

    public init(format: Logger.Format, fileDescriptor: Int32 = 2, buffered: Bool = false) {
        self.format = format
        self.fileDescriptor = fileDescriptor
        self.isBuffered = buffered
    }

    /// A buffered sink writing to the same place in the same format.
    func bufferedCopy() -> LogSink {
        LogSink(format: format, fileDescriptor: fileDescriptor, buffered: true)
    }

    func write(level: Logger.Level, message: String, metadata: [(key: String, value: String)]) {
        guard fileDescriptor >= 0 else {
            return
        }
        let line = LogLineFormatter.line(format: format, level: level, message: message, metadata: metadata)
        guard isBuffered else {
            writeAll(Array(line.utf8))
            return
        }
        let pending: [UInt8]? = buffer.withLock { bytes in
            bytes.append(contentsOf: line.utf8)
            guard bytes.count >= Self.flushThreshold else {
                return nil
            }
            defer { bytes.removeAll(keepingCapacity: true) }
            return bytes
        }
        if let pending {
            writeAll(pending)
        }
    }

    /// Writes out what a buffered sink holds.
    func flush() {
        let pending: [UInt8] = buffer.withLock { bytes in
            defer { bytes.removeAll(keepingCapacity: true) }
            return bytes
        }
        if !pending.isEmpty {
            writeAll(pending)
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR {
                    continue
                }
                // A log line that cannot be written has nowhere else to go: drop it.
                guard written > 0 else {
                    return
                }
                offset += written
            }
        }
    }
}

/// Renders one event as a text line or as one JSON object per line.
enum LogLineFormatter {
    static func line(format: Logger.Format, level: Logger.Level, message: String,
                     metadata: [(key: String, value: String)]) -> String {
        let now = Clock.wallClock()
        let time = Clock.rfc3339(epochSeconds: now.seconds, nanoseconds: now.nanoseconds)
        switch format {
        case .text:
            var line = "\(time) \(level) \(message)"
            for (key, value) in metadata {
                line += " \(key)=\(quotedIfNeeded(value))"
            }
            return line + "\n"
        case .json:
            var line = "{\"time\":\"\(time)\",\"level\":\"\(level)\",\"message\":\(jsonString(message))"
            for (key, value) in metadata {
                line += ",\(jsonString(key)):\(jsonString(value))"
            }
            return line + "}\n"
        }
    }

    /// Quotes a text-format value that is empty or contains a space, a quote or `=`, so a
    /// line splits back into its fields.
    private static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.utf8.contains { $0 <= ASCII.space || $0 == ASCII.quote || $0 == ASCII.equals }
        return needsQuotes ? jsonString(value) : value
    }

    static func jsonString(_ value: String) -> String {
        JSONWriter.quoted(value)
    }
}
