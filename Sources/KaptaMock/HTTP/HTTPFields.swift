/// One header or trailer field as it arrived: the name keeps the client's case.
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An ordered list of fields. Order and duplicates are kept because the request journal
/// shows headers exactly as sent, and because some rules (two `Content-Length` fields)
/// depend on seeing every occurrence. Names compare case-insensitively (RFC 9110, 5.1).
public struct HTTPFields: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    private var storage: [HTTPField]

    public init() {
        storage = []
    }

    public init(_ fields: [HTTPField]) {
        storage = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        storage = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }

    public var startIndex: Int { storage.startIndex }
    public var endIndex: Int { storage.endIndex }
    public subscript(position: Int) -> HTTPField { storage[position] }

    /// The first value of the field called `name`, or nil when there is none.
    public subscript(name: String) -> String? {
        storage.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// Every value of the field called `name`, in arrival order.
    public func values(for name: String) -> [String] {
        storage.compactMap { $0.name.equalsIgnoringASCIICase(name) ? $0.value : nil }
    }

    public func contains(_ name: String) -> Bool {
        storage.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    public mutating func append(name: String, value: String) {
        storage.append(HTTPField(name: name, value: value))
    }

    public mutating func append(_ field: HTTPField) {
        storage.append(field)
    }

    /// Replaces every field called `name` with one field holding `value`.
    public mutating func set(_ name: String, to value: String) {
        remove(name)
        storage.append(HTTPField(name: name, value: value))
    }

    public mutating func remove(_ name: String) {
        storage.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    public mutating func reserveCapacity(_ count: Int) {
        storage.reserveCapacity(count)
    }
}

extension StringProtocol {
    /// Compares ASCII letters without regard to case, and every other byte exactly.
    /// Field names, methods, media types and schemes are ASCII tokens, so this is the
    /// comparison HTTP asks for and costs no Unicode case folding.
    func equalsIgnoringASCIICase<Other: StringProtocol>(_ other: Other) -> Bool {
        guard utf8.count == other.utf8.count else {
            return false
        }
        return withUTF8Buffer { left in
            other.withUTF8Buffer { right in ASCII.equalsIgnoringCase(left, right) }
        }
    }

    func hasPrefixIgnoringASCIICase(_ prefix: String) -> Bool {
        guard utf8.count >= prefix.utf8.count else {
            return false
        }
        return withUTF8Buffer { text in
            prefix.withUTF8Buffer { start in
                ASCII.equalsIgnoringCase(UnsafeBufferPointer(rebasing: text[..<start.count]), start)
            }
        }
    }
}
