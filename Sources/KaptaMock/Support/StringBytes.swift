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

    /// Whether the text contains a C0 control character or DEL, such as NUL or a line feed.
    var containsControlCharacter: Bool {
        utf8.contains(where: ASCII.isControl)
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
        withUTF8Buffer { buffer in buffer.isASCII }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether every byte is below 0x80, tested eight bytes at a time.
    var isASCII: Bool {
        guard let base = baseAddress else {
            return true
        }
        var offset = 0
        while offset + 8 <= count {
            if UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return false
            }
            offset += 8
        }
        while offset < count {
            if base[offset] >= 0x80 {
                return false
            }
            offset += 1
        }
        return true
    }

    /// Returns whether the bytes equal `lowercaseLiteral` with ASCII letters compared without
    /// regard to case. The literal must be written in lowercase.
    func equalsIgnoringASCIICase(_ lowercaseLiteral: StaticString) -> Bool {
        guard count == lowercaseLiteral.utf8CodeUnitCount else {
            return false
        }
        guard let base = baseAddress else {
            return true
        }
        return ASCIIWords.equalsIgnoringCase(base, lowercase: lowercaseLiteral.utf8Start, count: count)
    }

    /// Returns whether the bytes start with `lowercaseLiteral`, compared as `equalsIgnoringASCIICase` does.
    func hasPrefixIgnoringASCIICase(_ lowercaseLiteral: StaticString) -> Bool {
        guard count >= lowercaseLiteral.utf8CodeUnitCount else {
            return false
        }
        return UnsafeBufferPointer(rebasing: self[..<lowercaseLiteral.utf8CodeUnitCount])
            .equalsIgnoringASCIICase(lowercaseLiteral)
    }

    /// Creates a string from the bytes in one copy. The callers pass valid UTF-8, but invalid
    /// bytes would still be repaired to U+FFFD rather than trusted.
    func makeString() -> String {
        String(unsafeUninitializedCapacity: count) { target in
            guard let source = baseAddress, let destination = target.baseAddress else {
                return 0
            }
            destination.initialize(from: source, count: count)
            return count
        }
    }
}

extension String {
    /// The Unicode scalars as an array. ASCII text is copied straight from its UTF-8 bytes:
    /// `Array(unicodeScalars)` decodes the text twice, once to count and once to copy.
    var unicodeScalarArray: [Unicode.Scalar] {
        withUTF8Buffer { bytes in
            guard bytes.isASCII else {
                return Array(unicodeScalars)
            }
            return Array(unsafeUninitializedCapacity: bytes.count) { scalars, initializedCount in
                // `Unicode.Scalar` is a trivial type, so assigning initializes the memory.
                for index in 0..<bytes.count {
                    scalars[index] = Unicode.Scalar(bytes[index])
                }
                initializedCount = bytes.count
            }
        }
    }

    /// Returns whether the text equals `lowercaseLiteral` with ASCII letters compared without
    /// regard to case. The literal must be written in lowercase.
    func equalsIgnoringASCIICase(lowercaseLiteral: StaticString) -> Bool {
        guard utf8.count == lowercaseLiteral.utf8CodeUnitCount else {
            return false
        }
        return withUTF8Buffer { $0.equalsIgnoringASCIICase(lowercaseLiteral) }
    }

    /// Joins a literal, a string, a literal and a string with one allocation. Interpolation
    /// of the same four pieces cost about three times as many instructions (callgrind, Swift
    /// 6.3.1), because it grows its buffer piece by piece.
    init(concatenating first: StaticString, _ second: String, _ third: StaticString, _ fourth: String) {
        let count = first.utf8CodeUnitCount + second.utf8.count + third.utf8CodeUnitCount + fourth.utf8.count
        self.init(unsafeUninitializedCapacity: count) { buffer in
            guard var cursor = buffer.baseAddress else {
                return 0
            }
            cursor.appendUTF8(of: first)
            cursor.appendUTF8(of: second)
            cursor.appendUTF8(of: third)
            cursor.appendUTF8(of: fourth)
            return count
        }
    }
}

