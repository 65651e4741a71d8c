/// Unicode character classes the readers need for non-ASCII input.
///
/// `Unicode.Scalar.Properties` is a resilient type of the standard library: a function that
/// touches it fetches its metadata and sizes a stack slot on every entry, even when the
/// property is never read. These wrappers are never inlined, so only non-ASCII input pays.
enum ScalarProperties {
    /// .NET's `char.IsWhiteSpace` for a scalar.
    @inline(never)
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// A letter or a decimal digit, as .NET's `char.IsLetterOrDigit`.
    @inline(never)
    static func isLetterOrDecimalDigit(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType == .decimal
    }

    /// Whether the text has a scalar that is not white space.
    @inline(never)
    static func containsNonWhiteSpace(_ text: String) -> Bool {
        text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }
}
