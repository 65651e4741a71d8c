import Glibc

/// Turns a parsed configuration document into a `KaptaMockConfiguration`, checking every
/// key, type, range and cross-reference. The first problem found is thrown; nothing is
/// applied half way.
enum ConfigurationReader {
    static let topLevelKeys = ["server", "fidelity", "admin", "logging", "tenants"]

    static func configuration(from root: ConfigNode) throws(ConfigIssue) -> KaptaMockConfiguration {
        let object = try root.object(allowedKeys: topLevelKeys)
        var configuration = KaptaMockConfiguration()
        if let server = object.optional("server") {
            configuration.server = try serverConfiguration(from: server)
        }
        if let fidelity = object.optional("fidelity") {
            configuration.fidelity = try fidelitySettings(from: fidelity)
        }
        if let admin = object.optional("admin") {
            configuration.admin = try adminSettings(from: admin)
        }
        if let logging = object.optional("logging") {
            configuration.logging = try loggingSettings(from: logging)
        }
        if let tenants = object.optional("tenants") {
            configuration.tenants = try TenantReader.tenants(from: tenants)
        }
        return configuration
    }

    // MARK: server

    static func serverConfiguration(from node: ConfigNode) throws(ConfigIssue) -> HTTPServerConfiguration {
        let object = try node.object(allowedKeys: ["host", "port", "eventLoops", "limits", "timeouts", "http2"])
        var server = HTTPServerConfiguration()
        if let host = object.optional("host") {
            server.host = try hostAddress(from: host)
        }
        if let port = object.optional("port") {
            server.port = try port.integer(in: 0...65_535)
        }
        if let eventLoops = object.optional("eventLoops") {
            server.eventLoopCount = try eventLoops.integer(in: 1...256)
        }
        if let limits = object.optional("limits") {
            server.limits = try httpLimits(from: limits)
        }
        if let timeouts = object.optional("timeouts") {
            server.timeouts = try httpTimeouts(from: timeouts)
        }
        if let http2 = object.optional("http2") {
            server.http2 = try http2Settings(from: http2)
        }
        return server
    }

    /// Reads an IPv4 or IPv6 literal, or `localhost`. Names that need DNS are rejected, so
    /// the listening address never depends on a resolver.
    static func hostAddress(from node: ConfigNode) throws(ConfigIssue) -> String {
        let host = try node.string()
        if let problem = hostProblem(host) {
            throw node.issue("invalid host \(ControlEscaping.quoted(host)); \(problem)")
        }
        return host
    }

    /// Returns why the server cannot listen on `host`, or nil when it is `localhost` or an
    /// IPv4 or IPv6 literal. A control character is a problem of its own: inet_pton(3) reads
    /// a C string, so it would stop at a NUL and accept the part before it.
    static func hostProblem(_ host: String) -> String? {
        if host.containsControlCharacter {
            return "it contains a control character"
        }
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        if host == "localhost" || inet_pton(AF_INET, host, &ipv4) == 1 || inet_pton(AF_INET6, host, &ipv6) == 1 {
            return nil
        }
        return "expected an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1, or localhost"
    }

    static func httpLimits(from node: ConfigNode) throws(ConfigIssue) -> HTTPLimits {
        let object = try node.object(allowedKeys: [
            "maxRequestLineLength", "maxHeaderSectionSize", "maxHeaderCount", "maxBodySize", "maxConnections",
        ])
        var limits = HTTPLimits()
        if let value = object.optional("maxRequestLineLength") {
            limits.maxRequestLineLength = try value.integer(in: 64...1_048_576)
        }
        if let value = object.optional("maxHeaderSectionSize") {
            limits.maxHeaderSectionSize = try value.integer(in: 1_024...1_048_576)
        }
        if let value = object.optional("maxHeaderCount") {
            limits.maxHeaderCount = try value.integer(in: 1...10_000)
        }
        if let value = object.optional("maxBodySize") {
            limits.maxBodySize = try value.integer(in: 0...1_073_741_824)
        }
        if let value = object.optional("maxConnections") {
            limits.maxConnections = try value.integer(in: 1...1_000_000)
        }
        return limits
    }

