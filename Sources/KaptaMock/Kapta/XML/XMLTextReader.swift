// Our own XML reader, written for this fake instead of using Foundation's XMLParser (libxml2).
// XMLParser silently drops references to entities declared in a DTD and cannot reject a DOCTYPE
// the way the service does, but the fake has to fail exactly where the service fails. The service
// reads XML bodies with WCF's text reader (`XmlDictionaryReader.CreateTextReader`, .NET Framework
// 4.x), so this reader follows that reader's node model and checks:
// - a `<!DOCTYPE` or any other `<!` outside the root element is an error, and inside an element
//   only comments and CDATA are allowed. So there is no DTD, and no entity can be declared;
// - only `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;` and character references are expanded;
//   any other entity reference is an error, and nothing is ever fetched;
// - a processing instruction other than the XML declaration is an error;
// - nesting deeper than 256 elements is an error (the quota Web API sets); the reader keeps its
//   open elements in an array, so no recursion depends on the input;
// - positions are counted in bytes of the UTF-8 document, 1-based, as WCF counts them.
// The node splitting (a text run ends at `&`, CR, `]` and after 2048 bytes) matters because the
// serializer reports the position where it stopped.

/// A node type, named as .NET's `XmlNodeType` names it in messages.
enum XMLNodeType: String {
    case none = "None"
    case element = "Element"
    case endElement = "EndElement"
    case text = "Text"
    case cdata = "CDATA"
    case whitespace = "Whitespace"
    case comment = "Comment"
    case xmlDeclaration = "XmlDeclaration"
}

/// The characters of a text, whitespace or CDATA node: raw UTF-8 bytes of the document, not yet
/// validated, or one character from a reference or a line break.
enum XMLNodeValue {
    case bytes(Range<Int>)
    case scalar(UInt32)
}

/// The namespace of an element or attribute. A binding is named by its index in
/// `XMLTextReader.bindings`, which stays valid while the element or attribute is current,
/// so a frame carries no bytes and costs no reference counting.
enum XMLNamespace: Equatable {
    /// No namespace: the empty URI.
    case none
    /// The predefined `xml` prefix's namespace.
    case xml
    /// The namespace of namespace declarations.
    case xmlns
    case binding(Int)
}

/// A pull reader over a UTF-8 XML document with the behaviour of WCF's `XmlUTF8TextReader`.
struct XMLTextReader {
    struct Node {
        var type: XMLNodeType = .none
        var value: XMLNodeValue = .bytes(0..<0)
        var isEmptyElement = false
        /// Offset of the node's first byte, for warnings.
        var start = 0
    }

    struct ElementFrame {
        /// The name as written, which the end tag must repeat byte for byte.
        var qualifiedName: Range<Int>
        var prefix: Range<Int>
        var localName: Range<Int>
        var namespace = XMLNamespace.none
        /// How many namespace bindings were in scope before this element's declarations.
        var outerBindingCount: Int
    }

    struct Attribute {
        var prefix: Range<Int>
        var localName: Range<Int>
        var value: Range<Int>
        /// True when the value contains references or line breaks and needs decoding.
        var isEscaped: Bool
        var isNamespaceDeclaration: Bool
        var namespace = XMLNamespace.none
    }

    struct NamespaceBinding {
        var prefix: [UInt8]
        var uri: [UInt8]
        /// The binding of the same prefix that this one hides, as an index into `bindings`.
        var hiddenBinding: Int?
    }

    /// `XmlDictionaryReaderQuotas.MaxDepth` as ASP.NET Web API's XML formatter sets it.
    static let maxDepth = 256
    /// WCF reads a text or whitespace node in pieces of at most this many bytes.
    static let maxTextChunk = 2048

    static let xmlNamespace = Array("http://www.w3.org/XML/1998/namespace".utf8)
    static let xmlnsNamespace = Array("http://www.w3.org/2000/xmlns/".utf8)

    let bytes: [UInt8]
    /// `XMLCharacterClass.table`, held here so the byte loops skip the static's lazy-init check.
    private let classes = XMLCharacterClass.table
    /// A decoding error of the transport encoding that waits behind the last byte.
    let errorAfterEnd: String?
    var offset = 0
    /// Elements in scope, counting the current element or end element, as WCF's `depth` does.
    private(set) var depth = 0
    private(set) var node = Node()
    var elements: [ElementFrame] = []
    private(set) var attributes: [Attribute] = []
    /// Namespace declarations in scope, in document order.
    private(set) var bindings: [NamespaceBinding] = []
    /// The innermost binding of each prefix, so lookups do not scan every declaration in scope.
    private var innermostBinding: [[UInt8]: Int] = [:]
    private var innermostDefaultBinding: Int?
    private var rootElementSeen = false
    private var hasReadNode = false
    /// The previous node was an empty element or an end element, whose scope closes on the next read.
    private var exitsScopeOnRead = false

