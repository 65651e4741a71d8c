import Testing
@testable import KaptaMock

/// IIS joins repeated lines of a field with ", " before ASP.NET reads it, so a client that
/// sends a single-value field twice gets the response for the joined value.
@Suite struct KaptaRepeatedFieldTests {
    @Test func twoAuthorizationLinesUnauthenticated() throws {
        try withKaptaServer { server in
            let response = try server.exchange(
                method: "PUT", target: KaptaFixtures.opportunityPath,
                headerList: [("Authorization", "token alice-token"), ("Authorization", "token bob-token"),
                             ("Content-Type", "application/json")],
                body: Array(KaptaFixtures.benchmarkBody.utf8))
            #expect(response.status == 401)
            #expect(response.bodyText == #"{"Message":"Authorization has been denied for this request."}"#)
        }
    }

    @Test func twoContentTypeLinesAnswerLikeOneJoinedLine() throws {
        try withKaptaServer { server in
            let body = Array(KaptaFixtures.benchmarkBody.utf8)
            let twoLines = try server.exchange(
                method: "PUT", target: KaptaFixtures.opportunityPath,
                headerList: [("Authorization", "token alice-token"), ("Content-Type", "application/json"),
                             ("Content-Type", "application/xml")], body: body)
            let oneLine = try server.exchange(
                method: "PUT", target: KaptaFixtures.opportunityPath,
                headerList: [("Authorization", "token alice-token"),
                             ("Content-Type", "application/json, application/xml")], body: body)
            #expect(oneLine.status == 415)
            #expect(twoLines.status == oneLine.status)
            #expect(twoLines.bodyText == oneLine.bodyText)
        }
    }
}
