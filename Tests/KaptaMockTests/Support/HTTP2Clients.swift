import Foundation
@testable import KaptaMock

/// A response as curl saw it: `version` is `2` or `1.1`.
struct CurlResponse {
    var version: String
    var status: Int
    var fields: HTTPFields
    var body: [UInt8]

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Fields a client compares across protocols: lower-case names, without `date` (its
    /// value moves with the clock) and without the connection-specific fields HTTP/2 forbids.
    var comparableFields: [String] {
        let excluded: Set<String> = ["date", "connection", "keep-alive", "transfer-encoding", "upgrade"]
        return fields.compactMap { field in
            let name = field.name.lowercased()
            return excluded.contains(name) ? nil : "\(name): \(field.value)"
        }
    }
}

enum CurlError: Error, CustomStringConvertible {
    case failed(exitCode: Int32, standardError: String)
    case noResponse(String)

    var description: String {
        switch self {
        case .failed(let code, let message): "curl exited with \(code): \(message)"
        case .noResponse(let headers): "no final response in curl's header dump: \(headers)"
        }
    }
}

/// Runs curl against 127.0.0.1:`port` with `arguments` before the URL and reads back the
/// last response (after a `101` when curl upgraded).
func curl(port: Int, path: String, _ arguments: [String]) throws -> CurlResponse {
    let directory = try TemporaryDirectory()
    let headerPath = directory.path("headers")
    let bodyPath = directory.path("body")
    let output = try ExternalProcess.run("curl", ["-sS", "--max-time", "20", "-D", headerPath, "-o", bodyPath]
                                         + arguments + ["http://127.0.0.1:\(port)\(path)"])
    guard output.exitCode == 0 else {
        throw CurlError.failed(exitCode: output.exitCode, standardError: output.standardError)
    }

    // A missing dump means curl saw no response, which the guard below reports.
    let dump = String(decoding: (try? readFile(headerPath)) ?? [], as: UTF8.self)
    let blocks = dump.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
    guard let last = blocks.last else {
        throw CurlError.noResponse(dump)
    }

    var lines = last.components(separatedBy: "\r\n")
    let statusParts = lines.removeFirst().split(separator: " ")
    guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
        throw CurlError.noResponse(dump)
    }
    var fields = HTTPFields()
    for line in lines {
        guard let colon = line.firstIndex(of: ":") else {
            continue
        }
        fields.append(name: String(line[..<colon]),
                      value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    // curl leaves no body file when the response has no body.
    let body = (try? readFile(bodyPath)) ?? []
    return CurlResponse(version: String(statusParts[0].dropFirst("HTTP/".count)), status: status,
                        fields: fields, body: body)
}

/// The path of a script in `Tests/Scripts`, found from this file's location.
func testScriptPath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Scripts")
        .appendingPathComponent(name)
        .path
}

enum EdgeCaseError: Error, CustomStringConvertible {
    case noResult(output: String, standardError: String)

    var description: String {
        switch self {
        case .noResult(let output, let standardError):
            "h2_edge_cases.py printed no JSON result; output: \(output) error output: \(standardError)"
        }
    }
}

/// Runs one case of `h2_edge_cases.py` against `port` and returns the JSON object it printed.
func runEdgeCase(_ name: String, port: Int) throws -> [String: Any] {
    let output = try ExternalProcess.run("python3", [testScriptPath("h2_edge_cases.py"), String(port), name])
    return try parseEdgeCaseResult(output.outputText, standardError: output.standardError)
}

func parseEdgeCaseResult(_ text: String, standardError: String) throws -> [String: Any] {
    let lastLine = text.split(separator: "\n").last.map(String.init) ?? ""
    guard let object = try? JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any] else {
        throw EdgeCaseError.noResult(output: text, standardError: standardError)
    }
    return object
}

/// The GOAWAY error code in an edge case result, or nil when no GOAWAY arrived.
func goawayErrorCode(_ result: [String: Any]) -> Int? {
    (result["goaway"] as? [String: Any])?["error_code"] as? Int
}

/// `EchoHandler`, plus `/bytes/<n>`, which responds with `n` bytes of a repeating pattern.
struct LargeBodyHandler: HTTPHandler {
    func responseBeforeBody(to head: HTTPRequestHead, context: RequestContext) -> HTTPResponse? {
        EchoHandler().responseBeforeBody(to: head, context: context)
    }

    func handle(_ request: HTTPRequest, context: RequestContext) -> HandlerResult {
        let path = request.head.path
        if path.hasPrefix("/bytes/"), let count = Int(path.dropFirst("/bytes/".count)) {
            return .response(HTTPResponse(status: .ok, fields: ["Content-Type": "application/octet-stream"],
                                          body: patternBytes(count: count)))
        }
        return EchoHandler().handle(request, context: context)
    }
}

/// `count` bytes cycling through 0...250, so a lost or repeated frame changes the content.
func patternBytes(count: Int) -> [UInt8] {
    (0..<count).map { UInt8($0 % 251) }
}
