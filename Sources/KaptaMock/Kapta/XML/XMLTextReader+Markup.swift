/// Tags, attributes and names, each read the way WCF's `XmlUTF8TextReader` reads them, so errors
/// carry the same text and position.
extension XMLTextReader {
    // MARK: Elements

    /// Reads a start tag; the offset is just past `<`.
    mutating func readStartTag() throws(XMLReadError) {
        try enterScope()
        let nameStart = offset
        let (prefix, localName) = try readQualifiedName()
        let current = elements.count - 1
        elements[current].qualifiedName = nameStart..<offset
        elements[current].prefix = prefix
        elements[current].localName = localName
        setCurrentElement(isEmpty: false)
        skipWhitespace()
        var next = try byte(at: offset)
        if next != UInt8(ascii: ">") && next != UInt8(ascii: "/") {
            try readAttributes()
            next = try byte(at: offset)
        }
        elements[current].namespace = try namespace(forPrefix: prefix)
        let isEmpty = next == UInt8(ascii: "/")
        if isEmpty {
            offset += 1
        }
        let closing = try byte(at: offset)
        guard closing == UInt8(ascii: ">") else {
            throw fail(XMLMessages.tokenExpected(">", found: Self.shown(closing)))
        }
        offset += 1
        setCurrentElement(isEmpty: isEmpty)
    }

