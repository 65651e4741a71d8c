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
