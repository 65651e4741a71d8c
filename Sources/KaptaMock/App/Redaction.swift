/// Removes credentials from what the journal stores, so `GET /__admin/requests` and logs
/// never show an access token, admin token, password or client secret.
enum Redaction {
    static let placeholder = "[redacted]"

    /// Form and query parameters of the logon endpoints that carry secrets: the OAuth 2.0
    /// password grant's `password`, the client's `client_secret`, and the code and tokens
    /// of RFC 6749, 4.1 that act as credentials themselves.
    static let sensitiveParameters: Set<String> = [
        "password", "client_secret", "code", "access_token", "refresh_token",
    ]

    /// Header fields whose values are credentials (RFC 9110, 11.6.2 and 11.7.2), plus cookies.
    static let sensitiveFields = ["Authorization", "Proxy-Authorization", "Cookie"]

    /// Returns the fields in order, with each credential replaced. `Authorization` keeps its scheme
    /// as sent (`token [redacted]`), because which scheme a client sent is often the bug. It keeps
    /// only a well-known scheme, because a value without a scheme starts with the token itself.
    static func fields(_ fields: HTTPFields) -> [HTTPField] {
        fields.map { field in
            guard sensitiveFields.contains(where: { field.name.equalsIgnoringASCIICase($0) }) else {
                return field
            }
            let scheme = AuthorizationScheme.firstWord(of: field.value)
            guard !field.name.equalsIgnoringASCIICase("Cookie"), scheme.utf8.count < field.value.utf8.count,
                  AuthorizationScheme.wellKnownName(scheme) != nil else {
                return HTTPField(name: field.name, value: placeholder)
            }
            return HTTPField(name: field.name, value: scheme + " " + placeholder)
        }
    }

    /// Returns the target with the values of sensitive query parameters replaced.
    static func target(_ target: String) -> String {
        guard let mark = target.firstIndex(ofByte: ASCII.questionMark) else {
            return target
        }
        let query = Array(target.utf8[target.utf8.index(after: mark)...])
        return target[...mark] + String(decoding: formEncoded(query), as: UTF8.self)
    }

    /// `a=1&password=x` becomes `a=1&password=[redacted]`. A name is compared after
    /// percent-decoding, as the form reader decodes it (`pass%77ord` is `password`, RFC 3986,
    /// 2.1), and a name that does not decode keeps no value, because it cannot be checked.
    /// Works on bytes, so a body that is not UTF-8 is redacted too.
    static func formEncoded(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for (index, pair) in bytes.split(separator: ASCII.ampersand, omittingEmptySubsequences: false).enumerated() {
            if index > 0 {
                output.append(ASCII.ampersand)
            }
            guard let equals = pair.firstIndex(of: ASCII.equals) else {
                output.append(contentsOf: pair)
                continue
            }
            let name = try? FormURLEncoded.decodeComponent(pair[..<equals])
            guard let name, !sensitiveParameters.contains(name.lowercased()) else {
                output.append(contentsOf: pair[...equals])
                output.append(contentsOf: placeholder.utf8)
                continue
            }
            output.append(contentsOf: pair)
        }
        return output
    }

    /// Returns the request body with form-encoded secrets replaced. Only form bodies carry
    /// secrets, because the Kapta endpoint's JSON and XML bodies contain opportunity data.
    static func requestBody(_ body: [UInt8], fields: HTTPFields) -> [UInt8] {
        guard let contentType = fields["Content-Type"],
              contentType.hasPrefixIgnoringASCIICase("application/x-www-form-urlencoded") else {
            return body
        }
        return formEncoded(body)
    }

    /// Returns the response body with the value of every `"access_token":"..."` member
    /// replaced, because the logon endpoints send the user's token in a JSON body.
    static func responseBody(_ body: [UInt8]) -> [UInt8] {
        let key = Array(#""access_token":""#.utf8)
        guard body.count >= key.count else {
            return body
        }
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var index = 0
        while index < body.count {
            guard body[index...].starts(with: key) else {
                output.append(body[index])
                index += 1
                continue
            }
            output.append(contentsOf: key)
            index += key.count
            while index < body.count, body[index] != UInt8(ascii: "\"") {
                // A backslash escapes the next byte, so an escaped quote does not end the value.
                index += body[index] == ASCII.backslash ? 2 : 1
            }
            output.append(contentsOf: placeholder.utf8)
        }
        return output
    }
}
