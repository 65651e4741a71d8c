import Testing
@testable import KaptaMock

@Suite struct CommandLineParserTests {
    private func parse(_ arguments: [String], environment: [String: String] = [:]) throws -> Command {
        try CommandLineParser.parse(arguments, environment: { environment[$0] })
    }

    private func usageError(_ arguments: [String], environment: [String: String] = [:]) -> String? {
        do {
            _ = try parse(arguments, environment: environment)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func parsesEveryOption() throws {
        let command = try parse(["--host", "::1", "--port=0", "--config", "c.json", "--port-file", "p.txt",
                                 "--log-level", "debug", "--log-format", "json", "--error-detail", "--no-iis-headers",
                                 "--admin-token", "t0k"])
        var expected = CommandLineOptions()
        expected.host = "::1"
        expected.port = 0
        expected.configPath = "c.json"
        expected.portFile = "p.txt"
        expected.logLevel = .debug
        expected.logFormat = .json
        expected.errorDetail = true
        expected.iisHeaders = false
        expected.adminToken = "t0k"
        #expect(command == .run(expected))
    }

    @Test func fallsBackToEnvironment() throws {
        let environment = ["KAPTA_MOCK_HOST": "0.0.0.0", "KAPTA_MOCK_PORT": "9000", "KAPTA_MOCK_CONFIG": "/c.json",
                           "KAPTA_MOCK_ADMIN_TOKEN": "env-token", "KAPTA_MOCK_IIS_HEADERS": "false"]
        guard case .run(let options) = try parse([], environment: environment) else {
            Issue.record("expected a run command")
            return
        }
        #expect(options.host == "0.0.0.0")
        #expect(options.port == 9000)
        #expect(options.configPath == "/c.json")
        #expect(options.adminToken == "env-token")
        #expect(options.iisHeaders == false)
    }

    /// `--no-iis-headers` beats `KAPTA_MOCK_IIS_HEADERS`, which beats the file and can turn
    /// the headers on as well as off.
    @Test func readsIISHeadersSwitch() throws {
        #expect(try parse([]) == .run(CommandLineOptions()))
        let turnedOn = ["KAPTA_MOCK_IIS_HEADERS": "true"]
        guard case .run(let fromEnvironment) = try parse([], environment: turnedOn),
              case .run(let fromOption) = try parse(["--no-iis-headers"], environment: turnedOn)
        else {
            Issue.record("expected run commands")
            return
        }
        #expect(fromEnvironment.iisHeaders == true)
        #expect(fromOption.iisHeaders == false)

        var configuration = KaptaMockConfiguration.default
        #expect(configuration.fidelity.iisHeaders)
        fromOption.apply(to: &configuration)
        #expect(configuration.fidelity.iisHeaders == false)
        fromEnvironment.apply(to: &configuration)
        #expect(configuration.fidelity.iisHeaders)
    }

    @Test func optionBeatsEnvironment() throws {
        guard case .run(let options) = try parse(["--port", "1"], environment: ["KAPTA_MOCK_PORT": "2"]) else {
            Issue.record("expected a run command")
            return
        }
        #expect(options.port == 1)
    }

    @Test(arguments: [
        (["--verbose"], "unknown option --verbose"),
        (["serve"], "unexpected argument serve"),
        (["--port"], "option --port requires a value"),
        (["--port", "65536"], "invalid --port value '65536'; expected a port from 0 to 65535 (0 picks a free port)"),
        (["--port", "http"], "invalid --port value 'http'; expected a port from 0 to 65535 (0 picks a free port)"),
        (["--host", "example.com"], "invalid --host value 'example.com'; expected an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1, or localhost"),
        (["--host", "127.0.0.1\u{1}"], "invalid --host value; it contains a control character"),
        (["--host", "127.0.0.1\n"], "invalid --host value; it contains a control character"),
        (["--log-level", "loud"], "invalid --log-level value 'loud'; expected one of trace, debug, info, warning, error"),
        (["--log-format", "xml"], "invalid --log-format value 'xml'; expected text or json"),
        (["--log-format", "xml\u{7F}\u{85}\r"], "invalid --log-format value 'xml\\u007f\\u0085\\r'; expected text or json"),
        (["--error-detail=yes"], "option --error-detail takes no value"),
        (["--no-iis-headers=true"], "option --no-iis-headers takes no value"),
        (["--admin-token", "a b"], "invalid --admin-token: the admin token may contain only visible ASCII characters, without spaces"),
        (["--config", ""], "--config requires a file path"),
        (["healthcheck", "a", "b"], "healthcheck takes at most one argument, the URL"),
        (["healthcheck", "https://x"], "invalid healthcheck URL https://x; expected \(HealthCheck.urlForm)"),
        (["healthcheck", "http://127.0.0.1:99999"], "invalid healthcheck URL http://127.0.0.1:99999; expected \(HealthCheck.urlForm)"),
        (["healthcheck", "http://example.com:80/"], "invalid healthcheck URL http://example.com:80/; expected \(HealthCheck.urlForm)"),
        (["healthcheck", "http://127.0.0.1:1/x HTTP/1.1\r\nHost: evil"],
         "invalid healthcheck URL http://127.0.0.1:1/x HTTP/1.1\\r\\nHost: evil; expected \(HealthCheck.urlForm)"),
    ])
    func rejectsInvalidArguments(arguments: [String], expected: String) {
        #expect(usageError(arguments) == expected)
    }

    @Test func rejectsInvalidEnvironmentPort() {
        #expect(usageError([], environment: ["KAPTA_MOCK_PORT": "abc"])
            == "invalid KAPTA_MOCK_PORT value 'abc'; expected a port from 0 to 65535 (0 picks a free port)")
    }

    @Test func rejectsInvalidEnvironmentIISHeaders() {
        #expect(usageError([], environment: ["KAPTA_MOCK_IIS_HEADERS": "no"])
            == "invalid KAPTA_MOCK_IIS_HEADERS value 'no'; expected true or false")
    }