    // A non-mutating method called from a mutating one gets a copy of the whole reader
    // (132 bytes) as `self`, which costs more than most helpers' own work. So the small
    // helpers the reading loops call are `@inline(__always)`, and the ones that can throw
    // are `mutating` even where they change nothing (as `byte(at:)` is): the compiler copies
    // the reader for an inlined throwing helper too.
    @inline(__always)
    func characterClass(_ byte: UInt8) -> XMLCharacterClass {
        classes[Int(byte)]
    }

    /// Finds the first byte from `start` on, before `limit`, whose class lacks `runClass`, or
    /// returns `limit`. It scans unchecked buffers, because this is the innermost loop of text,
    /// names and attribute values.
    @inline(__always)
    func endOfRun(of runClass: XMLCharacterClass, from start: Int, limit: Int) -> Int {
        bytes.withUnsafeBufferPointer { text in
            classes.withUnsafeBufferPointer { table in
                var end = start
                while end < limit && table[Int(text[end])].contains(runClass) {
                    end += 1
                }
                return end
            }
        }
    }

    init(document: XMLBodyDecoder.DecodedBody) {
        bytes = document.utf8
        errorAfterEnd = document.errorAfterEnd
    }

    // MARK: Reading nodes

    /// Moves to the next node; false at the end of the document.
    mutating func read() throws(XMLReadError) -> Bool {
        if exitsScopeOnRead {
            exitScope()
        }
        let isFirstRead = !hasReadNode
        hasReadNode = true
        if !attributes.isEmpty {
            attributes.removeAll(keepingCapacity: true)
        }
        guard offset < bytes.count else {
            try moveToEndOfFile()
            return false
        }
        node = Node(start: offset)
        let byte = bytes[offset]
        let byteClass = characterClass(byte)
        if byte == UInt8(ascii: "<") {
            offset += 1
            try readMarkup(isFirstRead: isFirstRead)
        } else if byteClass.contains(.specialWhitespace) {
            readRun(of: .specialWhitespace, as: .whitespace)
        } else if depth == 0 && byte != ASCII.carriageReturn {
            throw fail(XMLMessages.invalidRootData)
        } else if byteClass.contains(.text) {
            readRun(of: .text, as: .text)
        } else if byte == UInt8(ascii: "&") {
            let scalar = try readCharacterReference()
            let isSpace = scalar < 0x100 && characterClass(UInt8(scalar)).contains(.whitespace)
            node.type = isSpace ? .whitespace : .text
            node.value = .scalar(scalar)
        } else if byte == ASCII.carriageReturn {
            try readCarriageReturn()
        } else if byte == UInt8(ascii: "]") {
            try requireBytes(3)
            if bytes[offset + 1] == UInt8(ascii: "]") && bytes[offset + 2] == UInt8(ascii: ">") {
                throw fail(XMLMessages.closeCDataInText)
            }
            offset += 1
            node.type = .text
            node.value = .scalar(UInt32(byte))
        } else if byte == 0xEF {
            let start = offset
            try skipCheckingFFFE()
            node.type = .text
            node.value = .bytes(start..<offset)
        } else {
            throw fail(XMLMessages.invalidByte(byte))
        }
        return true
    }

    private mutating func readMarkup(isFirstRead: Bool) throws(XMLReadError) {
        switch try byte(at: offset) {
        case UInt8(ascii: "/"):
            try readEndTag()
        case UInt8(ascii: "!"):
            offset += 1
            if try byte(at: offset) == UInt8(ascii: "-") {
                try readComment()
            } else if depth == 0 {
                throw fail(XMLMessages.cdataAtTopLevel)
            } else {
                try readCData()
            }
        case UInt8(ascii: "?"):
            try readDeclaration(isFirstRead: isFirstRead)
        default:
            try readStartTag()
        }
    }

    /// Reads a CR. Followed by LF it starts a whitespace node at the LF, and alone it reads as an LF.
    private mutating func readCarriageReturn() throws(XMLReadError) {
        offset += 1
        if offset < bytes.count && bytes[offset] == ASCII.lineFeed {
            node.start = offset
            readRun(of: .specialWhitespace, as: .whitespace)
        } else {
            node.type = .text
            node.value = .scalar(UInt32(ASCII.lineFeed))
        }
    }

