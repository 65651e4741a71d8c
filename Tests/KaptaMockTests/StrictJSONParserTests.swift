import Testing
@testable import KaptaMock

@Suite struct StrictJSONParserTests {
    private func parseError(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try StrictJSONParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryValueKind() throws {
        let value = try StrictJSONParser.parse(#" {"a": [1, -2.5e3, true, false, null], "b": "x\u00e9\ud83d\ude00\n"} "#)
        let expected = JSONValue.object([
            JSONMember(key: "a", value: .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
            JSONMember(key: "b", value: .string("xé😀\n")),
        ])
        #expect(value == expected)
    }

    @Test func keepsNumberTextAndMemberOrder() throws {
        let value = try StrictJSONParser.parse(#"{"z":125000.50,"a":0}"#)
        #expect(value == .object([JSONMember(key: "z", value: .number("125000.50")),
                                  JSONMember(key: "a", value: .number("0"))]))
    }

    @Test func skipsUTF8ByteOrderMark() throws {
        let value = try StrictJSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[]".utf8))
        #expect(value == .array([]))
    }

    @Test(arguments: [
        ("", "line 1, column 1 (at $): invalid JSON: the document is empty; expected a JSON value"),
        ("{\"a\":1,}", "line 1, column 8 (at $.a): invalid JSON: unexpected '}'; expected a member name in double quotes"),
        ("[1,]", "line 1, column 4 (at $[1]): invalid JSON: unexpected ']'; expected a JSON value"),
        ("{'a':1}", "line 1, column 2 (at $): invalid JSON: unexpected '''; expected a member name in double quotes"),
        ("{\"a\":1}x", "line 1, column 8 (at $): invalid JSON: unexpected 'x' after the end of the JSON value"),
        ("{\"a\":1,\n \"a\":2}", "line 2, column 2 (at $.a): invalid JSON: duplicate key \"a\"; each key may appear once in an object"),
        ("[01]", "line 1, column 3 (at $[0]): invalid JSON: a number must not have a leading zero"),
        ("[1.]", "line 1, column 4 (at $[0]): invalid JSON: unexpected ']' in a number; expected digits after the decimal point"),
        ("[tru]", "line 1, column 2 (at $[0]): invalid JSON: unexpected \"tru\"; expected a JSON value (strings need double quotes)"),
        ("// c\n{}", "line 1, column 1 (at $): invalid JSON: unexpected '/'; expected a JSON value"),
        ("[\"a\tb\"]", "line 1, column 4 (at $[0]): invalid JSON: control character U+0009 in a string; write it as an escape such as \\n"),
        ("[\"\\x\"]", "line 1, column 4 (at $[0]): invalid JSON: invalid escape \\'x'; allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"),
        ("[\"\\ud800\"]", "line 1, column 9 (at $[0]): invalid JSON: high surrogate \\ud800 is not followed by a low surrogate"),
        ("[\"\\udc00\"]", "line 1, column 9 (at $[0]): invalid JSON: lone low surrogate \\udc00"),
        ("{\"a\" 1}", "line 1, column 6 (at $): invalid JSON: unexpected '1'; expected ':' after the member name"),
        ("[\"abc", "line 1, column 2 (at $[0]): invalid JSON: unterminated string"),
        ("{\"a\":[1 2]}", "line 1, column 9 (at $.a[1]): invalid JSON: unexpected '2'; expected ',' or ']' after an array element"),
    ])
    func reportsSyntaxError(input: String, expected: String) {
        #expect(parseError(input)?.description == expected)
    }

    @Test func rejectsInvalidUTF8InString() {
        let error = try? #require(throws: JSONSyntaxError.self) {
            try StrictJSONParser.parse([UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")])
        }
        #expect(error?.message == "the string is not valid UTF-8; JSON text must be UTF-8 (RFC 8259, 8.1)")
    }

    @Test func limitsDepthWithoutRecursion() {
        let deep = String(repeating: "[", count: 100_000)
        let error = parseError(deep)
        #expect(error?.message == "nesting is deeper than 64 levels")
    }

    @Test func acceptsMaximumDepth() throws {
        let text = String(repeating: "[", count: StrictJSONParser.maxDepth) + String(repeating: "]", count: StrictJSONParser.maxDepth)
        #expect(throws: Never.self) { try StrictJSONParser.parse(text) }
    }

    @Test func pathQuotesKeysThatAreNotIdentifiers() {
        let path = JSONPath.root.appending(key: "tenants").appending(index: 0).appending(key: "Renewal Date")
        #expect(path.description == #"$.tenants[0]["Renewal Date"]"#)
    }
}
