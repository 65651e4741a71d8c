/// A problem at one place of a JSON document: what is wrong there and what is allowed.
struct ConfigIssue: Error, Sendable, Equatable {
    var path: JSONPath
    var message: String
}

/// A JSON value together with its path, so each reader can report exactly where a value
/// is wrong. Every accessor throws a `ConfigIssue` naming the expected type.
struct ConfigNode {
    let value: JSONValue
    let path: JSONPath

    func issue(_ message: String) -> ConfigIssue {
        ConfigIssue(path: path, message: message)
    }

    private func typeMismatch(_ expected: String) -> ConfigIssue {
        issue("expected \(expected), found \(value.typeName)")
    }

    /// The value as an object whose keys must all be in `allowedKeys`.
    func object(allowedKeys: [String]) throws(ConfigIssue) -> ConfigObject {
        guard case .object(let members) = value else {
            throw typeMismatch("an object")
        }
        for member in members where !allowedKeys.contains(member.key) {
            let keyPath = path.appending(key: member.key)
            let allowed = allowedKeys.joined(separator: ", ")
            throw ConfigIssue(path: keyPath, message: "unknown key; allowed keys: " + allowed)
        }
        return ConfigObject(members: members, path: path)
    }

    /// Returns the members of an object whose keys are data, such as header names.
    func members() throws(ConfigIssue) -> [JSONMember] {
        guard case .object(let members) = value else {
            throw typeMismatch("an object")
        }
        return members
    }

    func array() throws(ConfigIssue) -> [ConfigNode] {
        guard case .array(let elements) = value else {
            throw typeMismatch("an array")
        }
        return elements.enumerated().map { ConfigNode(value: $0.element, path: path.appending(index: $0.offset)) }
    }

    func string() throws(ConfigIssue) -> String {
        guard case .string(let text) = value else {
            throw typeMismatch("a string")
        }
        return text
    }

    /// Reads a string for an id, stage or custom field name. It must not be empty and must
    /// not contain a control character or white space at either end, because such a value
    /// looks equal to another that it does not match.
    func trimmedString() throws(ConfigIssue) -> String {
        let text = try string()
        if let problem = Self.trimmedStringProblem(text) {
            throw issue(problem)
        }
        return text
    }

    /// Returns why `text` breaks the rule of `trimmedString()`, or nil when it follows it.
    /// The admin API applies the same rule to ids in its URLs.
    static func trimmedStringProblem(_ text: String) -> String? {
        if text.isEmpty {
            return emptyStringProblem
        }
        if text.trimmingWhiteSpace() != text {
            return "\(ControlEscaping.quoted(text)) has white space at the start or end; remove it"
        }
        if text.containsControlCharacter {
            return "\(ControlEscaping.quoted(text)) contains a control character"
        }
        return nil
    }

    private static let emptyStringProblem = "must not be empty"

    /// Reads free text such as an opportunity's or account's name: any characters, control
    /// characters and surrounding white space included, as long as one is not white space.
    /// That is the rule of ASP.NET's `[Required]` on the Kapta PUT's Name, which stores the
    /// rest as sent, so the tenant GET output reads back unchanged.
    func requiredText() throws(ConfigIssue) -> String {
        let text = try nonEmptyString()
        guard ModelValidator.containsNonWhiteSpace(text) else {
            throw issue("\(ControlEscaping.quoted(text)) contains only white space")
        }
        return text
    }

    private func nonEmptyString() throws(ConfigIssue) -> String {
        let text = try string()
        guard !text.isEmpty else {
            throw issue(Self.emptyStringProblem)
        }
        return text
    }

    func bool() throws(ConfigIssue) -> Bool {
        guard case .bool(let flag) = value else {
            throw typeMismatch("true or false")
        }
        return flag
    }

    /// Reads an integer written without fraction or exponent, inside `range`. `80.0` and `8e3`
    /// get a message of their own, because "out of range" would be wrong for them.
    func integer(in range: ClosedRange<Int>) throws(ConfigIssue) -> Int {
        let allowed = "an integer from \(range.lowerBound) to \(range.upperBound)"
        guard case .number(let text) = value else {
            throw typeMismatch(allowed)
        }
        guard !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) else {
            throw issue("\(text) is not an integer; it must be \(allowed), written without a fraction or exponent")
        }
        guard let number = Int(text), range.contains(number) else {
            throw issue("\(text) is out of range; expected \(allowed)")
        }
        return number
    }

    /// A string that must be one of `allowed`, compared exactly.
    func oneOf(_ allowed: [String]) throws(ConfigIssue) -> String {
        let text = try string()
        guard allowed.contains(text) else {
            throw issue("invalid value \(ControlEscaping.quoted(text)); allowed values: " + allowed.joined(separator: ", "))
        }
        return text
    }

    func stringArray() throws(ConfigIssue) -> [String] {
        var strings: [String] = []
        for element in try array() {
            strings.append(try element.trimmedString())
        }
        return strings
    }
}

/// The members of one JSON object, already checked for unknown keys.
struct ConfigObject {
    let members: [JSONMember]
    let path: JSONPath

    /// Returns the member called `key`, or nil when it is absent or `null`. An explicit null
    /// means "use the default", as leaving the key out does.
    func optional(_ key: String) -> ConfigNode? {
        guard let member = members.first(where: { $0.key == key }), member.value != .null else {
            return nil
        }
        return ConfigNode(value: member.value, path: path.appending(key: key))
    }

    func required(_ key: String) throws(ConfigIssue) -> ConfigNode {
        guard let node = optional(key) else {
            let present = members.contains { $0.key == key }
            let problem = present ? "must not be null" : "missing required key"
            throw ConfigIssue(path: path.appending(key: key), message: problem)
        }
        return node
    }

    func contains(_ key: String) -> Bool {
        members.contains { $0.key == key }
    }
}
