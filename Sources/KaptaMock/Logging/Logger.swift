import Synchronization

/// A small logger shaped like swift-log's: a level, metadata, one line per event.
///
/// Lines go to a `LogSink`. Event loop threads give their handlers a logger whose sink
/// buffers and is flushed once per loop iteration, so a request log line does not cost a
/// `write(2)` of its own.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool {
            lhs.rawValue < rhs.rawValue
        }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }

        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.description == name.lowercased() }) else {
                return nil
            }
            self = level
        }
    }

    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
    }

    public var level: Level
    public var metadata: [(key: String, value: String)]
    let sink: LogSink

    public init(level: Level = .info, sink: LogSink = .standardError) {
        self.level = level
        self.metadata = []
        self.sink = sink
    }

    /// A logger that drops every line, for servers embedded in tests that want silence.
    public static var disabled: Logger {
        Logger(level: .error, sink: LogSink(format: .text, fileDescriptor: -1))
    }

    /// A copy of this logger that writes through `sink` instead.
    func writing(to sink: LogSink) -> Logger {
        var copy = Logger(level: level, sink: sink)
        copy.metadata = metadata
        return copy
    }

    @inline(__always)
    public func isEnabled(_ candidate: Level) -> Bool {
        candidate >= level
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String,
                    _ extra: @autoclosure () -> [(key: String, value: String)] = []) {
        guard isEnabled(level) else {
            return
        }
        sink.write(level: level, message: message(), metadata: metadata, extra: extra())
    }

    public func trace(_ message: @autoclosure () -> String, _ extra: @autoclosure () -> [(key: String, value: String)] = []) {
        log(.trace, message(), extra())
    }

    public func debug(_ message: @autoclosure () -> String, _ extra: @autoclosure () -> [(key: String, value: String)] = []) {
        log(.debug, message(), extra())
    }

    public func info(_ message: @autoclosure () -> String, _ extra: @autoclosure () -> [(key: String, value: String)] = []) {
        log(.info, message(), extra())
    }

    public func warning(_ message: @autoclosure () -> String, _ extra: @autoclosure () -> [(key: String, value: String)] = []) {
        log(.warning, message(), extra())
    }

    public func error(_ message: @autoclosure () -> String, _ extra: @autoclosure () -> [(key: String, value: String)] = []) {
        log(.error, message(), extra())
    }
}