    /// Reads bytes of one class into a node, at most `maxTextChunk` of them, without splitting a
    /// UTF-8 sequence at the chunk's end (WCF's `BreakText`).
    private mutating func readRun(of runClass: XMLCharacterClass, as type: XMLNodeType) {
        let start = offset
        let limit = min(bytes.count, start + Self.maxTextChunk)
        var end = endOfRun(of: runClass, from: start, limit: limit)
        end = start + Self.lengthWithoutBrokenSequence(bytes, start: start, length: end - start)
        offset = end
        node.type = type
        node.value = .bytes(start..<end)
    }

    static func lengthWithoutBrokenSequence(_ bytes: [UInt8], start: Int, length: Int) -> Int {
        guard length > 0, bytes[start + length - 1] & 0x80 != 0 else {
            return length
        }
        var keptLength = length
        repeat {
            keptLength -= 1
        } while keptLength > 0 && bytes[start + keptLength] & 0xC0 != 0xC0
        guard keptLength > 0 else {
            return length
        }
        var lead = bytes[start + keptLength] << 2
        var sequenceLength = 2
        while lead & 0x80 != 0 {
            lead <<= 1
            sequenceLength += 1
            if sequenceLength > 4 {
                return length
            }
        }
        return keptLength + sequenceLength == length ? length : keptLength
    }

    // MARK: Scope

    mutating func enterScope() throws(XMLReadError) {
        if depth == 0 {
            if rootElementSeen {
                throw fail(XMLMessages.multipleRootElements)
            }
            rootElementSeen = true
        }
        depth += 1
        elements.append(ElementFrame(qualifiedName: offset..<offset, prefix: offset..<offset,
                                     localName: offset..<offset, outerBindingCount: bindings.count))
        if depth > Self.maxDepth {
            throw fail(XMLMessages.maxDepthExceeded(Self.maxDepth))
        }
    }

    private mutating func exitScope() {
        exitsScopeOnRead = false
        guard let frame = elements.popLast() else {
            return
        }
        depth -= 1
        while bindings.count > frame.outerBindingCount, let binding = bindings.popLast() {
            if binding.prefix.isEmpty {
                innermostDefaultBinding = binding.hiddenBinding
            } else {
                innermostBinding[binding.prefix] = binding.hiddenBinding
            }
        }
    }

    mutating func setCurrentElement(isEmpty: Bool) {
        node.type = .element
        node.isEmptyElement = isEmpty
        exitsScopeOnRead = isEmpty
    }

    mutating func setEndElement() {
        node.type = .endElement
        exitsScopeOnRead = true
    }

    mutating func declareNamespace(prefix: [UInt8], uri: [UInt8]) {
        let index = bindings.count
        if prefix.isEmpty {
            bindings.append(NamespaceBinding(prefix: prefix, uri: uri, hiddenBinding: innermostDefaultBinding))
            innermostDefaultBinding = index
        } else {
            bindings.append(NamespaceBinding(prefix: prefix, uri: uri, hiddenBinding: innermostBinding[prefix]))
            innermostBinding[prefix] = index
        }
    }

    /// Returns the URI bound to a prefix in scope, or nil when the prefix is not declared.
    func boundNamespace(_ prefix: [UInt8]) -> [UInt8]? {
        bindingIndex(forPrefix: prefix).map { bindings[$0].uri }
    }

    /// Returns the index of the binding in scope for a prefix (empty for the default
    /// namespace), or nil when the prefix is not declared.
    @inline(__always)
    func bindingIndex(forPrefix prefix: [UInt8]) -> Int? {
        prefix.isEmpty ? innermostDefaultBinding : innermostBinding[prefix]
    }

    /// The default namespace in scope; no declaration means no namespace.
    @inline(__always)
    var innermostDefaultNamespace: XMLNamespace {
        innermostDefaultBinding.map { .binding($0) } ?? .none
    }

    mutating func appendAttribute(_ attribute: Attribute) {
        attributes.append(attribute)
    }

    mutating func setAttributeNamespace(_ index: Int, _ namespace: XMLNamespace) {
        attributes[index].namespace = namespace
    }

    /// Returns the URI of a namespace as bytes.
    @inline(__always)
    func namespaceBytes(_ namespace: XMLNamespace) -> [UInt8] {
        switch namespace {
        case .none: return []
        case .xml: return Self.xmlNamespace
        case .xmlns: return Self.xmlnsNamespace
        case .binding(let index): return bindings[index].uri
        }
    }

