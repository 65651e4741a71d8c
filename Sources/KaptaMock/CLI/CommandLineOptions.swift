/// The action the command line requests, after options and environment variables are combined.
public enum Command: Sendable, Equatable {
    case run(CommandLineOptions)
    case healthcheck(url: String?)
    case help
    case version
}

/// Options of `kapta-mock` that override the configuration. A nil member leaves the
/// configuration's value. An option beats its environment variable, which beats the file.
public struct CommandLineOptions: Sendable, Equatable {
    public var host: String?
    public var port: Int?
    public var configPath: String?
    public var portFile: String?
    public var logLevel: Logger.Level?
    public var logFormat: Logger.Format?
    public var errorDetail = false
    /// `fidelity.iisHeaders`: false from `--no-iis-headers`, or either value from
    /// `KAPTA_MOCK_IIS_HEADERS`.
    public var iisHeaders: Bool?
    public var adminToken: String?

    public init() {}

    /// Applies the overrides to a loaded configuration.
    public func apply(to configuration: inout KaptaMockConfiguration) {
        if let host {
            configuration.server.host = host
        }
        if let port {
            configuration.server.port = port
        }
        if let logLevel {
            configuration.logging.level = logLevel
        }
        if let logFormat {
            configuration.logging.format = logFormat
        }
        if errorDetail {
            configuration.fidelity.errorDetail = true
        }
        if let iisHeaders {
            configuration.fidelity.iisHeaders = iisHeaders
        }
        if let adminToken {
            configuration.admin.token = adminToken
        }
    }
}

/// An invalid command line or environment variable; the CLI prints it with the usage.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public var description: String { message }
}