    static func httpTimeouts(from node: ConfigNode) throws(ConfigIssue) -> HTTPTimeouts {
        let object = try node.object(allowedKeys: [
            "headerReadMilliseconds", "idleMilliseconds", "shutdownGraceMilliseconds",
        ])
        var timeouts = HTTPTimeouts()
        if let value = object.optional("headerReadMilliseconds") {
            timeouts.headerRead = try value.integer(in: 1...3_600_000)
        }
        if let value = object.optional("idleMilliseconds") {
            timeouts.idle = try value.integer(in: 1...86_400_000)
        }
        if let value = object.optional("shutdownGraceMilliseconds") {
            timeouts.shutdownGrace = try value.integer(in: 0...60_000)
        }
        return timeouts
    }

    static func http2Settings(from node: ConfigNode) throws(ConfigIssue) -> HTTP2Settings {
        let object = try node.object(allowedKeys: ["priorKnowledge", "upgrade", "maxConcurrentStreams",
                                                   "maxHeaderListSize"])
        var settings = HTTP2Settings()
        if let value = object.optional("priorKnowledge") {
            settings.priorKnowledge = try value.bool()
        }
        if let value = object.optional("upgrade") {
            settings.upgrade = try value.bool()
        }
        if let value = object.optional("maxConcurrentStreams") {
            settings.maxConcurrentStreams = try value.integer(in: 1...10_000)
        }
        if let value = object.optional("maxHeaderListSize") {
            settings.maxHeaderListSize = try value.integer(in: 1_024...1_048_576)
        }
        return settings
    }

    // MARK: fidelity, admin, logging

    static func fidelitySettings(from node: ConfigNode) throws(ConfigIssue) -> FidelitySettings {
        let object = try node.object(allowedKeys: ["errorDetail", "iisHeaders"])
        var fidelity = FidelitySettings()
        if let value = object.optional("errorDetail") {
            fidelity.errorDetail = try value.bool()
        }
        if let value = object.optional("iisHeaders") {
            fidelity.iisHeaders = try value.bool()
        }
        return fidelity
    }

    static func adminSettings(from node: ConfigNode) throws(ConfigIssue) -> AdminSettings {
        let object = try node.object(allowedKeys: ["token", "journal"])
        var admin = AdminSettings()
        if let token = object.optional("token") {
            admin.token = try adminToken(from: token)
        }
        if let journal = object.optional("journal") {
            let limits = try journal.object(allowedKeys: ["maxEntries", "maxBytes"])
            if let value = limits.optional("maxEntries") {
                admin.journal.maxEntries = try value.integer(in: 0...1_000_000)
            }
            if let value = limits.optional("maxBytes") {
                admin.journal.maxBytes = try value.integer(in: 0...1_073_741_824)
            }
        }
        return admin
    }

    /// The token travels in an `Authorization` field, so it must be visible ASCII without
    /// spaces (the token68 characters of RFC 9110, 11.2, plus a few more printable ones).
    static func adminToken(from node: ConfigNode) throws(ConfigIssue) -> String {
        let token = try node.string()
        guard let problem = adminTokenProblem(token) else {
            return token
        }
        throw node.issue(problem)
    }

    /// Returns the reason `token` cannot be an admin token, or nil when it can. The message
    /// never repeats the token, because error messages end up in logs.
    static func adminTokenProblem(_ token: String) -> String? {
        if token.isEmpty {
            return "the admin token must not be empty"
        }
        if !token.utf8.allSatisfy({ $0 > ASCII.space && $0 < 0x7F }) {
            return "the admin token may contain only visible ASCII characters, without spaces"
        }
        return nil
    }

    static func loggingSettings(from node: ConfigNode) throws(ConfigIssue) -> LoggingSettings {
        let object = try node.object(allowedKeys: ["level", "format"])
        var logging = LoggingSettings()
        if let value = object.optional("level") {
            let name = try value.oneOf(Logger.Level.allCases.map(\.description))
            logging.level = Logger.Level(name: name) ?? .info
        }
        if let value = object.optional("format") {
            let name = try value.oneOf(Logger.Format.allCases.map(\.rawValue))
            logging.format = Logger.Format(rawValue: name) ?? .text
        }
        return logging
    }
}
