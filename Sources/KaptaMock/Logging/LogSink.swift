import Glibc
import Synchronization

/// Where log lines go: a file descriptor (stderr by default), written line by line or
/// buffered until `flush()`.
///
/// A sink is shared between threads. Buffered sinks belong to one event loop each, so the
/// lock is uncontended; it exists so a sink stays safe when a test logs from elsewhere.
public final class LogSink: Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var timestamp = LogTimestamp()
    }

    public let format: Logger.Format
    private let fileDescriptor: Int32
    private let isBuffered: Bool
    private let state = Mutex(State())
    /// Flush a buffered sink early once this much text waits, so a busy loop iteration
    /// cannot grow the buffer without bound.
    private static let flushThreshold = 64 * 1024

    public static let standardError = LogSink(format: .text, fileDescriptor: 2)

    public init(format: Logger.Format, fileDescriptor: Int32 = 2, buffered: Bool = false) {
        self.format = format
        self.fileDescriptor = fileDescriptor
        self.isBuffered = buffered
    }

    /// Returns a buffered sink writing to the same place in the same format.
    func bufferedCopy() -> LogSink {
        LogSink(format: format, fileDescriptor: fileDescriptor, buffered: true)
    }

    /// Formats one line straight into the buffer; an unbuffered sink writes it at once.
    /// The logger's own metadata and the event's come as two arrays, so no combined array
    /// is built for every line.
    func write(level: Logger.Level, message: String, metadata: [(key: String, value: String)],
               extra: [(key: String, value: String)] = []) {
        guard fileDescriptor >= 0 else {
            return
        }
        let now = Clock.wallClock()
        let pending: [UInt8]? = state.withLock { state in
            LogLineFormatter.append(format: format, time: now, timestamp: &state.timestamp, level: level,
                                    message: message, metadata: metadata, extra: extra, to: &state.bytes)
            guard !isBuffered || state.bytes.count >= Self.flushThreshold else {
                return nil
            }
            defer { state.bytes.removeAll(keepingCapacity: true) }
            return state.bytes
        }
        if let pending {
            writeAll(pending)
        }
    }

    /// Writes out what a buffered sink holds.
    func flush() {
        let pending: [UInt8] = state.withLock { state in
            defer { state.bytes.removeAll(keepingCapacity: true) }
            return state.bytes
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

/// The RFC 3339 time of log lines. The part up to the seconds changes once a second, so it
/// is formatted once a second and only the milliseconds are added per line.
struct LogTimestamp {
    private var second = -1
    /// `2026-12-04T16:30:00.`
    private var prefix: [UInt8] = []

    mutating func append(_ now: (seconds: Int, nanoseconds: Int), to output: inout [UInt8]) {
        if now.seconds != second {
            second = now.seconds
            let full = Clock.rfc3339(epochSeconds: now.seconds, nanoseconds: 0)
            prefix = Array(full.utf8.dropLast(4))
        }
        let millis = now.nanoseconds / 1_000_000
        output.append(contentsOf: prefix)
        output.append(UInt8(truncatingIfNeeded: 0x30 + millis / 100))
        output.append(UInt8(truncatingIfNeeded: 0x30 + millis / 10 % 10))
        output.append(UInt8(truncatingIfNeeded: 0x30 + millis % 10))
        output.append(UInt8(ascii: "Z"))
    }
}

/// Renders one event as a text line or as one JSON object per line.
enum LogLineFormatter {
    static func append(format: Logger.Format, time: (seconds: Int, nanoseconds: Int), timestamp: inout LogTimestamp,
                       level: Logger.Level, message: String, metadata: [(key: String, value: String)],
                       extra: [(key: String, value: String)] = [], to output: inout [UInt8]) {
        switch format {
        case .text:
            timestamp.append(time, to: &output)
            output.append(ASCII.space)
            appendBytes(level.description, to: &output)
            output.append(ASCII.space)
            message.withUTF8Buffer { ControlEscaping.appendEscaped($0, escapesQuote: false, to: &output) }
            for (key, value) in metadata {
                appendTextMember(key, value, to: &output)
            }
            for (key, value) in extra {
                appendTextMember(key, value, to: &output)
            }
        case .json:
            output.append(contentsOf: #"{"time":""#.utf8)
            timestamp.append(time, to: &output)
            output.append(contentsOf: #"","level":""#.utf8)
            appendBytes(level.description, to: &output)
            output.append(contentsOf: #"","message":""#.utf8)
            JSONWriter.appendEscaped(message, to: &output)
            output.append(ASCII.quote)
            for (key, value) in metadata {
                appendJSONMember(key, value, to: &output)
            }
            for (key, value) in extra {
                appendJSONMember(key, value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(ASCII.lineFeed)
    }

    private static func appendBytes(_ text: String, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    private static func appendTextMember(_ key: String, _ value: String, to output: inout [UInt8]) {
        output.append(ASCII.space)
        appendBytes(key, to: &output)
        output.append(ASCII.equals)
        appendTextValue(capped(value), to: &output)
    }

    private static func appendJSONMember(_ key: String, _ value: String, to output: inout [UInt8]) {
        output.append(contentsOf: #",""#.utf8)
        JSONWriter.appendEscaped(key, to: &output)
        output.append(contentsOf: #"":""#.utf8)
        JSONWriter.appendEscaped(capped(value), to: &output)
        output.append(ASCII.quote)
    }

    /// Longest metadata value written in full. Values come from clients (a stage name, a
    /// reason quoting a body), and one huge line would bury the log.
    static let maxValueLength = 1_024

    /// `value`, or its first `maxValueLength` bytes, cut at a character boundary, with a
    /// note of how much was left out.
    static func capped(_ value: String) -> String {
        let utf8 = value.utf8
        guard utf8.count > maxValueLength else {
            return value
        }
        var end = utf8.index(utf8.startIndex, offsetBy: maxValueLength)
        while end > utf8.startIndex && UTF8.isContinuation(utf8[end]) {
            end = utf8.index(before: end)
        }
        let omitted = utf8.count - utf8.distance(from: utf8.startIndex, to: end)
        return String(value[..<end]) + "... (\(omitted) more bytes)"
    }

    /// Writes a text-format value, quoted when it is empty or contains a space, a control
    /// character (see `ControlEscaping`), a quote or `=`, so a line splits back into its fields.
    private static func appendTextValue(_ value: String, to output: inout [UInt8]) {
        value.withUTF8Buffer { bytes in
            let isPlain = !bytes.isEmpty && !ControlEscaping.containsControl(bytes)
                && !bytes.contains { $0 == ASCII.space || $0 == ASCII.quote || $0 == ASCII.equals }
            guard !isPlain else {
                output.append(contentsOf: bytes)
                return
            }
            output.append(ASCII.quote)
            ControlEscaping.appendEscaped(bytes, escapesQuote: true, to: &output)
            output.append(ASCII.quote)
        }
    }
}