extension UnsafeMutablePointer<UInt8> {
    /// Copies the literal's bytes here and moves past them.
    @inline(__always)
    fileprivate mutating func appendUTF8(of literal: StaticString) {
        initialize(from: literal.utf8Start, count: literal.utf8CodeUnitCount)
        self += literal.utf8CodeUnitCount
    }

    /// Copies the string's UTF-8 bytes here and moves past them.
    @inline(__always)
    fileprivate mutating func appendUTF8(of text: String) {
        var text = text
        let written = text.withUTF8 { bytes in
            if let source = bytes.baseAddress {
                initialize(from: source, count: bytes.count)
            }
            return bytes.count
        }
        self += written
    }
}

/// Byte searches and comparisons eight bytes at a time. A loop over single bytes costs
/// about ten instructions per byte, and header names, media types and JSON strings are
/// scanned on every request.
enum ASCIIWords {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Loads the eight bytes at `pointer + offset`, the first in the lowest bits on every platform.
    @inline(__always)
    static func word(_ pointer: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer + offset).loadUnaligned(as: UInt64.self))
    }

    /// Marks the zero bytes of `word`: the result has the high bit of the lowest zero byte set,
    /// possibly some higher ones too, and is zero when no byte is zero.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }

    /// Finds the offset of the first `first` or `second` byte in `bytes` from `start` on, or
    /// returns `bytes.count` when there is none.
    @inline(__always)
    static func firstOffset(of first: UInt8, or second: UInt8, in bytes: UnsafeBufferPointer<UInt8>,
                            from start: Int) -> Int {
        guard let base = bytes.baseAddress else {
            return bytes.count
        }
        let firstPattern = UInt64(first) &* ones
        let secondPattern = UInt64(second) &* ones
        var offset = start
        while offset + 8 <= bytes.count {
            let value = word(base, offset)
            let found = zeroBytes(value ^ firstPattern) | zeroBytes(value ^ secondPattern)
            if found != 0 {
                return offset + found.trailingZeroBitCount / 8
            }
            offset += 8
        }
        while offset < bytes.count && base[offset] != first && base[offset] != second {
            offset += 1
        }
        return offset
    }

    /// Returns whether the `count` bytes at `left` and `right` are equal.
    static func equals(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count >= 8 else {
            for offset in 0..<count where left[offset] != right[offset] {
                return false
            }
            return true
        }
        var offset = 0
        while offset + 8 < count {
            if word(left, offset) != word(right, offset) {
                return false
            }
            offset += 8
        }
        return word(left, count - 8) == word(right, count - 8)
    }

    /// Lowercases every byte of the word from `A` to `Z` and keeps every other byte.
    @inline(__always)
    static func lowercased(_ word: UInt64) -> UInt64 {
        let low = word & ~highBits
        // Each sum sets a byte's high bit where its low seven bits are at least `A`, or above
        // `Z`. A byte that had the high bit set is not a letter.
        let atLeastA = low &+ (0x80 - 0x41) &* ones
        let aboveZ = low &+ (0x80 - 0x5B) &* ones
        let isUpper = atLeastA & ~aboveZ & ~word & highBits
        return word | (isUpper >> 2)
    }

    /// Returns whether the `count` bytes at `text`, lowercased, equal those at `lowercase`.
    static func equalsIgnoringCase(_ text: UnsafePointer<UInt8>, lowercase: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count >= 8 else {
            for offset in 0..<count where ASCII.lowercased(text[offset]) != lowercase[offset] {
                return false
            }
            return true
        }
        var offset = 0
        while offset + 8 < count {
            if lowercased(word(text, offset)) != word(lowercase, offset) {
                return false
            }
            offset += 8
        }
        // The last word overlaps the previous one instead of reading past the end.
        return lowercased(word(text, count - 8)) == word(lowercase, count - 8)
    }
}
