/// The `XmlReader` operations DataContractSerializer calls, with the semantics of WCF's
/// `XmlBaseReader`: moving to content, reading element text, skipping subtrees.
extension XMLTextReader {
    @inline(__always)
    var currentElement: ElementFrame? {
        elements.last
    }

    var localName: String {
        guard node.type == .element || node.type == .endElement, let frame = currentElement else {
            return ""
        }
        return decodeLossy(frame.localName)
    }

    var namespaceURI: String {
        guard node.type == .element || node.type == .endElement, let frame = currentElement else {
            return ""
        }
        return String(decoding: namespaceBytes(frame.namespace), as: UTF8.self)
    }

    @inline(__always)
    func isElement(localName: StaticString, namespace: [UInt8]) -> Bool {
        guard node.type == .element, !elements.isEmpty else {
            return false
        }
        let index = elements.count - 1
        return matches(elements[index].localName, localName) && self.namespace(elements[index].namespace, is: namespace)
    }

    /// Skips whitespace, comments, the declaration and text that is only white space. Stops at an
    /// element, an end element, other text or CDATA, or the end of the document.
    mutating func moveToContent() throws(XMLReadError) -> XMLNodeType {
        while true {
            switch node.type {
            case .element, .endElement:
                return node.type
            case .text, .cdata:
                if !isWhitespaceValue(node.value) {
                    return node.type
                }
            case .none, .whitespace, .comment, .xmlDeclaration:
                break
            }
            guard try read() else {
                return node.type
            }
        }
    }

    /// `XmlBaseReader.IsStartElement()`: reads the first node if none was read, then moves to content.
    mutating func isStartElement() throws(XMLReadError) -> Bool {
        switch node.type {
        case .element:
            return true
        case .endElement:
            return false
        default:
            return try moveToContent() == .element
        }
    }

    mutating func isStartElement(localName: StaticString, namespace: [UInt8]) throws(XMLReadError) -> Bool {
        guard try isStartElement() else {
            return false
        }
        return isElement(localName: localName, namespace: namespace)
    }

    /// `XmlDictionaryReader.ReadContentAsString`: joins text, whitespace and CDATA, skips comments,
    /// and stops at an element, an end element or the end of the document.
    mutating func readContentAsString() throws(XMLReadError) -> String {
        var result = ""
        while true {
            switch node.type {
            case .text, .whitespace, .cdata:
                if result.isEmpty, case .bytes(let range) = node.value {
                    // Most content is one text node: take its string as the result instead
                    // of appending it to an empty one.
                    result = try decodeValidated(range)
                } else {
                    try appendValue(node.value, to: &result)
                }
            case .comment:
                break
            case .none, .element, .endElement, .xmlDeclaration:
                return result
            }
            _ = try read()
        }
    }

    /// `XmlBaseReader.ReadElementContentAsString` on a start element.
    mutating func readElementContentAsString() throws(XMLReadError) -> String {
        if node.isEmptyElement {
            _ = try read()
            return ""
        }
        _ = try read()
        let text = try readContentAsString()
        try readEndElement()
        return text
    }

    /// `XmlBaseReader.ReadEndElement`: the next content must be the end of the open element.
    mutating func readEndElement() throws(XMLReadError) {
        if node.type != .endElement, try moveToContent() != .endElement {
            let enclosingDepth = node.type == .element ? depth - 1 : depth
            guard enclosingDepth > 0 else {
                throw .unwrapped(XMLMessages.noOpenElement)
            }
            let frame = elements[enclosingDepth - 1]
            throw fail(XMLMessages.endElementExpected(localName: decodeLossy(frame.localName),
                                                      namespace: String(decoding: namespaceBytes(frame.namespace),
                                                                        as: UTF8.self),
                                                      found: describeNode()))
        }
        _ = try read()
    }

    /// `XmlReader.Skip`: past the current element and its content, or past the current node.
    mutating func skip() throws(XMLReadError) {
        guard node.type == .element && !node.isEmptyElement else {
            _ = try read()
            return
        }
        let elementDepth = depth
        while try read() {
            if node.type == .endElement && depth == elementDepth {
                _ = try read()
                return
            }
        }
    }

    /// Describes the current node as `XmlExceptionHelper.GetWhatWasFound` does.
    private func describeNode() -> String {
        switch node.type {
        case .element:
            let name = currentElement.map { qualifiedName(prefix: $0.prefix, localName: $0.localName) } ?? ""
            return "element '\(name)' from namespace '\(namespaceURI)'"
        case .endElement:
            let name = currentElement.map { qualifiedName(prefix: $0.prefix, localName: $0.localName) } ?? ""
            return "end element '\(name)' from namespace '\(namespaceURI)'"
        case .text, .whitespace:
            return "text '\(lossyValue(node.value))'"
        case .cdata:
            return "cdata '\(lossyValue(node.value))'"
        case .comment:
            return "comment '\(lossyValue(node.value))'"
        case .none:
            return "end of file"
        case .xmlDeclaration:
            return "node XmlDeclaration"
        }
    }

    // MARK: Values

    @inline(__always)
    private func isWhitespaceValue(_ value: XMLNodeValue) -> Bool {
        switch value {
        case .bytes(let range):
            return bytes[range].allSatisfy { $0 == ASCII.space || $0 == ASCII.tab || $0 == ASCII.lineFeed
                || $0 == ASCII.carriageReturn }
        case .scalar(let scalar):
            return scalar == 0x20 || scalar == 0x09 || scalar == 0x0A || scalar == 0x0D
        }
    }

    private func appendValue(_ value: XMLNodeValue, to result: inout String) throws(XMLReadError) {
        switch value {
        case .bytes(let range):
            result += try decodeValidated(range)
        case .scalar(let scalar):
            result.unicodeScalars.append(Unicode.Scalar(scalar) ?? "\u{FFFD}")
        }
    }

    private func lossyValue(_ value: XMLNodeValue) -> String {
        switch value {
        case .bytes(let range):
            return decodeLossy(range)
        case .scalar(let scalar):
            return String(Unicode.Scalar(scalar) ?? "\u{FFFD}")
        }
    }

    /// Decodes an attribute's value as the serializer reads it, failing on invalid UTF-8.
    func attributeValue(_ attribute: Attribute) throws(XMLReadError) -> String {
        let decoded = decodedValue(attribute.value, isEscaped: attribute.isEscaped)
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw .conversion(XMLMessages.invalidUTF8(String(decoding: decoded, as: UTF8.self)))
        }
        return text
    }

    /// Returns the namespace bound to a prefix written in an attribute value such as `i:type="p:Name"`,
    /// or nil when the prefix is not declared.
    func namespaceURI(forPrefix prefix: String) -> [UInt8]? {
        if let uri = boundNamespace(Array(prefix.utf8)) {
            return uri
        }
        if prefix.isEmpty {
            return []
        }
        return prefix == "xml" ? Self.xmlNamespace : nil
    }
}
