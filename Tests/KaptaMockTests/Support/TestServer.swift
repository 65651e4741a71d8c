@testable import KaptaMock

/// Starts an `HTTPServer` on 127.0.0.1 port 0 with `handler`, runs `body` with the bound
/// port, and shuts the server down afterwards, also when `body` throws.
func withHTTPServer<Result>(handler: any HTTPHandler,
                            configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                            _ body: (_ port: Int, _ server: HTTPServer) throws -> Result) throws -> Result {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.eventLoopCount = 2
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, handler: handler, logger: .disabled)
    try server.start()
    defer { server.shutdown() }
    guard let port = server.localAddress?.port else {
        throw RawClientError.connectFailed(0)
    }
    return try body(port, server)
}

/// A handler for transport tests. Paths select behaviour:
/// `/delay/<ms>` delays the response, `/fault/<name>` produces a transport fault,
/// `/reject-early` refuses in `responseBeforeBody`; anything else gets 200 with a body
/// `<method> <target> <body length>` that shows what arrived.
struct EchoHandler: HTTPHandler {
    func responseBeforeBody(to head: HTTPRequestHead, context: RequestContext) -> HTTPResponse? {
        guard head.path == "/reject-early" else {
            return nil
        }
        return HTTPResponse(status: .unauthorized, fields: ["Content-Type": "text/plain"], body: Array("early".utf8))
    }

    func handle(_ request: HTTPRequest, context: RequestContext) -> HandlerResult {
        let path = request.head.path
        let summary = "\(request.head.method) \(request.head.target) \(request.body.count)"
        let response = HTTPResponse(status: .ok, fields: ["Content-Type": "text/plain"], body: Array(summary.utf8))
        if path.hasPrefix("/delay/"), let milliseconds = Int(path.dropFirst("/delay/".count)) {
            return .delayedResponse(response, milliseconds: milliseconds)
        }
        if path.hasPrefix("/fault/"), let fault = TransportFault(rawValue: String(path.dropFirst("/fault/".count))) {
            return .fault(fault)
        }
        if path == "/reject-early" {
            return .response(HTTPResponse(status: .unauthorized))
        }
        return .response(response)
    }
}
