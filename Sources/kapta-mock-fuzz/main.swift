// libFuzzer driver. Build with `swift build -c release --sanitize=fuzzer --product kapta-mock-fuzz`
// and run with `SWIFT_BACKTRACE=enable=no KAPTA_FUZZ_TARGET=<name> .build/release/kapta-mock-fuzz CORPUS`,
// where <name> is one of `FuzzEntryPoints.all`. The file has no top-level statements: the
// fuzzer build compiles it as a library whose `main` is libFuzzer's, and a plain build
// yields an executable that does nothing.
import Glibc
import KaptaMock

private let selectedTarget: (@Sendable (UnsafeRawBufferPointer) -> Void)? = {
    guard let name = getenv("KAPTA_FUZZ_TARGET").map({ String(cString: $0) }) else {
        return nil
    }
    return FuzzEntryPoints.all.first { $0.name == name }?.run
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let run = selectedTarget else {
        let names = FuzzEntryPoints.all.map(\.name).joined(separator: ", ")
        let message = "kapta-mock-fuzz: set KAPTA_FUZZ_TARGET to one of: \(names)\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