    /// Reads an end tag; the offset is at `/`. The name must repeat the start tag's bytes.
    mutating func readEndTag() throws(XMLReadError) {
        offset += 1
        let expected = elements.last?.qualifiedName ?? 0..<0
        try requireBytes(expected.count)
        let repeatsStartTag = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else {
                return true
            }
            return ASCIIWords.equals(base + offset, base + expected.lowerBound, count: expected.count)
        }
        if !repeatsStartTag {
            let (foundPrefix, foundLocalName) = try readQualifiedName()
            let start = elements.last.map { qualifiedName(prefix: $0.prefix, localName: $0.localName) } ?? ""
            let end = qualifiedName(prefix: foundPrefix, localName: foundLocalName)
            throw fail(XMLMessages.tagMismatch(start: start, end: end))
        }
        offset += expected.count
        if try byte(at: offset) != UInt8(ascii: ">") {
            skipWhitespace()
            let found = try byte(at: offset)
            if found != UInt8(ascii: ">") {
                throw fail(XMLMessages.tokenExpected(">", found: Self.shown(found)))
            }
        }
        offset += 1
        if depth == 0 {
            throw fail(XMLMessages.invalidFormat)
        }
        setEndElement()
    }

    /// Reads `prefix:local` or `local` as WCF does: the first byte always belongs to the name, and
    /// names with other bytes than ASCII name characters go through the NCName check, which
    /// reports at the name's first byte.
    mutating func readQualifiedName() throws(XMLReadError) -> (prefix: Range<Int>, localName: Range<Int>) {
        let start = offset
        var (end, stop, needsCheck) = scanNamePart(from: start)
        if stop != UInt8(ascii: ":") {
            if needsCheck {
                try verifyName(start..<end)
            }
            offset = end
            return (start..<start, start..<end)
        }
        let prefix = start..<end
        let localStart = end + 1
        let local = scanNamePart(from: localStart)
        needsCheck = needsCheck || local.needsCheck
        if needsCheck {
            try verifyName(prefix)
            try verifyName(localStart..<local.end)
        }
        offset = local.end
        return (prefix, localStart..<local.end)
    }

    /// Scans a name part. Returns its end, the byte that ended it (or the last byte taken at the end
    /// of the input), and whether it needs the full NCName check.
    @inline(__always)
    private func scanNamePart(from start: Int) -> (end: Int, stop: UInt8, needsCheck: Bool) {
        guard start < bytes.count else {
            return (start, 0, true)
        }
        let first = bytes[start]
        let end = endOfRun(of: .name, from: start + 1, limit: bytes.count)
        // The byte that stopped the scan, or the last byte taken at the end of the input.
        let stop = end < bytes.count ? bytes[end] : bytes[end - 1]
        let isASCII = bytes.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[start..<end]).isASCII }
        return (end, stop, !characterClass(first).contains(.nameStart) || !isASCII)
    }

    private func verifyName(_ range: Range<Int>) throws(XMLReadError) {
        let name = try decodeValidated(range)
        if name.isEmpty {
            throw .unwrapped(XMLMessages.emptyLocalName)
        }
        if let violation = XMLNameCheck.violation(in: name) {
            throw fail(violation)
        }
    }

    func qualifiedName(prefix: Range<Int>, localName: Range<Int>) -> String {
        prefix.isEmpty ? decodeLossy(localName) : decodeLossy(prefix) + ":" + decodeLossy(localName)
    }

    // MARK: Attributes

    /// Reads attributes up to `>`, `/` or `?`, then resolves their prefixes and rejects duplicates.
    mutating func readAttributes() throws(XMLReadError) {
        while true {
            let (prefix, localName) = try readQualifiedName()
            if try byte(at: offset) != UInt8(ascii: "=") {
                skipWhitespace()
                let found = try byte(at: offset)
                if found != UInt8(ascii: "=") {
                    throw fail(XMLMessages.tokenExpected("=", found: Self.shown(found)))
                }
            }
            offset += 1
            var quote = try byte(at: offset)
            if quote != UInt8(ascii: "\"") && quote != UInt8(ascii: "'") {
                skipWhitespace()
                quote = try byte(at: offset)
                if quote != UInt8(ascii: "\"") && quote != UInt8(ascii: "'") {
                    throw fail(XMLMessages.tokenExpected("\"", found: Self.shown(quote)))
                }
            }
            offset += 1
            let (value, isEscaped) = try readAttributeValue(quote: quote)
            try addAttribute(prefix: prefix, localName: localName, value: value, isEscaped: isEscaped)
            offset += 1
            let spaceStart = offset
            skipWhitespace()
            let next = try byte(at: offset)
            if next == UInt8(ascii: ">") || next == UInt8(ascii: "/") || next == UInt8(ascii: "?") {
                try resolveAttributes()
                return
            }
            if offset == spaceStart {
                throw fail(XMLMessages.whitespaceBetweenAttributes)
            }
        }
    }

    private mutating func readAttributeValue(quote: UInt8) throws(XMLReadError) -> (Range<Int>, Bool) {
        let start = offset
        var isEscaped = false
        while true {
            offset = endOfRun(of: .attributeText, from: offset, limit: bytes.count)
            let next = try byte(at: offset)
            switch next {
            case quote:
                return (start..<offset, isEscaped)
            case UInt8(ascii: "&"):
                _ = try readCharacterReference()
                isEscaped = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                offset += 1
            case ASCII.lineFeed, ASCII.carriageReturn, ASCII.tab:
                offset += 1
                isEscaped = true
            case 0xEF:
                try skipCheckingFFFE()
            default:
                throw fail(XMLMessages.tokenExpected(String(UnicodeScalar(quote)), found: Self.shown(next)))
            }
        }
    }

    /// Records an attribute; `xmlns` and `xmlns:p` declare a namespace for this element at once.
    private mutating func addAttribute(prefix: Range<Int>, localName: Range<Int>, value: Range<Int>,
                                       isEscaped: Bool) throws(XMLReadError) {
        var attribute = Attribute(prefix: prefix, localName: localName, value: value, isEscaped: isEscaped,
                                  isNamespaceDeclaration: false)
        let declaredPrefix: [UInt8]?
        if matches(prefix, "xmlns") {
            declaredPrefix = Array(bytes[localName])
        } else if prefix.isEmpty && matches(localName, "xmlns") {
            declaredPrefix = []
        } else {
            declaredPrefix = nil
        }
        if let declaredPrefix {
            let uri = decodedValue(value, isEscaped: isEscaped)
            if !declaredPrefix.isEmpty && uri.isEmpty {
                throw fail(XMLMessages.emptyNamespaceWithPrefix)
            }
            if declaredPrefix.elementsEqual("xml".utf8) && uri != Self.xmlNamespace {
                let required = String(decoding: Self.xmlNamespace, as: UTF8.self)
                throw fail(XMLMessages.prefixBinding(prefix: "xml", namespace: required))
            }
            if declaredPrefix.elementsEqual("xmlns".utf8) && uri != Self.xmlnsNamespace {
                let required = String(decoding: Self.xmlnsNamespace, as: UTF8.self)
                throw fail(XMLMessages.prefixBinding(prefix: "xmlns", namespace: required))
            }
            declareNamespace(prefix: declaredPrefix, uri: uri)
            attribute.isNamespaceDeclaration = true
            attribute.namespace = .xmlns
        }
        appendAttribute(attribute)
    }

    /// Resolves attribute prefixes, then looks for duplicates as `XmlBaseReader.ProcessAttributes`
    /// does: by local name and namespace, and namespace declarations by prefix.
    private mutating func resolveAttributes() throws(XMLReadError) {
        for index in attributes.indices where !attributes[index].isNamespaceDeclaration {
            let prefix = attributes[index].prefix
            setAttributeNamespace(index, prefix.isEmpty ? .none : try namespace(forPrefix: prefix))
        }
        guard attributes.count > 1 else {
            return
        }
        // WCF compares pairs below 12 attributes and sorts above, which decides the pair it reports.
        if attributes.count < 12 {
            for first in 0..<attributes.count - 1 {
                for second in first + 1..<attributes.count where isDuplicate(attributes[first], attributes[second]) {
                    throw duplicateError(attributes[first], attributes[second])
                }
            }
            return
        }
        var seen: [String: Int] = [:]
        for (index, attribute) in attributes.enumerated() {
            let key = duplicateKey(attribute)
            if let first = seen[key] {
                throw duplicateError(attributes[first], attribute)
            }
            seen[key] = index
        }
    }

    private func isDuplicate(_ first: Attribute, _ second: Attribute) -> Bool {
        guard first.isNamespaceDeclaration == second.isNamespaceDeclaration else {
            return false
        }
        if first.isNamespaceDeclaration {
            return declaredPrefix(first).elementsEqual(declaredPrefix(second))
        }
        return bytes[first.localName].elementsEqual(bytes[second.localName])
            && namespace(first.namespace, is: namespaceBytes(second.namespace))
    }

    private func declaredPrefix(_ attribute: Attribute) -> ArraySlice<UInt8> {
        matches(attribute.prefix, "xmlns") ? bytes[attribute.localName] : []
    }

    private func duplicateKey(_ attribute: Attribute) -> String {
        if attribute.isNamespaceDeclaration {
            let declared = matches(attribute.prefix, "xmlns") ? attribute.localName : 0..<0
            return "\u{1}" + decodeLossy(declared)
        }
        return decodeLossy(attribute.localName) + "\u{0}"
            + String(decoding: namespaceBytes(attribute.namespace), as: UTF8.self)
    }

    private func duplicateError(_ first: Attribute, _ second: Attribute) -> XMLReadError {
        let xmlnsURI = String(decoding: Self.xmlnsNamespace, as: UTF8.self)
        if first.isNamespaceDeclaration {
            let declared = matches(first.prefix, "xmlns") ? decodeLossy(first.localName) : ""
            let name = attributes.count < 12 ? "xmlns:" + declared : (declared.isEmpty ? "xmlns" : "xmlns:" + declared)
            return fail(XMLMessages.duplicateAttribute(name, name, namespace: xmlnsURI))
        }
        return fail(XMLMessages.duplicateAttribute(
            qualifiedName(prefix: first.prefix, localName: first.localName),
            qualifiedName(prefix: second.prefix, localName: second.localName),
            namespace: String(decoding: namespaceBytes(first.namespace), as: UTF8.self)))
    }

    /// Returns the namespace bound to a prefix. `xml` is predefined, and no prefix means the default namespace.
    mutating func namespace(forPrefix prefix: Range<Int>) throws(XMLReadError) -> XMLNamespace {
        if prefix.isEmpty {
            // Looked up without building the empty prefix's bytes: most names have no prefix.
            return innermostDefaultNamespace
        }
        let prefixBytes = Array(bytes[prefix])
        if let index = bindingIndex(forPrefix: prefixBytes) {
            return .binding(index)
        }
        if prefixBytes.elementsEqual("xml".utf8) {
            return .xml
        }
        throw fail(XMLMessages.undefinedPrefix(decodeLossy(prefix)))
    }

    /// Expands references in an attribute value and reads TAB, LF, CR and CR LF as one space, as XML
    /// attribute-value normalization requires. Returns UTF-8 bytes that are not validated.
    func decodedValue(_ range: Range<Int>, isEscaped: Bool) -> [UInt8] {
        guard isEscaped else {
            return Array(bytes[range])
        }
        var output: [UInt8] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let value = bytes[index]
            if value == UInt8(ascii: "&"), let end = bytes[index..<range.upperBound].firstIndex(of: UInt8(ascii: ";")) {
                let scalar = (try? Self.referencedScalar(bytes, index..<end + 1)) ?? 0xFFFD
                output.append(contentsOf: (Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
                index = end + 1
            } else if value == ASCII.carriageReturn {
                output.append(ASCII.space)
                index += index + 1 < range.upperBound && bytes[index + 1] == ASCII.lineFeed ? 2 : 1
            } else {
                output.append(value == ASCII.lineFeed || value == ASCII.tab ? ASCII.space : value)
                index += 1
            }
        }
        return output
    }

    /// Formats a byte as .NET shows a `(char)byte` in "found '...'", which is its Latin-1 character.
    static func shown(_ byte: UInt8) -> String {
        String(UnicodeScalar(byte))
    }
}
