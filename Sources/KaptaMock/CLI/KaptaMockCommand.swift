import Glibc

/// The `kapta-mock` program: parses the command line, loads the configuration, runs the
/// server until SIGTERM or SIGINT, and returns the exit status.
///
/// The caller must block SIGTERM and SIGINT with `blockTerminationSignals()` before any
/// thread starts, so that every thread inherits the mask and the signals wait for
/// `sigwait` here instead of killing the process.
public enum KaptaMockCommand {
    public static let exitSuccess: Int32 = 0
    public static let exitFailure: Int32 = 1
    public static let exitUsage: Int32 = 2

    public static func main(arguments: [String], environment: (String) -> String? = Self.environmentVariable) -> Int32 {
        let command: Command
        do {
            command = try CommandLineParser.parse(arguments, environment: environment)
        } catch {
            printError("kapta-mock: \(error)\n\n\(CommandLineParser.usage)")
            return exitUsage
        }
        switch command {
        case .help:
            writeStandardOutput(CommandLineParser.usage + "\n")
            return exitSuccess
        case .version:
            writeStandardOutput("kapta-mock \(KaptaMockVersion.current)\n")
            return exitSuccess
        case .healthcheck(let url):
            let token = environment("KAPTA_MOCK_ADMIN_TOKEN").flatMap { $0.isEmpty ? nil : $0 }
            // The token goes into a header line, so CR LF in it would add header fields. The
            // server rejects such a token at startup with the same check.
            if let token, let problem = ConfigurationReader.adminTokenProblem(token) {
                printError("kapta-mock healthcheck: invalid KAPTA_MOCK_ADMIN_TOKEN: \(problem)\n")
                return exitUsage
            }
            return healthcheck(url: url ?? HealthCheck.defaultURL(environment: environment), token: token)
        case .run(let options):
            return run(options)
        }
    }

    public static func environmentVariable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Blocks SIGTERM and SIGINT in the calling thread; threads started later inherit it.
    public static func blockTerminationSignals() {
        var signals = terminationSignals
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    private static var terminationSignals: sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        return signals
    }

    private static func healthcheck(url: String, token: String?) -> Int32 {
        do {
            try HealthCheck.check(url: url, adminToken: token)
            return exitSuccess
        } catch {
            printError("kapta-mock healthcheck: \(error)\n")
            return exitFailure
        }
    }

    private static func run(_ options: CommandLineOptions) -> Int32 {
        var configuration: KaptaMockConfiguration
        do {
            if let path = options.configPath {
                configuration = try KaptaMockConfiguration.load(path: path)
            } else {
                configuration = .default
            }
        } catch {
            printError("kapta-mock: invalid configuration: \(error)\n")
            return exitUsage
        }
        options.apply(to: &configuration)

        let logger = Logger(level: configuration.logging.level, sink: LogSink(format: configuration.logging.format))
        logger.info("starting", [
            ("version", KaptaMockVersion.current),
            ("config", options.configPath ?? "built-in default"),
            ("errorDetail", String(configuration.fidelity.errorDetail)),
            ("iisHeaders", String(configuration.fidelity.iisHeaders)),
            ("adminToken", configuration.admin.token == nil ? "none" : "set"),
        ])

        if let portFile = options.portFile {
            // A file left by an earlier run would hand its stale URL to a waiting reader, and
            // a path that cannot be written should stop startup before anything listens.
            do {
                try FileWriter.prepareAtomicWrite(path: portFile)
            } catch {
                return reportPortFileFailure(path: portFile, error: error, logger: logger)
            }
        }

        let server = KaptaMockServer(configuration: configuration, logger: logger)
        do {
            try server.start()
        } catch {
            logger.error("cannot start the server", [("error", error.description)])
            return exitFailure
        }

        let readyLine = server.baseURL + "\n"
        if let portFile = options.portFile {
            do {
                try FileWriter.writeAtomically(path: portFile, contents: readyLine)
            } catch {
                server.stop()
                return reportPortFileFailure(path: portFile, error: error, logger: logger)
            }
        }
        writeStandardOutput(readyLine)

        let signal = waitForTerminationSignal()
        logger.info("shutting down", [("signal", signal == SIGINT ? "SIGINT" : "SIGTERM")])
        exitOnSecondSignal()
        server.stop()
        if let portFile = options.portFile {
            do {
                try FileWriter.remove(path: portFile, ifItContains: readyLine)
            } catch {
                logger.warning("cannot remove the port file", [("error", error.description)])
            }
        }
        return exitSuccess
    }

    /// Logs why the port file cannot be written and returns the exit status of an invalid
    /// option, the same whether the check before listening or the write after it failed.
    private static func reportPortFileFailure(path: String, error: FileError, logger: Logger) -> Int32 {
        logger.error("cannot write the port file", [("path", path), ("error", error.description)])
        return exitUsage
    }

    private static func waitForTerminationSignal() -> Int32 {
        var signals = terminationSignals
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        return received
    }

    /// Ends the process at once on a second SIGTERM or SIGINT during the graceful shutdown,
    /// as users expect when they press Ctrl-C twice.
    private static func exitOnSecondSignal() {
        _ = spawnThread(name: "kapta-signals") {
            _ = waitForTerminationSignal()
            _exit(130)
        }
    }

    /// Writes to stdout with write(2) and no buffering, so the ready line is out before
    /// the server's first response and never mixed with anything else.
    static func writeStandardOutput(_ text: String) {
        writeAll(text, to: 1)
    }

    static func printError(_ text: String) {
        writeAll(text, to: 2)
    }

    private static func writeAll(_ text: String, to fd: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR {
                continue
            }
            // The reader closed the pipe, so there is nowhere left to report the failure.
            guard written > 0 else {
                return
            }
            offset += written
        }
    }
}