public enum CommandLineParser {
    /// Parses the arguments after the program name. `environment` looks up a variable.
    public static func parse(_ arguments: [String], environment: (String) -> String?) throws(UsageError) -> Command {
        if arguments.first == "healthcheck" {
            return try parseHealthcheck(Array(arguments.dropFirst()))
        }
        var options = CommandLineOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(UsageError) -> String {
                if let inlineValue {
                    return inlineValue
                }
                guard let next = remaining.popFirst() else {
                    throw UsageError(message: "option \(name) requires a value")
                }
                return next
            }
            func rejectValue() throws(UsageError) {
                guard inlineValue == nil else {
                    throw UsageError(message: "option \(name) takes no value")
                }
            }
            switch name {
            case "-h", "--help":
                return .help
            case "--version":
                return .version
            case "--host":
                options.host = try host(try value(), source: "--host")
            case "--port":
                options.port = try port(try value(), source: "--port")
            case "--config":
                options.configPath = try nonEmpty(try value(), source: "--config")
            case "--port-file":
                options.portFile = try nonEmpty(try value(), source: "--port-file")
            case "--log-level":
                options.logLevel = try logLevel(try value())
            case "--log-format":
                options.logFormat = try logFormat(try value())
            case "--admin-token":
                options.adminToken = try adminToken(try value(), source: "--admin-token")
            case "--error-detail":
                try rejectValue()
                options.errorDetail = true
            case "--no-iis-headers":
                try rejectValue()
                options.iisHeaders = false
            default:
                throw UsageError(message: argument.hasPrefix("-") ? "unknown option \(argument)"
                    : "unexpected argument \(argument)")
            }
        }
        try applyEnvironment(environment, to: &options)
        return .run(options)
    }

    private static func applyEnvironment(_ environment: (String) -> String?, to options: inout CommandLineOptions)
        throws(UsageError)
    {
        if options.host == nil, let value = environment("KAPTA_MOCK_HOST"), !value.isEmpty {
            options.host = try host(value, source: "KAPTA_MOCK_HOST")
        }
        if options.port == nil, let value = environment("KAPTA_MOCK_PORT"), !value.isEmpty {
            options.port = try port(value, source: "KAPTA_MOCK_PORT")
        }
        if options.configPath == nil, let value = environment("KAPTA_MOCK_CONFIG"), !value.isEmpty {
            options.configPath = value
        }
        if options.adminToken == nil, let value = environment("KAPTA_MOCK_ADMIN_TOKEN"), !value.isEmpty {
            options.adminToken = try adminToken(value, source: "KAPTA_MOCK_ADMIN_TOKEN")
        }
        if options.iisHeaders == nil, let value = environment("KAPTA_MOCK_IIS_HEADERS"), !value.isEmpty {
            options.iisHeaders = try boolean(value, source: "KAPTA_MOCK_IIS_HEADERS")
        }
    }

    private static func parseHealthcheck(_ arguments: [String]) throws(UsageError) -> Command {
        guard arguments.count <= 1 else {
            throw UsageError(message: "healthcheck takes at most one argument, the URL")
        }
        guard let url = arguments.first else {
            return .healthcheck(url: nil)
        }
        if url == "-h" || url == "--help" {
            return .help
        }
        do {
            _ = try HealthCheck.parse(url)
        } catch {
            throw UsageError(message: "invalid healthcheck URL \(ControlEscaping.escaped(url)); "
                                 + "expected \(HealthCheck.urlForm)")
        }
        return .healthcheck(url: url)
    }

    private static func host(_ value: String, source: String) throws(UsageError) -> String {
        guard let problem = ConfigurationReader.hostProblem(value) else {
            return value
        }
        // A value with a control character is not repeated, so it cannot garble the terminal.
        let subject = value.containsControlCharacter ? "\(source) value" : "\(source) value '\(value)'"
        throw UsageError(message: "invalid \(subject); \(problem)")
    }

    private static func port(_ value: String, source: String) throws(UsageError) -> Int {
        guard let port = Int(value), (0...65_535).contains(port) else {
            throw UsageError(message: "invalid \(source) value '\(ControlEscaping.escaped(value))'; expected a port from 0 to 65535 "
                + "(0 picks a free port)")
        }
        return port
    }

    /// Reads `true` or `false`, the spelling of the configuration file.
    private static func boolean(_ value: String, source: String) throws(UsageError) -> Bool {
        switch value {
        case "true":
            return true
        case "false":
            return false
        default:
            throw UsageError(message: "invalid \(source) value '\(ControlEscaping.escaped(value))'; expected true or false")
        }
    }

    private static func nonEmpty(_ value: String, source: String) throws(UsageError) -> String {
        guard !value.isEmpty else {
            throw UsageError(message: "\(source) requires a file path")
        }
        return value
    }

    private static func logLevel(_ value: String) throws(UsageError) -> Logger.Level {
        guard let level = Logger.Level.allCases.first(where: { $0.description == value }) else {
            let names = Logger.Level.allCases.map(\.description).joined(separator: ", ")
            throw UsageError(message: "invalid --log-level value '\(ControlEscaping.escaped(value))'; expected one of \(names)")
        }
        return level
    }

    private static func logFormat(_ value: String) throws(UsageError) -> Logger.Format {
        guard let format = Logger.Format(rawValue: value) else {
            throw UsageError(message: "invalid --log-format value '\(ControlEscaping.escaped(value))'; expected text or json")
        }
        return format
    }

    private static func adminToken(_ value: String, source: String) throws(UsageError) -> String {
        if let problem = ConfigurationReader.adminTokenProblem(value) {
            throw UsageError(message: "invalid \(source): \(problem)")
        }
        return value
    }

    /// The text of `--help`: every option with its unit and default.
    public static let usage = """
        Usage: kapta-mock [options]
               kapta-mock healthcheck [URL]

        A fake of the Kapta CRM REST API for tests. Once listening it prints its base URL
        (such as http://127.0.0.1:8080) as the only line on stdout; logs go to stderr.

        Options (an option overrides its environment variable, which overrides the file):
          --host ADDRESS      Address to listen on: an IPv4 or IPv6 address or localhost.
                              Default: server.host of the configuration, 127.0.0.1.
                              Environment: KAPTA_MOCK_HOST.
          --port PORT         TCP port to listen on, 0 to 65535; 0 picks a free port.
                              Default: server.port of the configuration, 8080.
                              Environment: KAPTA_MOCK_PORT.
          --config FILE       JSON configuration file with server settings and seed data.
                              Default: the built-in copy of Config/kapta-mock.json.
                              Environment: KAPTA_MOCK_CONFIG.
          --port-file FILE    Also write the base URL and a newline to FILE once listening.
                              The file is replaced atomically and, unless changed since,
                              removed on shutdown. Its folder must exist and be writable,
                              and FILE must be missing or a regular file, else nothing
                              starts.
                              Default: none.
          --log-level LEVEL   trace, debug, info, warning or error. Default: info.
          --log-format FORMAT text (one line per event) or json (one object per line).
                              Default: text.
          --error-detail      Show deserializer messages in 400 bodies, as ASP.NET does with
                              IncludeErrorDetail on. Default: off.
          --no-iis-headers    Leave out Server: Microsoft-IIS/10.0, X-AspNet-Version and
                              X-Powered-By (fidelity.iisHeaders false). Default: sent, or
                              fidelity.iisHeaders of the configuration. Environment:
                              KAPTA_MOCK_IIS_HEADERS=true or false.
          --admin-token TOKEN Require "Authorization: Bearer TOKEN" on /__admin requests.
                              Default: none. Environment: KAPTA_MOCK_ADMIN_TOKEN, which is
                              safer because other users can see command lines.
          --version           Print the version and exit.
          -h, --help          Print this help and exit.

        healthcheck [URL]     Send GET /__admin/health to the server at URL, such as
                              http://127.0.0.1:8080 or http://127.0.0.1:8080/; a URL with
                              another path gets that path instead. Connecting, sending and
                              receiving the status line share one deadline of 2 seconds.
                              Default URL: http://127.0.0.1:8080, with host and port from
                              KAPTA_MOCK_HOST and KAPTA_MOCK_PORT when set (0.0.0.0 and ::
                              become 127.0.0.1 and ::1). Sends KAPTA_MOCK_ADMIN_TOKEN as the
                              admin token when it is set. Exit status: 0 when the status is
                              200; 1 for any other status, a failed connection or the
                              deadline; 2 for an invalid URL.

        Exit status: 0 after SIGTERM or SIGINT (requests in flight finish first), 1 when the
        server cannot start, 2 for an invalid option or configuration, including a port file
        that cannot be written.
        """
}
