/// Well-known HTTP authentication schemes (RFC 9110, 11.1), the only first words of an
/// `Authorization` value that reasons, warnings, logs and the journal may show. A client that
/// sends its credential without a scheme puts the secret in that first word, so any other
/// word is never echoed.
enum AuthorizationScheme {
    /// Schemes of the IANA HTTP Authentication Scheme Registry, plus Microsoft's unregistered
    /// NTLM and Kapta's own `token`, each in its usual spelling.
    static let wellKnownNames = [
        "Basic", "Bearer", "Concealed", "Digest", "DPoP", "GNAP", "HOBA", "Mutual", "Negotiate", "NTLM", "OAuth",
        "PrivateToken", "SCRAM-SHA-1", "SCRAM-SHA-256", "token", "vapid",
    ]

    /// Returns the usual spelling of `word` when it names a well-known scheme, compared without
    /// regard to ASCII case as RFC 9110, 11.1 requires, and nil for any other word.
    static func wellKnownName(_ word: some StringProtocol) -> String? {
        wellKnownNames.first { word.equalsIgnoringASCIICase($0) }
    }

    /// Returns the first word of an `Authorization` value, up to the first space or tab.
    static func firstWord(of value: String) -> Substring {
        let trimmed = value.drop { $0 == " " || $0 == "\t" }
        return trimmed.prefix { $0 != " " && $0 != "\t" }
    }
}
