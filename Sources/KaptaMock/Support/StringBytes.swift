import Glibc

extension StringProtocol {
    /// Calls `body` with the UTF-8 bytes in one buffer. Large native strings lend their
    /// storage; small strings, which keep their bytes inline, are copied to the stack first.
    /// Generic algorithms on `UTF8View` step through indices one byte at a time, which showed
    /// up as the largest single cost of a request, so hot paths scan buffers instead.
    @inline(__always)
    func withUTF8Buffer<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) {
            return result
        }
        var copy = String(self)
        return copy.withUTF8(body)
    }

    /// The index of the first `byte` in the UTF-8 view, found with `memchr`.
    func firstIndex(ofByte byte: UInt8) -> String.Index? {
        let offset: Int? = withUTF8Buffer { buffer in
            guard let base = buffer.baseAddress, let found = memchr(base, Int32(byte), buffer.count) else {
                return nil
            }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        return offset.map { utf8.index(utf8.startIndex, offsetBy: $0) }
    }

    /// Whether the text contains `byte`.
    func containsByte(_ byte: UInt8) -> Bool {
        withUTF8Buffer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }
    }

    /// Whether every byte is ASCII.
    var isASCII: Bool {
        withUTF8Buffer { buffer in buffer.allSatisfy { $0 < 0x80 } }
    }
}