    /// Returns whether a namespace's URI is `uri`. It compares eight bytes at a time, because
    /// `==` on two arrays steps byte by byte and every member element checks its namespace.
    @inline(__always)
    func namespace(_ namespace: XMLNamespace, is uri: [UInt8]) -> Bool {
        Self.bytesEqual(namespaceBytes(namespace), uri)
    }

    static func bytesEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else {
            return false
        }
        return left.withUnsafeBufferPointer { leftBytes in
            right.withUnsafeBufferPointer { rightBytes in
                guard let leftBase = leftBytes.baseAddress, let rightBase = rightBytes.baseAddress else {
                    return true
                }
                return ASCIIWords.equals(leftBase, rightBase, count: leftBytes.count)
            }
        }
    }

    mutating func setNodeType(_ type: XMLNodeType, value: XMLNodeValue = .bytes(0..<0)) {
        node.type = type
        node.value = value
    }

    private mutating func moveToEndOfFile() throws(XMLReadError) {
        if let errorAfterEnd {
            throw .conversion(errorAfterEnd)
        }
        if depth != 0 {
            throw fail(XMLMessages.unexpectedEndOfFile(openElements: openElementNames()))
        }
        node = Node(start: offset)
    }

    /// Local names of the open elements, innermost first, as WCF lists them.
    private func openElementNames() -> String {
        elements.reversed().map { decodeLossy($0.localName) }.joined(separator: ", ")
    }

    // MARK: Bytes and positions

    /// Returns the byte at `index`. Reading past the end is an unexpected end of file.
    mutating func byte(at index: Int) throws(XMLReadError) -> UInt8 {
        guard index < bytes.count else {
            throw endOfFileError()
        }
        return bytes[index]
    }

    /// Fails unless `count` bytes are left from the current offset.
    mutating func requireBytes(_ count: Int) throws(XMLReadError) {
        guard offset + count <= bytes.count else {
            throw endOfFileError()
        }
    }

    private func endOfFileError() -> XMLReadError {
        if let errorAfterEnd {
            return .conversion(errorAfterEnd)
        }
        return fail(XMLMessages.unexpectedEndOfFile(openElements: openElementNames()))
    }

    mutating func skipWhitespace() {
        offset = endOfRun(of: .whitespace, from: offset, limit: bytes.count)
    }

    /// Steps over a character that starts with 0xEF, rejecting U+FFFE and U+FFFF.
    mutating func skipCheckingFFFE() throws(XMLReadError) {
        try requireBytes(3)
        if bytes[offset + 1] == 0xBF && (bytes[offset + 2] == 0xBE || bytes[offset + 2] == 0xBF) {
            throw fail(XMLMessages.invalidFFFE)
        }
        offset += 3
    }

    /// Returns a reader error at the current offset.
    func fail(_ reason: String) -> XMLReadError {
        let (line, position) = lineAndPosition(at: offset)
        return .reader(reason, line: line, position: position)
    }

    /// Returns the 1-based line and byte position of `target`. As in WCF, a line break ends a row,
    /// CR LF counts once, and an offset right at the start of a row still counts to the row before.
    func lineAndPosition(at target: Int) -> (line: Int, position: Int) {
        var line = 1
        var rowStart = 0
        var index = 0
        while index < bytes.count {
            let value = bytes[index]
            if value == ASCII.carriageReturn || value == ASCII.lineFeed {
                if value == ASCII.carriageReturn && index + 1 < bytes.count && bytes[index + 1] == ASCII.lineFeed {
                    index += 1
                }
                guard index + 1 < target else {
                    break
                }
                line += 1
                rowStart = index + 1
            }
            index += 1
        }
        return (line, target - rowStart + 1)
    }

    // MARK: Decoding

    func decodeLossy(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// Decodes document bytes, failing as .NET's validating UTF-8 decoder does on invalid input.
    @inline(__always)
    func decodeValidated(_ range: Range<Int>) throws(XMLReadError) -> String {
        try Self.decodeValidated(bytes, range)
    }

    private static func decodeValidated(_ bytes: [UInt8], _ range: Range<Int>) throws(XMLReadError) -> String {
        let ascii: String? = bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[range])
            return slice.isASCII ? slice.makeString() : nil
        }
        if let ascii {
            return ascii
        }
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw .conversion(XMLMessages.invalidUTF8(String(decoding: bytes[range], as: UTF8.self)))
        }
        return text
    }

    @inline(__always)
    func matches(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else {
            return false
        }
        let literalBytes = literal.utf8Start
        for index in 0..<range.count where bytes[range.lowerBound + index] != literalBytes[index] {
            return false
        }
        return true
    }
}