    @Test func rejectsControlCharacterInEnvironmentHost() {
        #expect(usageError([], environment: ["KAPTA_MOCK_HOST": "127.0.0.1\r"])
            == "invalid KAPTA_MOCK_HOST value; it contains a control character")
    }

    @Test func emptyEnvironmentVariablesCountAsUnset() throws {
        let names = ["KAPTA_MOCK_HOST", "KAPTA_MOCK_PORT", "KAPTA_MOCK_CONFIG", "KAPTA_MOCK_ADMIN_TOKEN",
                     "KAPTA_MOCK_IIS_HEADERS"]
        let empty = Dictionary(uniqueKeysWithValues: names.map { ($0, "") })
        #expect(try parse([], environment: empty) == .run(CommandLineOptions()))
        #expect(HealthCheck.defaultURL(environment: { empty[$0] }) == "http://127.0.0.1:8080")
    }

    @Test func parsesHelpVersionAndHealthcheck() throws {
        #expect(try parse(["--help"]) == .help)
        #expect(try parse(["-h"]) == .help)
        #expect(try parse(["--version"]) == .version)
        #expect(try parse(["healthcheck"]) == .healthcheck(url: nil))
        #expect(try parse(["healthcheck", "http://127.0.0.1:1"]) == .healthcheck(url: "http://127.0.0.1:1"))
    }

    @Test(arguments: ["--host", "--port", "--config", "--port-file", "--log-level", "--log-format", "--error-detail",
                      "--no-iis-headers", "--admin-token", "--version", "--help", "healthcheck", "KAPTA_MOCK_HOST",
                      "KAPTA_MOCK_PORT", "KAPTA_MOCK_CONFIG", "KAPTA_MOCK_ADMIN_TOKEN", "KAPTA_MOCK_IIS_HEADERS"])
    func usageMentions(option: String) {
        #expect(CommandLineParser.usage.contains(option))
    }

    @Test func appliesOverrides() {
        var options = CommandLineOptions()
        options.port = 0
        options.errorDetail = true
        options.logFormat = .json
        var configuration = KaptaMockConfiguration.default
        options.apply(to: &configuration)
        #expect(configuration.server.port == 0)
        #expect(configuration.server.host == "127.0.0.1")
        #expect(configuration.fidelity.errorDetail)
        #expect(configuration.logging.format == .json)
    }
}

@Suite struct HealthCheckURLTests {
    @Test(arguments: [
        ("http://127.0.0.1:8080", "127.0.0.1", 8080, "/__admin/health"),
        ("http://[::1]:9/", "::1", 9, "/__admin/health"),
        ("http://localhost:81/custom", "localhost", 81, "/custom"),
        ("http://127.0.0.1", "127.0.0.1", 80, "/__admin/health"),
        ("http://127.0.0.1:8080/__admin/health", "127.0.0.1", 8080, "/__admin/health"),
        ("HTTP://127.0.0.1:8080", "127.0.0.1", 8080, "/__admin/health"),
        ("Http://127.0.0.1:8080/x", "127.0.0.1", 8080, "/x"),
        ("http://127.0.0.1:8080?verbose=1", "127.0.0.1", 8080, "/__admin/health?verbose=1"),
        ("http://127.0.0.1:8080/x?a=%20#top", "127.0.0.1", 8080, "/x?a=%20"),
    ])
    func parsesURL(url: String, host: String, port: Int, path: String) throws {
        let parsed = try HealthCheck.parse(url)
        #expect(parsed.host == host)
        #expect(parsed.port == port)
        #expect(parsed.path == path)
    }

    @Test(arguments: ["http://127.0.0.1:8080/x y", "http://127.0.0.1:8080/x\r\nHost: evil", "http://127.0.0.1:8080/\t",
                      "http://127.0.0.1:8080/\u{7F}", "http://127.0.0.1:8080/\u{85}", "http://127.0.0.1:8080/é",
                      "http://127.0.0.1:8080/<x>", "http://127.0.0.1:8080/\"", "http://127.0.0.1:8080\r\n",
                      "http://[127.0.0.1]:8080", "http://127.0.0.1:+8080", "http://127.0.0.1:-1"])
    func invalidURLRejected(url: String) {
        #expect(throws: HealthCheck.Failure.self) {
            try HealthCheck.parse(url)
        }
    }

    @Test func defaultURLUsesLoopbackForWildcard() {
        #expect(HealthCheck.defaultURL(environment: { ["KAPTA_MOCK_HOST": "0.0.0.0", "KAPTA_MOCK_PORT": "9"][$0] })
            == "http://127.0.0.1:9")
        #expect(HealthCheck.defaultURL(environment: { ["KAPTA_MOCK_HOST": "::"][$0] }) == "http://[::1]:8080")
    }
}
