import Testing
@testable import KaptaMock

/// The byte-level fast paths of the request path return what the general code they skip
/// returns: ASCII and non-ASCII input, escaped and unescaped, each case on both sides.
@Suite struct KaptaRoutingFastPathTests {
    @Test(arguments: [
        ("/v1/account/ACC-1/opportunity/OPP-1", "ACC-1", "OPP-1"),
        ("/V1/Account/ACC-1/OPPORTUNITY/OPP-1/", "ACC-1", "OPP-1"),
        ("/v1/account/%41CC-1/opportunity/OPP%2D1", "ACC-1", "OPP-1"),
        ("/v1/account/Z%C3%BCrich/opportunity/%E2%82%AC", "Zürich", "€"),
        ("/v1/account/A%FFB/opportunity/O", "A\u{FFFD}B", "O"),
    ])
    func routeValuesAreDecoded(path: String, account: String, opportunity: String) throws {
        let match = try KaptaRoute.match(path: path[...])
        #expect(match.route?.accountID == account)
        #expect(match.route?.opportunityID == opportunity)
        #expect(match.requiresAuthentication)
    }

    @Test(arguments: [
        "/v1/account/A/opportunity/O//", "/v1/account/A/opportunity/", "/v1/account//opportunity/O",
        "/v1/account/A/opportunity", "/v1/account/A%2FB/opportunity/O", "v1/account/A/opportunity/O",
        "/v2/account/A/opportunity/O", "/v1/accounts/A/opportunity/O", "/v1/account/A/opportunity/O/x", "",
    ])
    func otherPathsHaveNoRoute(path: String) throws {
        #expect(try KaptaRoute.match(path: path[...]).route == nil)
    }

    @Test(arguments: [("/v1", true), ("/V1/", true), ("/v1/x", true), ("/v10", false), ("/auth/login", false),
                      ("/", false)])
    func authenticationIsRequiredUnderV1(path: String, required: Bool) throws {
        #expect(try KaptaRoute.match(path: path[...]).requiresAuthentication == required)
    }

    @Test(arguments: ["/v1/account/%4/opportunity/O", "/v1/account/%zz/opportunity/O", "/v1/%"])
    func invalidPercentEncodingThrows(path: String) {
        #expect(throws: KaptaRoute.PathError.invalidPercentEncoding) {
            try KaptaRoute.match(path: path[...])
        }
    }

    @Test(arguments: [
        ("token alice-token", KaptaCredentials.token("alice-token")),
        (" \tToken \t alice-token\t ", .token("alice-token")),
        ("TOKEN", .token("")),
        ("token Zürich", .token("Zürich")),
        ("Bearer abc", .otherScheme("Bearer")),
        ("bearer abc", .otherScheme("Bearer")),
        ("Bäsic abc", .otherScheme(nil)),
        ("alice-token", .otherScheme(nil)),
        ("token,alice-token", .otherScheme(nil)),
        ("   ", .missing),
    ])
    func credentialsAreParsed(value: String, expected: KaptaCredentials) {
        #expect(KaptaCredentials(fields: ["Host": "h", "authorization": value]) == expected)
    }

    @Test func missingAuthorizationHeader() {
        #expect(KaptaCredentials(fields: ["Host": "h", "Authorizations": "token x"]) == .missing)
    }

    @Test(arguments: [
        ("application/xml", RequestBodyFormat.xml(charset: nil)),
        ("APPLICATION/XML", .xml(charset: nil)),
        ("application/xml; charset=utf-16", .xml(charset: "utf-16")),
        ("application/json", .json(charset: nil)),
        ("Application/JSON", .json(charset: nil)),
        ("application/json;charset=UTF-8", .json(charset: "UTF-8")),
        ("text/xml", .xml(charset: nil)),
        ("application/xmlx", .unsupported(mediaType: "application/xmlx")),
    ])
    func bodyFormatFromContentType(contentType: String, expected: RequestBodyFormat) {
        #expect(RequestBodyFormat(contentType: contentType) == expected)
    }
}

@Suite struct KaptaMatchingFastPathTests {
    private static func tenant(stages: [String]) -> Tenant {
        Tenant(id: "t", stages: stages)
    }

    @Test(arguments: [
        ("negotiation", "Negotiation"), (" \t NEGOTIATION\r\n", "Negotiation"), ("Closed won", "Closed Won"),
        ("closed  won", nil), ("", nil), ("   ", nil), ("Negotiations", nil),
    ])
    func asciiStageIsMatchedInPlace(sent: String, expected: String?) {
        let tenant = Self.tenant(stages: KaptaFixtures.acmeStages)
        #expect(OpportunityUpdate.registeredStage(matching: sent, in: tenant) == expected)
    }

