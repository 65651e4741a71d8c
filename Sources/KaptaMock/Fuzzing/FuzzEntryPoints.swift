/// Entry points for the libFuzzer executable `kapta-mock-fuzz`, one per input parser.
///
/// They are public because fuzzing needs a release build, where `@testable import` is not
/// available. Each takes arbitrary bytes and must neither crash nor hang on any of them.
/// The functions themselves live in `FuzzEntryPoints+<Parser>.swift` files beside this one.
public enum FuzzEntryPoints {
    public typealias Target = @Sendable (UnsafeRawBufferPointer) -> Void

    /// The names accepted by `KAPTA_FUZZ_TARGET`, each with its entry point.
    public static let all: [(name: String, run: Target)] = [
        ("http1", http1Parser),
        ("json", jsonModelReader),
        ("xml", xml),
        ("config", configuration),
        ("h2", http2Session),
    ]
}
