import Testing
@testable import KaptaMock

/// The word-at-a-time byte helpers against plain byte-by-byte results, at every length and
/// position around the eight-byte word, with ASCII, non-ASCII and non-letter bytes.
@Suite struct ByteScanTests {
    /// Computes `ASCIIWords.firstOffset` byte by byte.
    private static func naiveFirstOffset(of first: UInt8, or second: UInt8, in bytes: [UInt8], from start: Int) -> Int {
        bytes[start...].firstIndex { $0 == first || $0 == second } ?? bytes.count
    }

    @Test func firstOffsetAtEveryPosition() {
        for length in 0...20 {
            for position in 0..<max(length, 1) {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if position < length {
                    bytes[position] = UInt8(ascii: "\"")
                }
                let found = bytes.withUnsafeBufferPointer {
                    ASCIIWords.firstOffset(of: UInt8(ascii: "\""), or: ASCII.backslash, in: $0, from: 0)
                }
                let expected = Self.naiveFirstOffset(of: UInt8(ascii: "\""), or: ASCII.backslash, in: bytes, from: 0)
                #expect(found == expected, "length \(length), quote at \(position)")
            }
        }
    }

    @Test func firstOffsetFindsEitherByteFromStart() {
        let bytes = Array(#"abc\def"ghijklmnop"q"#.utf8)
        for start in 0...bytes.count {
            let found = bytes.withUnsafeBufferPointer {
                ASCIIWords.firstOffset(of: UInt8(ascii: "\""), or: ASCII.backslash, in: $0, from: start)
            }
            let expected = Self.naiveFirstOffset(of: UInt8(ascii: "\""), or: ASCII.backslash, in: bytes, from: start)
            #expect(found == expected, "start \(start)")
        }
    }

    @Test func firstOffsetSkipsNonASCIIBytes() {
        // 0xA2 and 0xDC hold the quote's and backslash's low seven bits.
        let bytes: [UInt8] = Array("ééééé".utf8) + [0xA2, 0xDC, 0xA2, 0xDC] + Array("\"".utf8)
        let found = bytes.withUnsafeBufferPointer {
            ASCIIWords.firstOffset(of: UInt8(ascii: "\""), or: ASCII.backslash, in: $0, from: 0)
        }
        #expect(found == bytes.count - 1)
    }

    @Test func equalsMatchesArrayEquality() {
        for length in 0...20 {
            let left = (0..<length).map { UInt8(truncatingIfNeeded: 0x41 + $0) }
            for position in 0...length {
                var right = left
                if position < length {
                    right[position] ^= 0x01
                }
                let equal = left.withUnsafeBufferPointer { leftBytes in
                    right.withUnsafeBufferPointer { rightBytes in
                        guard let leftBase = leftBytes.baseAddress, let rightBase = rightBytes.baseAddress else {
                            return true
                        }
                        return ASCIIWords.equals(leftBase, rightBase, count: length)
                    }
                }
                #expect(equal == (left == right), "length \(length), difference at \(position)")
            }
        }
    }

    @Test(arguments: [
        ("Content-Type", true), ("CONTENT-TYPE", true), ("content-type", true), ("Content-Typf", false),
        ("Dontent-Type", false), ("Content-Typ", false), ("Content-Type ", false), ("Content\u{2D}Type", true),
    ])
    func headerNameIgnoresLetterCase(name: String, matches: Bool) {
        #expect(name.equalsIgnoringASCIICase(lowercaseLiteral: "content-type") == matches)
    }

    /// Sixteen bytes: two whole words, the second compared again as the overlapping last word.
    @Test(arguments: [
        ("APPLICATION/JSON", true), ("Application/Json", true), ("application/jsoN", true),
        ("application/jso", false), ("application/json1", false), ("Bpplication/json", false),
    ])
    func mediaTypeIgnoresLetterCase(text: String, matches: Bool) {
        #expect(text.equalsIgnoringASCIICase(lowercaseLiteral: "application/json") == matches)
    }

    /// Fewer than eight bytes take the byte loop.
    @Test(arguments: [("V1", true), ("v1", true), ("v", false), ("", false), ("v1 ", false)])
    func shortNameIgnoresLetterCase(text: String, matches: Bool) {
        #expect(text.equalsIgnoringASCIICase(lowercaseLiteral: "v1") == matches)
    }

    @Test(arguments: [
        // Only A-Z fold: `[` is not `{`, `@` is not a backquote, and non-ASCII letters stay apart.
        ("[abcdefghij", "{abcdefghij"), ("@abcdefghij", "`abcdefghij"), ("abcdefghij\u{C9}", "abcdefghij\u{E9}"),
        ("\u{C9}", "\u{E9}"), ("[", "{"),
    ])
    func foldsOnlyASCIILetters(sent: String, lowercase: String) {
        let equal = Array(sent.utf8).withUnsafeBufferPointer { sentBytes in
            Array(lowercase.utf8).withUnsafeBufferPointer { lowercaseBytes in
                guard let sentBase = sentBytes.baseAddress, let lowercaseBase = lowercaseBytes.baseAddress,
                      sentBytes.count == lowercaseBytes.count else {
                    return false
                }
                return ASCIIWords.equalsIgnoringCase(sentBase, lowercase: lowercaseBase, count: sentBytes.count)
            }
        }
        #expect(!equal)
    }

    @Test func bufferIsASCIIAtEveryPosition() {
        for length in 1...20 {
            for position in 0..<length {
                var bytes = [UInt8](repeating: 0x7F, count: length)
                bytes[position] = 0x80
                #expect(bytes.withUnsafeBufferPointer { $0.isASCII } == false, "length \(length), at \(position)")
            }
            let ascii = [UInt8](repeating: 0x7F, count: length)
            #expect(ascii.withUnsafeBufferPointer { $0.isASCII }, "length \(length)")
        }
    }

    @Test func makeStringRepairsLikeDecoding() {
        for bytes: [UInt8] in [[], Array("Renewal 2027".utf8), Array("Zürich € and more than fifteen".utf8),
                               [0x61, 0xFF, 0x62], [0xE2, 0x82], Array(repeating: 0x41, count: 40) + [0xC3]] {
            let made = bytes.withUnsafeBufferPointer { $0.makeString() }
            #expect(made == String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test(arguments: [("OPP-2001", "ACC-1001"), ("", ""), ("Zürich", "€"), ("a long opportunity id over 15", "x")])
    func concatenatingEqualsInterpolation(opportunity: String, account: String) {
        let joined = String(concatenating: "updated opportunity ", opportunity, " of account ", account)
        #expect(joined == "updated opportunity \(opportunity) of account \(account)")
    }

    @Test(arguments: ["2027-03-31T00:00:00", "", "\u{A0}2027\u{3000}", "Zürich €", "😀x"])
    func scalarArrayEqualsScalarView(text: String) {
        #expect(text.unicodeScalarArray == Array(text.unicodeScalars))
    }
}