    @Test(arguments: [
        ("\u{A0}Negotiation\u{3000}", "Negotiation"), ("NÉGOCIATION", "Négociation"), ("négociation", "Négociation"),
        ("Négociation ", "Négociation"), ("Negociation", nil),
    ])
    func nonASCIIStageUsesUnicodeRules(sent: String, expected: String?) {
        let tenant = Self.tenant(stages: ["Negotiation", "Négociation"])
        #expect(OpportunityUpdate.registeredStage(matching: sent, in: tenant) == expected)
    }

    @Test func kelvinSignStageMatchesASCII() {
        // U+212A KELVIN SIGN lowercases to `k`, so `lowercased()` equates it with ASCII text.
        let tenant = Self.tenant(stages: ["Lost", "\u{212A}ickoff"])
        #expect(OpportunityUpdate.registeredStage(matching: "KICKOFF", in: tenant) == "\u{212A}ickoff")
    }

    @Test(arguments: [
        ("opp-2001", "OPP-2001", true), ("OPP-2001", "OPP-2002", false), ("ÖPP", "öpp", true), ("ÖPP", "OPP", false),
        ("k", "\u{212A}", true), ("", "", true), ("OPP-2001 ", "OPP-2001", false),
    ])
    func idsCompareAsLowercased(sent: String, stored: String, equal: Bool) {
        #expect(OpportunityUpdate.equalsIgnoringCase(stored, sent) == equal)
        #expect(OpportunityUpdate.equalsIgnoringCase(stored, sent) == (stored.lowercased() == sent.lowercased()))
    }

    @Test func customFieldMatchedIgnoringCase() throws {
        try withKaptaServer { server in
            let fields = #"[{"FieldName":"REGION","Type":"string","StringValue":"Zürich"}]"#
            let response = try server.exchange(body: KaptaFixtures.body(["CustomFields": fields]))
            #expect(response.status == 200)
            let stored = server.opportunity()?.customFields
            #expect(stored == [CustomFieldValue(fieldName: "Region", type: .string, stringValue: "Zürich")])
        }
    }

    @Test func paddedStageStoredInRegistrySpelling() throws {
        try withKaptaServer { server in
            let response = try server.exchange(body: KaptaFixtures.body(["Stage": #"" \tclosed WON ""#]))
            #expect(response.status == 200)
            #expect(server.opportunity()?.stage == "Closed Won")
        }
    }
}

@Suite struct KaptaValueFastPathTests {
    private static func parsedToken(_ text: String) -> JSONDecimalParser.Parsed? {
        Array(text.utf8).withUnsafeBufferPointer { JSONDecimalParser.parseNumberToken($0) }
    }

    @Test(arguments: [
        ("125000.50", false, 12_500_050, 2), ("-12.3400", true, 123_400, 4), ("0", false, 0, 0),
        ("-0.0", false, 0, 1), ("0.05", false, 5, 2), ("123456789012345678", false, 123_456_789_012_345_678, 0),
        ("1234567890123456789", false, 1_234_567_890_123_456_789, 0), ("12345678901234567.8", false,
                                                                         123_456_789_012_345_678, 1),
        ("1e3", false, 1000, 0), ("1.5E-2", false, 15, 3),
    ])
    func decimalTokenKeepsValueAndScale(text: String, negative: Bool, coefficient: UInt64, scale: Int) {
        let expected = DecimalNumber(isNegative: negative, coefficient: UInt128(coefficient), scale: scale)
        #expect(Self.parsedToken(text) == JSONDecimalParser.Parsed(value: expected))
    }

    @Test(arguments: ["00", "01.5", "1.", ".5", "-", "", "1.2.3", "1-", "--1", "1,5", "１"])
    func invalidDecimalTokenIsRejected(text: String) {
        #expect(Self.parsedToken(text) == nil)
    }

    @Test func valueOverTheWireKeepsTrailingZeros() throws {
        try withKaptaServer { server in
            let response = try server.exchange(body: KaptaFixtures.body(["Value": "0.500"]))
            #expect(response.status == 200)
            #expect(server.opportunity()?.value.description == "0.500")
        }
    }

    @Test(arguments: ["", "0", "0012300", "9999999", "1234567"])
    func fractionRoundTrips(fraction: String) {
        var date = DateTimeValue(year: 2027, month: 3, day: 31, fraction: fraction)
        #expect(date.fraction == fraction)
        date.fraction = fraction
        #expect(date == DateTimeValue(year: 2027, month: 3, day: 31, fraction: fraction))
        #expect(date.isFractionZero == fraction.allSatisfy { $0 == "0" })
    }

    @Test func fractionPrecisionTellsDatesApart() {
        let short = DateTimeValue(year: 2027, month: 3, day: 31, fraction: "1")
        let long = DateTimeValue(year: 2027, month: 3, day: 31, fraction: "100")
        #expect(short != long)
        #expect(short.description == "2027-03-31T00:00:00.1")
        #expect(long.description == "2027-03-31T00:00:00.100")
    }
}
