/// Character references, comments, CDATA sections and the XML declaration, read the way WCF's
/// `XmlUTF8TextReader` reads them.
extension XMLTextReader {
    // MARK: References

    /// Reads `&...;` up to the next `;` wherever it is, and returns the character it names. Only
    /// the five predefined entities and decimal or `&#x` references exist; WCF does not check that
    /// the referenced character is allowed in XML, and neither does this.
    mutating func readCharacterReference() throws(XMLReadError) -> UInt32 {
        let start = offset
        var end = offset + 1
        while try byte(at: end) != UInt8(ascii: ";") {
            end += 1
        }
        guard let scalar = try? Self.referencedScalar(bytes, start..<end + 1) else {
            throw fail(XMLMessages.invalidCharacterReference)
        }
        offset = end + 1
        return scalar
    }

    struct InvalidReference: Error {}

    /// Returns the character that a complete reference (`&` through `;`) names.
    static func referencedScalar(_ bytes: [UInt8], _ range: Range<Int>) throws(InvalidReference) -> UInt32 {
        let length = range.count
        guard length >= 3 else {
            throw InvalidReference()
        }
        let name = bytes[range.lowerBound + 1..<range.upperBound - 1]
        if name.first == UInt8(ascii: "#") {
            let isHex = name.dropFirst().first == UInt8(ascii: "x")
            var value: UInt32 = 0
            for digit in name.dropFirst(isHex ? 2 : 1) {
                let digitValue: UInt8?
                if isHex {
                    digitValue = ASCII.hexValue(digit)
                } else {
                    digitValue = ASCII.isDigit(digit) ? digit - 0x30 : nil
                }
                guard let digitValue else {
                    throw InvalidReference()
                }
                value = value * (isHex ? 16 : 10) + UInt32(digitValue)
                guard value <= 0x10FFFF else {
                    throw InvalidReference()
                }
            }
            return value
        }
        let predefined: [(name: String, character: UInt8)] = [
            ("lt", UInt8(ascii: "<")), ("gt", UInt8(ascii: ">")), ("amp", UInt8(ascii: "&")),
            ("quot", UInt8(ascii: "\"")), ("apos", UInt8(ascii: "'")),
        ]
        guard let match = predefined.first(where: { name.elementsEqual($0.name.utf8) }) else {
            throw InvalidReference()
        }
        return UInt32(match.character)
    }

    // MARK: Comments, CDATA and the declaration

    /// Reads a comment; the offset is at the first `-` after `<!`.
    mutating func readComment() throws(XMLReadError) {
        offset += 1
        let second = try byte(at: offset)
        guard second == UInt8(ascii: "-") else {
            throw fail(XMLMessages.tokenExpected("--", found: Self.shown(second)))
        }
        offset += 1
        let start = offset
        while true {
            let value = try byte(at: offset)
            if value == UInt8(ascii: "-") {
                try requireBytes(3)
                if bytes[offset + 1] == UInt8(ascii: "-") {
                    guard bytes[offset + 2] == UInt8(ascii: ">") else {
                        throw fail(XMLMessages.invalidCommentCharacters)
                    }
                    break
                }
                offset += 1
            } else if characterClass(value).contains(.comment) {
                offset += 1
            } else if value == 0xEF {
                try skipCheckingFFFE()
            } else {
                throw fail(XMLMessages.invalidByte(value))
            }
        }
        setNodeType(.comment, value: .bytes(start..<offset))
        offset += 3
    }

    /// Reads a CDATA section inside an element; the offset is just past `<!`. WCF keeps its bytes
    /// as they are, CR and control characters included.
    mutating func readCData() throws(XMLReadError) {
        try requireBytes(7)
        let opener = offset..<offset + 7
        guard matches(opener, "[CDATA[") else {
            throw fail(XMLMessages.tokenExpected("[CDATA[", found: decodeLossy(opener)))
        }
        offset += 7
        let start = offset
        while true {
            let value = try byte(at: offset)
            if value == UInt8(ascii: "]") {
                try requireBytes(3)
                if bytes[offset + 1] == UInt8(ascii: "]") && bytes[offset + 2] == UInt8(ascii: ">") {
                    break
                }
                offset += 1
            } else if value == 0xEF {
                try skipCheckingFFFE()
            } else {
                offset += 1
            }
        }
        setNodeType(.cdata, value: .bytes(start..<offset))
        offset += 3
    }

    /// Reads `<?xml ...?>`; the offset is at `?`. Anything else after `<?` is an unsupported
    /// processing instruction, and the declaration must be the document's first node.
    mutating func readDeclaration(isFirstRead: Bool) throws(XMLReadError) {
        try requireBytes(5)
        guard matches(offset..<offset + 4, "?xml"),
              characterClass(bytes[offset + 4]).contains(.whitespace) else {
            throw fail(XMLMessages.processingInstruction)
        }
        guard isFirstRead else {
            throw fail(XMLMessages.declarationNotFirst)
        }
        offset += 5
        skipWhitespace()
        try readAttributes()
        try requireBytes(2)
        let closer = offset..<offset + 2
        guard matches(closer, "?>") else {
            throw fail(XMLMessages.tokenExpected("?>", found: decodeLossy(closer)))
        }
        offset += 2
        try checkDeclarationAttributes()
        setNodeType(.xmlDeclaration)
    }

    /// `XmlBaseReader.MoveToDeclaration`: `version="1.0"` first, then `encoding` with any value,
    /// then `standalone` with `yes` or `no`, and nothing else.
    private func checkDeclarationAttributes() throws(XMLReadError) {
        guard !attributes.isEmpty else {
            throw fail(XMLMessages.declarationMissingVersion)
        }
        guard attributes.count <= 3 else {
            throw fail(XMLMessages.malformedDeclaration)
        }
        guard try declarationAttribute(0, is: "version") else {
            throw fail(XMLMessages.declarationMissingVersion)
        }
        if !decodedValue(attributes[0].value, isEscaped: attributes[0].isEscaped).elementsEqual("1.0".utf8) {
            throw fail(XMLMessages.invalidVersion)
        }
        guard attributes.count > 1 else {
            return
        }
        if try declarationAttribute(1, is: "encoding") {
            if attributes.count == 3, try !isStandalone(2) {
                throw fail(XMLMessages.malformedDeclaration)
            }
        } else if try !isStandalone(1) || attributes.count > 2 {
            throw fail(XMLMessages.malformedDeclaration)
        }
    }

    private func declarationAttribute(_ index: Int, is name: StaticString) throws(XMLReadError) -> Bool {
        guard attributes[index].prefix.isEmpty else {
            throw fail(XMLMessages.malformedDeclaration)
        }
        return matches(attributes[index].localName, name)
    }

    private func isStandalone(_ index: Int) throws(XMLReadError) -> Bool {
        guard try declarationAttribute(index, is: "standalone") else {
            return false
        }
        let value = decodedValue(attributes[index].value, isEscaped: attributes[index].isEscaped)
        guard value.elementsEqual("yes".utf8) || value.elementsEqual("no".utf8) else {
            throw fail(XMLMessages.invalidStandalone)
        }
        return true
    }
}
