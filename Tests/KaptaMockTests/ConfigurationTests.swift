import Foundation
import Testing
@testable import KaptaMock

/// The repository root, found from this file's path, for tests that read committed files.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 {
        url.deleteLastPathComponent()
    }
    return url.path
}()

@Suite struct DefaultConfigurationTests {
    @Test func embeddedCopyMatchesFile() throws {
        let file = try String(contentsOfFile: packageRoot + "/Config/kapta-mock.json", encoding: .utf8)
        #expect(file == DefaultConfiguration.json + "\n")
    }

    @Test func fileIsValid() throws {
        let configuration = try KaptaMockConfiguration.load(path: packageRoot + "/Config/kapta-mock.json")
        #expect(configuration.tenants.map(\.id) == ["acme", "umbrella"])
    }

    @Test func holdsSeedData() throws {
        let acme = try #require(KaptaMockConfiguration.default.tenants.first)
        #expect(acme.stages == ["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"])
        #expect(acme.users.map(\.token) == ["alice-token", "bob-token", "carol-token"])
        #expect(acme.user(id: "u-bob")?.team == ["u-alice"])
        #expect(acme.authorizeUser == "u-alice")
        #expect(acme.applications.first?.redirectURI == "http://localhost:8765/callback")
        let renewal = acme.accounts.first?.opportunities.first
        #expect(renewal?.value.description == "125000.50")
        #expect(renewal?.closeDate.description == "2027-03-31T00:00:00+00:00")
        #expect(acme.accounts.last?.opportunities.first?.value.description == "48000")
    }

    @Test func holdsServerDefaults() {
        let configuration = KaptaMockConfiguration.default
        #expect(configuration.server.host == "127.0.0.1")
        #expect(configuration.server.port == 8080)
        #expect(configuration.admin.token == nil)
        #expect(configuration.admin.journal == JournalLimits())
        #expect(configuration.logging == LoggingSettings())
        #expect(configuration.fidelity == FidelitySettings())
    }
}

@Suite struct ConfigurationErrorTests {
    private static let user = #"{"id":"u1","email":"a@x.example","password":"p","token":"t1","scope":"self"}"#

    private func errorMessage(_ text: String) -> String? {
        do {
            _ = try KaptaMockConfiguration.parse(Array(text.utf8), source: "test.json")
            return nil
        } catch {
            return error.description
        }
    }

    private func tenantError(_ tenantMembers: String) -> String? {
        errorMessage(#"{"tenants":[{"id":"acme",\#(tenantMembers)}]}"#)
    }

    @Test func reportsSyntaxErrorWithLineAndPath() {
        #expect(errorMessage("{\n  \"server\": {\"port\": 80,}\n}") ==
            "test.json: line 2, column 25 ($.server.port): invalid JSON: unexpected '}'; expected a member name in double quotes")
    }

