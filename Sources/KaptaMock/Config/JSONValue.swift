/// A JSON value as `StrictJSONParser` reads it.
///
/// Numbers keep their text, so a decimal such as `125000.50` reaches the model with its
/// scale, and object members keep their order, so error messages and listings follow the file.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written, already checked against the grammar of RFC 8259, 6.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The JSON type name used in error messages ("expected a string, found an array").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A location inside a JSON document, written as a JSONPath (`$.tenants[0].users[2].scope`).
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    private var components: [Component]

    private enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// `$`, the root of the document.
    public static let root = JSONPath(components: [])

    public func appending(key: String) -> JSONPath {
        JSONPath(components: components + [.key(key)])
    }

    public func appending(index: Int) -> JSONPath {
        JSONPath(components: components + [.index(index)])
    }

    /// Dot notation for keys that are identifiers, bracket notation with a quoted string for
    /// any other key, so every path can be pasted into a JSONPath tool.
    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where JSONPath.isIdentifier(key):
                text += "." + key
            case .key(let key):
                text += "[" + ControlEscaping.quoted(key) + "]"
            }
        }
        return text
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !ASCII.isDigit(first) else {
            return false
        }
        return key.utf8.allSatisfy { byte in
            ASCII.isDigit(byte) || (byte | 0x20) &- 0x61 < 26 || byte == UInt8(ascii: "_")
        }
    }
}
