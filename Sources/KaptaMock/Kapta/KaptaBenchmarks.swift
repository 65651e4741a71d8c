import Glibc

/// Timing loops over the Kapta request path for `kapta-mock-bench`. They are public
/// because the benchmark is a release build, where `@testable import` is not available.
public enum KaptaBenchmarks {
    /// Nanoseconds per JSON body binding (reading plus validation), averaged over
    /// `iterations` runs after a warm-up of a tenth as many.
    public static func nanosecondsPerBinding(body: [UInt8], iterations: Int) -> Double {
        measure(iterations: iterations) {
            let result = JSONModelReader.read(body: body, charset: nil)
            blackHole(result)
            if let model = result.model {
                blackHole(ModelValidator.validate(model))
            }
        }
    }

    /// Nanoseconds per `KaptaAPI.handle` of `request` against `store`, default fidelity.
    public static func nanosecondsPerHandle(store: TenantStore, request: HTTPRequest, iterations: Int) -> Double {
        let api = KaptaAPI(store: store, fidelity: FidelitySettings())
        return measure(iterations: iterations) {
            blackHole(api.handle(request))
        }
    }

    /// Runs the loop of `nanosecondsPerHandle` under its own symbol, so callgrind's
    /// `--toggle-collect` can count a request with an XML body apart from the JSON one.
    /// The check that the body is XML also keeps the optimizer from merging the two
    /// functions into one symbol, which would make callgrind count both as one.
    public static func nanosecondsPerXMLHandle(store: TenantStore, request: HTTPRequest, iterations: Int) -> Double {
        guard case .xml = RequestBodyFormat(contentType: request.head.fields["Content-Type"]) else {
            preconditionFailure("the XML benchmark request has no XML Content-Type")
        }
        let api = KaptaAPI(store: store, fidelity: FidelitySettings())
        return measure(iterations: iterations) {
            blackHole(api.handle(request))
        }
    }

    /// Nanoseconds per request through the whole application handler with the default
    /// configuration: faults, the Kapta API, the journal and an info log line written to a
    /// buffered sink on /dev/null, flushed every 32 requests as an event loop would.
    public static func nanosecondsPerApplicationRequest(request: HTTPRequest, iterations: Int) -> Double {
        let handler = KaptaMockHandler(configuration: .default)
        let devNull = open("/dev/null", O_WRONLY)
        defer { close(devNull) }
        let sink = LogSink(format: .text, fileDescriptor: devNull, buffered: true)
        let context = RequestContext(remoteAddress: "127.0.0.1:50000", connectionID: 1,
                                     receivedAt: Clock.monotonicNanoseconds(), logger: Logger(level: .info, sink: sink))
        var count = 0
        return measure(iterations: iterations) {
            blackHole(handler.handle(request, context: context))
            count += 1
            if count % 32 == 0 {
                sink.flush()
            }
        }
    }

    /// Nanoseconds to parse `raw` as one HTTP/1.1 request and write a 200 response for it.
    public static func nanosecondsPerHTTP1Exchange(raw: [UInt8], iterations: Int) -> Double {
        var output: [UInt8] = []
        return measure(iterations: iterations) {
            var parser = HTTP1RequestParser(limits: HTTPLimits())
            parser.append(raw)
            guard case .request(let request)? = try? parser.next() else {
                preconditionFailure("the benchmark request does not parse")
            }
            output.removeAll(keepingCapacity: true)
            HTTP1ResponseWriter.write(HTTPResponse(status: .ok), requestMethod: request.head.method,
                                      requestVersion: request.head.version, keepAlive: true,
                                      date: "Fri, 04 Dec 2026 16:00:00 GMT", into: &output)
            blackHole(output)
        }
    }

    private static func measure(iterations: Int, _ body: () -> Void) -> Double {
        for _ in 0..<max(1, iterations / 10) {
            body()
        }
        let start = Clock.monotonicNanoseconds()
        for _ in 0..<iterations {
            body()
        }
        let elapsed = Clock.monotonicNanoseconds() - start
        return Double(elapsed) / Double(max(1, iterations))
    }
}

/// Keeps the optimizer from dropping work whose result is otherwise unused.
@inline(never) @_optimize(none)
private func blackHole<Value>(_ value: Value) {}