    @Test(arguments: [
        (#"{"srever":{}}"#, "test.json: $.srever: unknown key; allowed keys: server, fidelity, admin, logging, tenants"),
        (#"{"server":{"port":65536}}"#, "test.json: $.server.port: 65536 is out of range; expected an integer from 0 to 65535"),
        (#"{"server":{"port":"80"}}"#, "test.json: $.server.port: expected an integer from 0 to 65535, found a string"),
        (#"{"server":{"port":80.5}}"#, "test.json: $.server.port: 80.5 is not an integer; it must be an integer from 0 to 65535, written without a fraction or exponent"),
        (#"{"server":{"port":80.0}}"#, "test.json: $.server.port: 80.0 is not an integer; it must be an integer from 0 to 65535, written without a fraction or exponent"),
        (#"{"server":{"port":8e3}}"#, "test.json: $.server.port: 8e3 is not an integer; it must be an integer from 0 to 65535, written without a fraction or exponent"),
        (#"{"server":{"limits":{"maxBodySize":1E6}}}"#, "test.json: $.server.limits.maxBodySize: 1E6 is not an integer; it must be an integer from 0 to 1073741824, written without a fraction or exponent"),
        (#"{"server":{"port":99999999999999999999}}"#, "test.json: $.server.port: 99999999999999999999 is out of range; expected an integer from 0 to 65535"),
        (#"{"server":{"host":"example.com"}}"#, "test.json: $.server.host: invalid host \"example.com\"; expected an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1, or localhost"),
        (#"{"server":{"host":"127.0.0.1\u0000evil"}}"#, #"test.json: $.server.host: invalid host "127.0.0.1\u0000evil"; it contains a control character"#),
        (#"{"server":{"host":"::1\t"}}"#, #"test.json: $.server.host: invalid host "::1\t"; it contains a control character"#),
        (#"{"server":{"host":"127.0.0.1\u007f"}}"#, #"test.json: $.server.host: invalid host "127.0.0.1\u007f"; it contains a control character"#),
        (#"{"server":{"host":"127.0.0.1\u0085"}}"#, #"test.json: $.server.host: invalid host "127.0.0.1\u0085"; expected an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1, or localhost"#),
        (#"{"server":{"timeouts":{"idle":5}}}"#, "test.json: $.server.timeouts.idle: unknown key; allowed keys: headerReadMilliseconds, idleMilliseconds, shutdownGraceMilliseconds"),
        (#"{"server":{"http2":{"upgrade":"yes"}}}"#, "test.json: $.server.http2.upgrade: expected true or false, found a string"),
        (#"{"fidelity":{"errorDetail":1}}"#, "test.json: $.fidelity.errorDetail: expected true or false, found a number"),
        (#"{"admin":{"token":"has space"}}"#, "test.json: $.admin.token: the admin token may contain only visible ASCII characters, without spaces"),
        (#"{"admin":{"journal":{"maxEntries":-1}}}"#, "test.json: $.admin.journal.maxEntries: -1 is out of range; expected an integer from 0 to 1000000"),
        (#"{"logging":{"level":"verbose"}}"#, "test.json: $.logging.level: invalid value \"verbose\"; allowed values: trace, debug, info, warning, error"),
        (#"{"logging":{"format":"xml"}}"#, "test.json: $.logging.format: invalid value \"xml\"; allowed values: text, json"),
        (#"{"tenants":{}}"#, "test.json: $.tenants: expected an array, found an object"),
        (#"{"tenants":[{"stages":[]}]}"#, "test.json: $.tenants[0].id: missing required key"),
        (#"{"tenants":[{"id":null}]}"#, "test.json: $.tenants[0].id: must not be null"),
        (#"{"tenants":[{"id":"a b"}]}"#, "test.json: $.tenants[0].id: invalid tenant id \"a b\"; use letters, digits, '-', '.', '_' and '~'"),
        (#"{"tenants":[{"id":"a"},{"id":"a"}]}"#, "test.json: $.tenants[1].id: duplicate tenant id \"a\"; $.tenants[0] already uses it"),
    ])
    func reportsTopLevelError(input: String, expected: String) {
        #expect(errorMessage(input) == expected)
    }

    @Test(arguments: [
        (#""stages":["Won","won"]"#, "test.json: $.tenants[0].stages[1]: duplicate stage \"won\"; stages are matched case-insensitively, so it repeats \"Won\""),
        (#""stages":[" Won"]"#, "test.json: $.tenants[0].stages[0]: \" Won\" has white space at the start or end; remove it"),
        (#""stages":[""]"#, "test.json: $.tenants[0].stages[0]: must not be empty"),
        (#""customFields":[{"name":"R","type":"Integer"}]"#, "test.json: $.tenants[0].customFields[0].type: invalid value \"Integer\"; allowed values: String, Double, Datetime"),
        (#""customFields":[{"name":"R","type":"String"},{"name":"r","type":"Double"}]"#, "test.json: $.tenants[0].customFields[1].name: duplicate custom field \"r\"; field names are matched case-insensitively and must be unique"),
        (#""users":[{"id":"u1","email":"a@x.example","password":"p","token":"t1","scope":"boss"}]"#, "test.json: $.tenants[0].users[0].scope: invalid value \"boss\"; allowed values: self, manager, administrator"),
        (#""users":[{"id":"u1","email":"a@x.example","password":"p","token":"t1","scope":"self","role":"x"}]"#, "test.json: $.tenants[0].users[0].role: unknown key; allowed keys: id, email, password, token, scope, team"),
        (#""users":[\#(user),\#(user)]"#, "test.json: $.tenants[0].users[1].id: duplicate user id \"u1\"; user ids must be unique in a tenant"),
        (#""users":[\#(user),{"id":"u2","email":"b@x.example","password":"p","token":"t1","scope":"self"}]"#, "test.json: $.tenants[0].users[1].token: this token is already used by user \"u1\"; each user needs its own token"),
        (#""users":[\#(user),{"id":"u2","email":"A@x.example","password":"p","token":"t2","scope":"self"}]"#, "test.json: $.tenants[0].users[1].email: email \"A@x.example\" is already used by user \"u1\"; logon finds users by email, so it must be unique"),
        (#""users":[{"id":"u\u0001","email":"a@x.example","password":"p","token":"t1","scope":"self"}]"#, "test.json: $.tenants[0].users[0].id: \"u\\u0001\" contains a control character"),
        (#""stages":["Won\u007f"]"#, "test.json: $.tenants[0].stages[0]: \"Won\\u007f\" contains a control character"),
        (#""users":[\#(user)],"accounts":[{"id":"A1","name":" \t","owner":"u1"}]"#, "test.json: $.tenants[0].accounts[0].name: \" \\t\" contains only white space"),
        (#""users":[\#(user)],"accounts":[{"id":"A1","name":"","owner":"u1"}]"#, "test.json: $.tenants[0].accounts[0].name: must not be empty"),
        (#""users":[{"id":"u1","email":"nobody","password":"p","token":"t1","scope":"self"}]"#, "test.json: $.tenants[0].users[0].email: invalid email \"nobody\"; expected an address such as alice@acme.example"),
        (#""users":[{"id":"u1","email":"a@x.example","password":"p","token":"t 1","scope":"self"}]"#, "test.json: $.tenants[0].users[0].token: invalid token; expected visible ASCII characters without spaces"),
        (#""users":[{"id":"u1","email":"a@x.example","password":"p","token":"t1","scope":"manager","team":["u9"]}]"#, "test.json: $.tenants[0].users[0].team[0]: unknown user \"u9\"; team members must be users of the same tenant"),
        (#""users":[{"id":"u1","email":"a@x.example","password":"p","token":"t1","scope":"self","team":["u1"]}]"#, "test.json: $.tenants[0].users[0].team: only a user with scope manager has a team; this user has scope self"),
        (#""users":[\#(user)],"authorizeUser":"u2""#, "test.json: $.tenants[0].authorizeUser: unknown user \"u2\"; expected the id of a user of this tenant"),
        (#""applications":[{"clientId":"c","clientSecret":"s","redirectUri":"localhost/cb"}]"#, "test.json: $.tenants[0].applications[0].redirectUri: invalid redirectUri \"localhost/cb\"; expected an absolute http:// or https:// URI"),
        (#""applications":[{"clientId":"c","clientSecret":"s","redirectUri":"http://localhost:9/cb#section"}]"#, "test.json: $.tenants[0].applications[0].redirectUri: invalid redirectUri \"http://localhost:9/cb#section\"; a redirection URI must not contain a fragment (RFC 6749, 3.1.2), so remove the part from '#'"),
        (#""users":[\#(user)],"accounts":[{"id":"A1","name":"n","owner":"u9"}]"#, "test.json: $.tenants[0].accounts[0].owner: unknown user \"u9\"; the owner must be a user of this tenant"),
        (#""users":[\#(user)],"accounts":[{"id":"A1","name":"n","owner":"u1"},{"id":"a1","name":"m","owner":"u1"}]"#, "test.json: $.tenants[0].accounts[1].id: duplicate account id \"a1\"; account ids are matched case-insensitively, so it repeats \"A1\""),
        (#""users":[\#(user)],"accounts":[{"id":"A/1","name":"n","owner":"u1"}]"#, "test.json: $.tenants[0].accounts[0].id: invalid id \"A/1\"; it must not contain '/', which no URL could address"),
    ])
    func reportsTenantError(members: String, expected: String) {
        #expect(tenantError(members) == expected)
    }

    private func opportunityError(_ opportunity: String) -> String? {
        tenantError(#""stages":["Won"],"customFields":[{"name":"Region","type":"String"}],"users":[\#(Self.user)],"#
            + #""accounts":[{"id":"A1","name":"n","owner":"u1","opportunities":[\#(opportunity)]}]"#)
    }

    @Test(arguments: [
        (#"{"id":"O1","name":"n","closeDate":"2027-01-01T00:00:00Z","value":"1,5","stage":"Won"}"#, "test.json: $.tenants[0].accounts[0].opportunities[0].value: invalid decimal \"1,5\"; expected digits with an optional '-', decimal point and exponent, at most 28 decimal places and at most 79228162514264337593543950335 in magnitude"),
        (#"{"id":"O1","name":"n","closeDate":"2027-01-01T00:00:00Z","value":79228162514264337593543950336,"stage":"Won"}"#, "test.json: $.tenants[0].accounts[0].opportunities[0].value: invalid decimal \"79228162514264337593543950336\"; expected digits with an optional '-', decimal point and exponent, at most 28 decimal places and at most 79228162514264337593543950335 in magnitude"),
        (#"{"id":"O1","name":"n","closeDate":"2027-02-30T00:00:00Z","value":"1","stage":"Won"}"#, "test.json: $.tenants[0].accounts[0].opportunities[0].closeDate: invalid date-time \"2027-02-30T00:00:00Z\"; expected ISO 8601 such as 2027-03-31T00:00:00Z: up to 7 fractional digits, then Z, an offset such as +02:00, or nothing"),
        (#"{"id":"O1","name":"n","closeDate":"2027-01-01T00:00:00Z","value":"1","stage":"Lost"}"#, "test.json: $.tenants[0].accounts[0].opportunities[0].stage: stage \"Lost\" is not defined; defined stages: Won"),
        (#"{"id":"O1","name":"n","closeDate":"2027-01-01T00:00:00Z","value":"1","stage":"Won","customFields":[{"fieldName":"Area","type":"String"}]}"#, "test.json: $.tenants[0].accounts[0].opportunities[0].customFields[0].fieldName: custom field \"Area\" is not defined; defined fields: Region"),
        (#"{"id":"O1","name":"n","closeDate":"2027-01-01T00:00:00Z","value":"1","stage":"Won","customFields":[{"fieldName":"Region","type":"Double"}]}"#, "test.json: $.tenants[0].accounts[0].opportunities[0].customFields[0].type: custom field \"Region\" has type String, not Double"),
        (#"{"id":"O1","name":"n","closeDate":"2027-01-01T00:00:00Z","value":"1","stage":"Won","customFields":[{"fieldName":"Region","type":"String","doubleValue":1}]}"#, "test.json: $.tenants[0].accounts[0].opportunities[0].customFields[0].doubleValue: a String field carries its value in stringValue; leave doubleValue out"),
        (#"{"id":"O1","name":"n","closeDate":"2027-01-01T00:00:00Z","value":"1","stage":"Won"},{"id":"o1","name":"m","closeDate":"2027-01-01T00:00:00Z","value":"1","stage":"Won"}"#, "test.json: $.tenants[0].accounts[0].opportunities[1].id: duplicate opportunity id \"o1\"; $.tenants[0].accounts[0].opportunities[0] already uses it, and ids are unique in a tenant"),
        (#"{"id":"O1","name":"n","closeDate":"2027-01-01T00:00:00Z","value":"1","stage":"Won","version":2.0}"#, "test.json: $.tenants[0].accounts[0].opportunities[0].version: 2.0 is not an integer; it must be an integer from 1 to 2147483647, written without a fraction or exponent"),
        (#"{"id":"O1","name":"n","closeDate":"2027-01-01T00:00:00Z","stage":"Won"}"#, "test.json: $.tenants[0].accounts[0].opportunities[0].value: missing required key"),
    ])
    func reportsOpportunityError(opportunity: String, expected: String) {
        #expect(opportunityError(opportunity) == expected)
    }

    @Test func rejectsTokenSharedAcrossTenants() {
        let text = #"{"tenants":[{"id":"a","users":[\#(Self.user)]},{"id":"b","users":[\#(Self.user)]}]}"#
        #expect(errorMessage(text) == "test.json: $.tenants[1].users[0].token: this token is already used by user \"u1\" of tenant \"a\"; each user needs its own token")
    }

    @Test func rejectsClientIDSharedAcrossTenants() {
        let application = #"{"clientId":"c","clientSecret":"s","redirectUri":"http://x/cb"}"#
        let text = #"{"tenants":[{"id":"a","applications":[\#(application)]},{"id":"b","applications":[\#(application)]}]}"#
        #expect(errorMessage(text) == "test.json: $.tenants[1].applications[0].clientId: clientId \"c\" is already used by tenant \"a\"; logon finds the tenant by clientId, so it must be unique")
    }

    @Test func reportsFileAboveSizeLimit() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("huge.json")
        let file = try ExternalProcess.openForWriting(path)
        defer { close(file) }
        // A sparse file: its size is set without writing the bytes.
        try #require(ftruncate(file, off_t(FileReader.maxFileSize + 1)) == 0)
        #expect(throws: ConfigurationError(source: path, location: nil, message: "cannot read the file: \(path) "
                                           + "is larger than 64 MiB, the largest configuration file accepted")) {
            try KaptaMockConfiguration.load(path: path)
        }
    }

    @Test func reportsUnreadableFile() {
        #expect(throws: ConfigurationError(source: "/nonexistent/k.json", location: nil,
                                           message: "cannot read the file: open /nonexistent/k.json failed: No such file or directory")) {
            try KaptaMockConfiguration.load(path: "/nonexistent/k.json")
        }
    }
}

@Suite struct ConfigurationValueTests {
    private func decimalText(_ json: String) -> String? {
        ConfigNode.decimal(fromJSONNumberText: json)?.description
    }

    @Test(arguments: [("125000.50", "125000.50"), ("1.25E+3", "1250"), ("125e-2", "1.25"), ("-0.0", "0.0"),
                      ("79228162514264337593543950335", "79228162514264337593543950335"), ("0.0000000000000000000000000001", "0.0000000000000000000000000001")])
    func readsDecimalExactly(input: String, expected: String) {
        #expect(decimalText(input) == expected)
    }

    @Test(arguments: ["1e200", "0.00000000000000000000000000001", "+1", "1.", "0x10", "1 "])
    func rejectsDecimal(input: String) {
        #expect(decimalText(input) == nil)
    }

    @Test func acceptsNumberAndStringValues() throws {
        let text = #"{"tenants":[{"id":"a","stages":["S"],"users":[{"id":"u","email":"u@x","password":"p","token":"t","scope":"self"}],"#
            + #""accounts":[{"id":"A","name":"n","owner":"u","opportunities":[{"id":"O","name":"n","closeDate":"2027-01-01T00:00:00.1234567","value":1.50,"stage":"s"},"#
            + #"{"id":"P","name":"n","closeDate":"2027-01-01","value":"7","stage":"S","description":null}]}]}]}"#
        let configuration = try KaptaMockConfiguration.parse(Array(text.utf8), source: "t")
        let opportunities = configuration.tenants.first?.accounts.first?.opportunities ?? []
        #expect(opportunities.map(\.value.description) == ["1.50", "7"])
        #expect(opportunities.first?.stage == "S")
        #expect(opportunities.first?.closeDate.description == "2027-01-01T00:00:00.1234567")
        #expect(opportunities.last?.description == nil)
    }

    /// Every uniqueness check and every stage, field and owner lookup is a hash lookup, so this
    /// file loads in under two seconds in a debug build on a 2-core VM. A pairwise check took
    /// about a minute for the 30,000 stages alone, so this test becomes that slow if one comes back.
    @Test func readsLargeConfiguration() throws {
        let configuration = try KaptaMockConfiguration.parse(Array(LargeConfiguration.text.utf8), source: "large.json")
        #expect(configuration.tenants.count == LargeConfiguration.tenantCount + 1)
        let large = try #require(configuration.tenants.first)
        #expect(large.stages.count == LargeConfiguration.stageCount)
        #expect(large.customFields.count == LargeConfiguration.fieldCount)
        #expect(large.users.count == LargeConfiguration.userCount)
        #expect(large.accounts.count == LargeConfiguration.userCount)
        let opportunity = try #require(large.accounts.last?.opportunities.last)
        #expect(opportunity.stage == "Stage \(LargeConfiguration.stageCount - 1)")
        #expect(opportunity.customFields.first?.fieldName == "Field \(LargeConfiguration.fieldCount - 1)")
    }

    /// Names are free text: control characters written as JSON escapes and white space at
    /// either end are kept, as the Kapta PUT keeps them.
    @Test func keepsControlCharactersInNames() throws {
        let text = #"{"tenants":[{"id":"a","stages":["S"],"users":[{"id":"u","email":"u@x","password":"p","token":"t","#
            + #""scope":"self"}],"accounts":[{"id":"A","name":"\u0007 bell ","owner":"u","opportunities":[{"id":"O","#
            + #""name":" a\u0001b\r\n","closeDate":"2027-01-01","value":1,"stage":"S"}]}]}]}"#
        let configuration = try KaptaMockConfiguration.parse(Array(text.utf8), source: "t")
        let account = try #require(configuration.tenants.first?.accounts.first)
        #expect(account.name == "\u{7} bell ")
        #expect(account.opportunities.first?.name == " a\u{1}b\r\n")
    }

    @Test(arguments: [
        (#""Infinity""#, "Infinity"), (#""-Infinity""#, "-Infinity"), (#""NaN""#, "NaN"), ("0.25", "0.25"),
    ])
    func readsDoubleCustomField(json: String, expected: String) throws {
        let configuration = try KaptaMockConfiguration.parse(Array(Self.doubleFieldTenant(json).utf8), source: "t")
        let value = try #require(configuration.tenants.first?.accounts.first?.opportunities.first?.customFields.first)
        let number = try #require(value.doubleValue)
        #expect(NonFiniteDouble.name(of: number) ?? "\(number)" == expected)
    }

    @Test(arguments: [
        (#""inf""#, #"$.tenants[0].accounts[0].opportunities[0].customFields[0].doubleValue: invalid double "inf"; expected a number or one of the strings Infinity, -Infinity and NaN"#),
        ("1e400", "$.tenants[0].accounts[0].opportunities[0].customFields[0].doubleValue: 1e400 is outside the range of a double"),
        ("true", "$.tenants[0].accounts[0].opportunities[0].customFields[0].doubleValue: expected a number or one of the strings Infinity, -Infinity and NaN, found a boolean"),
    ])
    func rejectsDoubleCustomField(json: String, expected: String) {
        #expect(throws: ConfigurationError(source: "t", location: String(expected.prefix { $0 != ":" }),
                                           message: String(expected.drop { $0 != ":" }.dropFirst(2)))) {
            try KaptaMockConfiguration.parse(Array(Self.doubleFieldTenant(json).utf8), source: "t")
        }
    }

    private static func doubleFieldTenant(_ doubleValue: String) -> String {
        #"{"tenants":[{"id":"a","stages":["S"],"customFields":[{"name":"P","type":"Double"}],"#
            + #""users":[{"id":"u","email":"u@x","password":"p","token":"t","scope":"self"}],"#
            + #""accounts":[{"id":"A","name":"n","owner":"u","opportunities":[{"id":"O","name":"n","#
            + #""closeDate":"2027-01-01","value":1,"stage":"S","customFields":[{"fieldName":"P","type":"Double","#
            + #""doubleValue":"# + doubleValue + "}]}]}]}]}"
    }

    @Test func rejectsRawControlCharacterInName() {
        // The name's string contains the raw byte 0x01, not the escape \u0001.
        let text = #"{"tenants":[{"id":"a","users":[{"id":"u","email":"u@x","password":"p","token":"t","#
            + #""scope":"self"}],"accounts":[{"id":"A","name":"a"# + "\u{1}" + #"b","owner":"u"}]}]}"#
        let error = #expect(throws: ConfigurationError.self) {
            try KaptaMockConfiguration.parse(Array(text.utf8), source: "t")
        }
        #expect(error?.message.contains("control character U+0001 in a string") == true)
    }

    @Test func readsServerSection() throws {
        let text = #"{"server":{"host":"::1","port":0,"eventLoops":3,"limits":{"maxBodySize":10},"#
            + #""timeouts":{"shutdownGraceMilliseconds":200},"http2":{"upgrade":false}},"admin":{"token":"s3cret"},"#
            + #""logging":{"level":"debug","format":"json"},"fidelity":{"errorDetail":true,"iisHeaders":false}}"#
        let configuration = try KaptaMockConfiguration.parse(Array(text.utf8), source: "t")
        #expect(configuration.server.host == "::1")
        #expect(configuration.server.port == 0)
        #expect(configuration.server.eventLoopCount == 3)
        #expect(configuration.server.limits.maxBodySize == 10)
        #expect(configuration.server.timeouts.shutdownGrace == 200)
        #expect(configuration.server.http2.upgrade == false)
        #expect(configuration.admin.token == "s3cret")
        #expect(configuration.logging == LoggingSettings(level: .debug, format: .json))
        #expect(configuration.fidelity == FidelitySettings(errorDetail: true, iisHeaders: false))
    }
}

/// A configuration with one tenant of 30,000 stages, 30,000 custom fields, 10,000 users and
/// as many accounts with two opportunities each, followed by 3,000 small tenants.
enum LargeConfiguration {
    static let stageCount = 30_000
    static let fieldCount = 30_000
    static let userCount = 10_000
    static let tenantCount = 3_000

    static let text: String = {
        let stages = (0..<stageCount).map { "\"Stage \($0)\"" }.joined(separator: ",")
        let fields = (0..<fieldCount).map { #"{"name":"Field \#($0)","type":"String"}"# }.joined(separator: ",")
        let users = (0..<userCount).map {
            #"{"id":"u\#($0)","email":"u\#($0)@large.example","password":"p","token":"large-\#($0)","scope":"self"}"#
        }.joined(separator: ",")
        let accounts = (0..<userCount).map { index in
            let opportunities = (0..<2).map {
                #"{"id":"O-\#(index)-\#($0)","name":"n","closeDate":"2027-01-01T00:00:00Z","value":"1","#
                    + #""stage":"stage \#(stageCount - 1)","customFields":[{"fieldName":"field \#(fieldCount - 1)","#
                    + #""type":"String","stringValue":"x"}]}"#
            }.joined(separator: ",")
            return #"{"id":"A-\#(index)","name":"n","owner":"u\#(index)","opportunities":[\#(opportunities)]}"#
        }.joined(separator: ",")
        let large = #"{"id":"large","stages":[\#(stages)],"customFields":[\#(fields)],"users":[\#(users)],"#
            + #""accounts":[\#(accounts)]}"#
        let small = (0..<tenantCount).map {
            #"{"id":"t\#($0)","users":[{"id":"u","email":"u@t.example","password":"p","token":"small-\#($0)","#
                + #""scope":"self"}],"applications":[{"clientId":"client-\#($0)","clientSecret":"s","#
                + #""redirectUri":"http://localhost/cb"}]}"#
        }.joined(separator: ",")
        return #"{"tenants":[\#(large),\#(small)]}"#
    }()
}
