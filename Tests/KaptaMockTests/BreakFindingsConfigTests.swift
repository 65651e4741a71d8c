import Testing
@testable import KaptaMock

/// Reproductions of defects found by writing broken configuration files and command lines.
///
/// Each check that shows a defect sits in `withKnownIssue`, so the suite passes while the defect
/// exists. Once the defect is fixed, the test fails with "known issue was not recorded": then
/// remove the `withKnownIssue` wrapper and keep the check.
@Suite struct BreakFindingsConfigTests {
    private static func configurationError(_ json: String) -> ConfigurationError? {
        do {
            _ = try KaptaMockConfiguration.parse(Array(json.utf8), source: "test.json")
            return nil
        } catch {
            return error
        }
    }

    // Finding 14: 80.0 and 8e3 are within 0-65535. They are invalid because they are not
    // integers, yet the message reads "out of range".
    @Test(arguments: [#"{"server":{"port":80.0}}"#, #"{"server":{"port":8e3}}"#])
    func nonIntegerPortMessage(json: String) throws {
        let error = try #require(Self.configurationError(json))
        #expect(error.location == "$.server.port")
        withKnownIssue("message: \(error.message)") {
            #expect(!error.message.contains("out of range"))
        }
    }
}
