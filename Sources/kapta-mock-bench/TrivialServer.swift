import Glibc
import KaptaMock

/// Answers every request with 200 and an empty body, so a benchmark measures the HTTP/1.1
/// and HTTP/2 engine alone, as nginx's `return 200` does.
struct TrivialHandler: HTTPHandler {
    func responseBeforeBody(to head: HTTPRequestHead, context: RequestContext) -> HTTPResponse? {
        nil
    }

    func handle(_ request: HTTPRequest, context: RequestContext) -> HandlerResult {
        .response(HTTPResponse(status: .ok))
    }
}

/// `kapta-mock-bench serve-trivial PORT [LOOPS]`: runs the trivial server until SIGTERM or SIGINT.
func serveTrivial(arguments: [String]) -> Int32 {
    guard let port = arguments.first.flatMap({ Int($0) }) else {
        print("usage: kapta-mock-bench serve-trivial PORT [EVENT-LOOPS]")
        return 2
    }
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGTERM)
    sigaddset(&signals, SIGINT)
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    var configuration = HTTPServerConfiguration()
    configuration.port = port
    if let loops = arguments.dropFirst().first.flatMap({ Int($0) }) {
        configuration.eventLoopCount = loops
    }
    let server = HTTPServer(configuration: configuration, handler: TrivialHandler(), logger: .disabled)
    do {
        try server.start()
    } catch {
        print("kapta-mock-bench: \(error)")
        return 1
    }
    print("http://\(server.localAddress?.description ?? "?")")
    fflush(nil)
    var received: Int32 = 0
    sigwait(&signals, &received)
    server.shutdown()
    return 0
}
