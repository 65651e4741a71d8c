/// Everything one kapta-mock server needs: transport settings, fidelity choices, the admin
/// API's settings, logging, and the seed data that `POST /__admin/reset` restores.
public struct KaptaMockConfiguration: Sendable {
    public var server = HTTPServerConfiguration()
    public var fidelity = FidelitySettings()
    public var admin = AdminSettings()
    public var logging = LoggingSettings()
    public var tenants: [Tenant] = []

    public init() {}

    /// The configuration built into the binary, identical to `Config/kapta-mock.json`.
    public static var `default`: KaptaMockConfiguration {
        do {
            return try parse(Array(DefaultConfiguration.json.utf8), source: "built-in default configuration")
        } catch {
            // A test parses the same text, so this can only fail if that test fails too.
            preconditionFailure("the built-in default configuration is invalid: \(error)")
        }
    }

    /// Reads and validates a configuration file.
    public static func load(path: String) throws(ConfigurationError) -> KaptaMockConfiguration {
        let bytes: [UInt8]
        do {
            bytes = try FileReader.readAll(path: path)
        } catch {
            throw ConfigurationError(source: path, location: nil, message: "cannot read the file: \(error)")
        }
        return try parse(bytes, source: path)
    }

    /// Parses and validates configuration text. `source` names it in error messages.
    public static func parse(_ bytes: [UInt8], source: String) throws(ConfigurationError) -> KaptaMockConfiguration {
        let root: JSONValue
        do {
            root = try StrictJSONParser.parse(bytes)
        } catch {
            throw ConfigurationError(source: source, syntaxError: error)
        }
        do {
            return try ConfigurationReader.configuration(from: ConfigNode(value: root, path: .root))
        } catch {
            throw ConfigurationError(source: source, location: error.path.description, message: error.message)
        }
    }
}

/// Settings of the `/__admin` API.
public struct AdminSettings: Sendable, Equatable {
    /// When set, every admin request needs `Authorization: Bearer <token>`.
    public var token: String?
    public var journal = JournalLimits()

    public init(token: String? = nil, journal: JournalLimits = JournalLimits()) {
        self.token = token
        self.journal = journal
    }
}

/// Bounds of the request journal. The oldest entries are evicted first when either is reached.
public struct JournalLimits: Sendable, Equatable {
    public var maxEntries = 1_000
    /// Approximate bytes of all entries together: the UTF-8 size of their text.
    public var maxBytes = 16 * 1024 * 1024

    public init(maxEntries: Int = 1_000, maxBytes: Int = 16 * 1024 * 1024) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }
}

public struct LoggingSettings: Sendable, Equatable {
    public var level: Logger.Level = .info
    public var format: Logger.Format = .text

    public init(level: Logger.Level = .info, format: Logger.Format = .text) {
        self.level = level
        self.format = format
    }
}

/// An invalid configuration: which file, where in it, and what is wrong and allowed there.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file path, or a name such as `built-in default configuration`.
    public var source: String
    /// `line 3, column 7` for syntax errors, else the JSON path (`$.tenants[0].users[2].scope`).
    public var location: String?
    public var message: String

    public init(source: String, location: String?, message: String) {
        self.source = source
        self.location = location
        self.message = message
    }

    init(source: String, syntaxError: JSONSyntaxError) {
        let location = "line \(syntaxError.line), column \(syntaxError.column) (\(syntaxError.path))"
        self.init(source: source, location: location, message: "invalid JSON: " + syntaxError.message)
    }

    public var description: String {
        guard let location else {
            return "\(source): \(message)"
        }
        return "\(source): \(location): \(message)"
    }
}
