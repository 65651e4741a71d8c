import CLinuxShim
import Glibc

/// Starts a POSIX thread running `body`. Foundation's `Thread` is avoided to keep the
/// library free of Foundation.
func spawnThread(name: String, _ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(&thread, nil, { raw in
        // Balances the passRetained above; the box dies when the thread's body returns.
        guard let raw else { return nil }
        let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
        box.body()
        return nil
    }, context)
    precondition(result == 0, "pthread_create failed with \(result)")
    // Linux thread names are at most 15 bytes.
    pthread_setname_np(thread, String(name.prefix(15)))
    return thread
}
