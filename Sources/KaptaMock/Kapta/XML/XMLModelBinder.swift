/// Binds `UpdateOpportunityModel` from XML the way `DataContractSerializer` reads a POCO type that
/// has no `[DataContract]` attribute (.NET Framework 4.x, `XmlFormatReaderGenerator` and
/// `XmlObjectSerializerReadContext`):
/// - the root is `UpdateOpportunityModel` in the contract namespace, or the read fails;
/// - members come in ordinal order, and the scan only moves forward. An element that is out of
///   order, unknown, repeated, in another namespace or of other letter case is skipped, so its
///   member keeps its default (the fake adds a warning for each);
/// - `i:nil="true"` gives null, which fails on the non-nullable `CloseDate` and `Value`;
/// - a missing `CloseDate` or `Value` keeps `default(DateTime)` or `0` (the fake warns);
/// - `CustomFields` contains `UDFFieldModel` elements, and other elements inside it are skipped.
struct XMLModelBinder {
    static let contractNamespace = Array("http://schemas.datacontract.org/2004/07/KAPTA.Domain.ViewModel.v1".utf8)
    static let modelMembers: [StaticString] = ["CloseDate", "CustomFields", "Description", "Name", "OpportunityID",
                                               "Stage", "Value"]
    static let fieldMembers: [StaticString] = ["DatetimeValue", "DoubleValue", "FieldName", "StringValue", "Type"]
    /// Skipped-element warnings listed one by one; the rest are counted.
    static let maxListedSkips = 20

    private(set) var reader: XMLTextReader
    private(set) var warnings: [String] = []
    private var skippedCount = 0
    private var objects = XMLObjectTable()
    /// `XmlReaderDelegator.isEndOfEmptyElement`: an empty element reads as a start and an end.
    private var isAtEndOfEmptyElement = false

    init(reader: XMLTextReader) {
        self.reader = reader
    }

    /// Reads the whole body; nil when the root element carries `i:nil="true"`.
    mutating func bind() throws(XMLReadError) -> UpdateOpportunityModel? {
        let rootName: StaticString = "UpdateOpportunityModel"
        guard try isStartElement(rootName) else {
            throw unexpectedNode("Expecting element '\(rootName)' from namespace '\(Self.namespaceText)'.")
        }
        let attributes = try reader.serializerAttributes()
        if let ref = attributes.ref {
            try skip()
            throw castError(try objects.object(for: ref), to: XMLReadError.modelTypeName)
        }
        if attributes.isNil {
            try skip()
            return nil
        }
        try checkType(attributes, contractName: rootName)
        try objects.register(.model, id: attributes.id)
        var model = UpdateOpportunityModel()
        _ = try delegatorRead()
        var lastIndex = -1
        var readMembers: UInt32 = 0
        while let index = try nextMember(of: Self.modelMembers, after: lastIndex, read: readMembers, owner: .model) {
            try readModelMember(index, into: &model)
            lastIndex = index
            readMembers |= 1 << index
        }
        try readEndElement()
        addSkipSummary()
        if model.closeDate == nil {
            model.closeDate = DateTimeValue.minValue
            warnings.append("CloseDate missing in XML: the service does not reject this and stores "
                + "0001-01-01T00:00:00 (default(DateTime)).")
        }
        if model.value == nil {
            model.value = DecimalNumber.zero
            warnings.append("Value missing in XML: the service does not reject this and stores 0.")
        }
        return model
    }

    private mutating func readModelMember(_ index: Int, into model: inout UpdateOpportunityModel) throws(XMLReadError) {
        switch index {
        case 0: model.closeDate = try readDateTime(isNullable: false)
        case 1: model.customFields = try readCustomFields()
        case 2: model.description = try readString()
        case 3: model.name = try readString()
        case 4: model.opportunityID = try readString()
        case 5: model.stage = try readString()
        default: model.value = try readDecimal()
        }
    }

    // MARK: CustomFields

    private mutating func readCustomFields() throws(XMLReadError) -> [UDFFieldModel]? {
        let attributes = try reader.serializerAttributes()
        let listType = XMLObjectTable.Object.fields([]).clrTypeName
        if let ref = attributes.ref {
            try skip()
            let object = try objects.object(for: ref)
            guard case .fields(let fields) = object else {
                throw castError(object, to: listType)
            }
            return fields
        }
        if attributes.isNil {
            try skip()
            return nil
        }
        try checkType(attributes, contractName: "ArrayOfUDFFieldModel")
        _ = try delegatorRead()
        var fields: [UDFFieldModel] = []
        while true {
            if try isStartElement("UDFFieldModel") {
                fields.append(try readField(position: fields.count))
            } else if nodeType == .endElement {
                break
            } else if !isAtEndOfEmptyElement, try reader.isStartElement() {
                if countSkip() {
                    addSkipWarning("XML element '\(reader.localName)' inside CustomFields skipped: its items must "
                        + "be 'UDFFieldModel' elements in namespace '\(Self.namespaceText)'.")
                }
                _ = try reader.serializerAttributes()
                try skip()
            } else {
                throw unexpectedNode("Expecting state 'Element'.")
            }
        }
        try readEndElement()
        try objects.register(.fields(fields), id: attributes.id)
        return fields
    }

    private mutating func readField(position: Int) throws(XMLReadError) -> UDFFieldModel {
        let attributes = try reader.serializerAttributes()
        if let ref = attributes.ref {
            try skip()
            let object = try objects.object(for: ref)
            guard case .field(let field) = object else {
                throw castError(object, to: XMLObjectTable.Object.field(UDFFieldModel()).clrTypeName)
            }
            return field
        }
        if attributes.isNil {
            try skip()
            // NOTE: the service keeps a null item in the list; BindingResult has no way to say so.
            warnings.append("CustomFields item \(position) is i:nil: the service keeps a null item there; "
                + "this fake binds an item without values.")
            return UDFFieldModel()
        }
        try checkType(attributes, contractName: "UDFFieldModel")

        var field = UDFFieldModel()
        _ = try delegatorRead()
        var lastIndex = -1
        var readMembers: UInt32 = 0
        let owner = MemberOwner.customField(position: position)
        while let index = try nextMember(of: Self.fieldMembers, after: lastIndex, read: readMembers, owner: owner) {
            switch index {
            case 0: field.datetimeValue = try readDateTime(isNullable: true)
            case 1: field.doubleValue = try readDouble()
            case 2: field.fieldName = try readString()
            case 3: field.stringValue = try readString()
            default: field.type = try readString()
            }
            lastIndex = index
            readMembers |= 1 << index
        }
        try readEndElement()

        try objects.register(.field(field), id: attributes.id)
        return field
    }

    // MARK: Member scan

    /// The object whose members are read, as skip warnings name it. Formatted only when a
    /// warning needs it, so reading members builds no strings.
    private enum MemberOwner: CustomStringConvertible {
        case model
        case customField(position: Int)

        var description: String {
            switch self {
            case .model: return "UpdateOpportunityModel"
            case .customField(let position): return "CustomFields item \(position)"
            }
        }
    }

    /// The index of the next member element after `lastIndex`, skipping every element that does
    /// not match one (`XmlObjectSerializerReadContext.GetMemberIndex`); nil at the end element.
    /// `readMembers` has bit `i` set for each member `i` already read.
    private mutating func nextMember(of members: [StaticString], after lastIndex: Int, read readMembers: UInt32,
                                     owner: MemberOwner) throws(XMLReadError) -> Int? {
        while true {
            if try moveToContent() == .endElement {
                return nil
            }
            // After `moveToContent` the node is a start element exactly when `isStartElement`
            // would return true, and not at the end of an empty element. So the namespace is
            // checked once here, and then only the names.
            if reader.node.type == .element, let frame = reader.currentElement,
               reader.namespace(frame.namespace, is: Self.contractNamespace) {
                for index in (lastIndex + 1)..<members.count where reader.matches(frame.localName, members[index]) {
                    return index
                }
            }
            guard nodeType == .element else {
                throw unexpectedNode("Expecting state 'Element'.")
            }
            if countSkip() {
                addSkipWarning(skipReason(members: members, lastIndex: lastIndex, read: readMembers, owner: owner))
            }
            _ = try reader.serializerAttributes()
            try skip()
        }
    }

    private func skipReason(members memberNames: [StaticString], lastIndex: Int, read readMembers: UInt32,
                            owner: MemberOwner) -> String {
        let members = memberNames.map(\.description)
        let name = reader.localName
        let namespace = reader.namespaceURI
        let element = "XML element '\(name)' in \(owner)"
        let order = members.joined(separator: ", ")
        if namespace != Self.namespaceText {
            return "\(element) skipped: it is in namespace '\(namespace)', and the service reads members only "
                + "from '\(Self.namespaceText)'."
        }
        if let index = members.firstIndex(of: name) {
            if readMembers & (1 << index) != 0 {
                return "\(element) skipped: it repeats '\(name)', and the service keeps the first one."
            }
            return "\(element) skipped: it comes after '\(members[lastIndex])', and the service reads members "
                + "only in the order \(order)."
        }
        if let match = members.first(where: { $0.lowercased() == name.lowercased() }) {
            return "\(element) skipped: XML member names are case-sensitive, and the service expects '\(match)'."
        }
        return "\(element) skipped: the service has no member of that name (members: \(order))."
    }

    /// Counts a skipped element; true while skipped elements are still listed one by one.
    private mutating func countSkip() -> Bool {
        skippedCount += 1
        return skippedCount <= Self.maxListedSkips
    }

    private mutating func addSkipWarning(_ warning: String) {
        let (line, position) = reader.lineAndPosition(at: reader.node.start)
        warnings.append(warning + " (line \(line), position \(position))")
    }

    private mutating func addSkipSummary() {
        if skippedCount > Self.maxListedSkips {
            warnings.append("\(skippedCount - Self.maxListedSkips) more skipped XML elements are not listed.")
        }
    }

    // MARK: Values

    private mutating func readString() throws(XMLReadError) -> String? {
        let attributes = try reader.serializerAttributes()
        if let ref = attributes.ref {
            try skip()
            let object = try objects.object(for: ref)
            guard case .string(let text) = object else {
                throw castError(object, to: "System.String")
            }
            return text
        }
        if attributes.isNil {
            try skip()
            return nil
        }
        let text = try reader.readElementContentAsString()
        try objects.register(.string(text), id: attributes.id)
        return text
    }

    private mutating func readDateTime(isNullable: Bool) throws(XMLReadError) -> DateTimeValue? {
        guard let content = try readValueText(clrType: "System.DateTime", isNullable: isNullable) else {
            return nil
        }
        guard let value = DateTimeValue(xsdText: content.text) else {
            throw .conversion(XMLMessages.conversion(content.text, type: "DateTime"))
        }
        try finishValue(content)
        return value
    }

    private mutating func readDecimal() throws(XMLReadError) -> DecimalNumber? {
        guard let content = try readValueText(clrType: "System.Decimal", isNullable: false) else {
            return nil
        }
        guard let value = XMLValueParsing.decimal(content.text) else {
            throw .conversion(XMLMessages.conversion(content.text, type: "decimal"))
        }
        try finishValue(content)
        return value
    }

    private mutating func readDouble() throws(XMLReadError) -> Double? {
        guard let content = try readValueText(clrType: "System.Double", isNullable: true) else {
            return nil
        }
        guard let value = XMLValueParsing.double(content.text) else {
            throw .conversion(XMLMessages.conversion(content.text, type: "double"))
        }
        try finishValue(content)
        return value
    }

    /// The text of a value-type member, read up to its end tag.
    private struct ValueText {
        var text: String
        var endsWithEndTag: Bool
    }

    /// Reads a value-type member's text: no `z:Ref` or `z:Id`, and `i:nil` (giving nil) only when
    /// nullable. The caller converts the text before `finishValue` checks the end tag, as
    /// `XmlDictionaryReader.ReadElementContentAs...` does, so a conversion error comes first.
    private mutating func readValueText(clrType: String, isNullable: Bool) throws(XMLReadError) -> ValueText? {
        let attributes = try reader.serializerAttributes()
        if attributes.ref != nil {
            try skip()
            throw .serialization(XMLMessages.valueTypeRef(clrType))
        }
        if attributes.isNil {
            try skip()
            guard isNullable else {
                throw .serialization(XMLMessages.valueTypeNull(clrType))
            }
            return nil
        }
        if attributes.id != nil {
            throw .serialization(XMLMessages.valueTypeId(clrType))
        }
        let isEmpty = reader.node.isEmptyElement
        _ = try reader.read()
        if isEmpty {
            return ValueText(text: "", endsWithEndTag: false)
        }
        return ValueText(text: try reader.readContentAsString(), endsWithEndTag: true)
    }

    private mutating func finishValue(_ content: ValueText) throws(XMLReadError) {
        if content.endsWithEndTag {
            try reader.readEndElement()
        }
    }

    // MARK: Reader delegation (XmlReaderDelegator)

    private static var namespaceText: String {
        String(decoding: contractNamespace, as: UTF8.self)
    }

    @inline(__always)
    private var nodeType: XMLNodeType {
        isAtEndOfEmptyElement ? .endElement : reader.node.type
    }

    private mutating func isStartElement(_ localName: StaticString) throws(XMLReadError) -> Bool {
        guard !isAtEndOfEmptyElement else {
            return false
        }
        return try reader.isStartElement(localName: localName, namespace: Self.contractNamespace)
    }

    private mutating func moveToContent() throws(XMLReadError) -> XMLNodeType {
        isAtEndOfEmptyElement ? .endElement : try reader.moveToContent()
    }

    private mutating func delegatorRead() throws(XMLReadError) -> Bool {
        guard reader.node.type == .element && reader.node.isEmptyElement else {
            return try reader.read()
        }
        if isAtEndOfEmptyElement {
            isAtEndOfEmptyElement = false
            return try reader.read()
        }
        isAtEndOfEmptyElement = true
        return true
    }

    private mutating func readEndElement() throws(XMLReadError) {
        if isAtEndOfEmptyElement {
            _ = try delegatorRead()
        } else {
            try reader.readEndElement()
        }
    }

    private mutating func skip() throws(XMLReadError) {
        try reader.skip()
        isAtEndOfEmptyElement = false
    }

    // MARK: Errors

    /// Returns a `SerializationException` that names the node the reader stopped at, with its position
    /// (`XmlObjectSerializer.CreateSerializationExceptionWithReaderDetails`).
    private func unexpectedNode(_ reason: String) -> XMLReadError {
        let (line, position) = reader.lineAndPosition(at: reader.offset)
        let type = nodeType
        let isElement = type == .element || type == .endElement
        return .serialization(XMLMessages.encountered(reason, line: line, position: position, nodeType: type.rawValue,
                                                      foundName: isElement ? reader.localName : "",
                                                      foundNamespace: isElement ? reader.namespaceURI : ""))
    }

    /// Rejects an `i:type` that names anything but the declared contract, because the service
    /// configures no known types.
    /// Mutating only so that the call does not copy the binder and its reader.
    private mutating func checkType(_ attributes: XMLSerializerAttributes, contractName: StaticString)
        throws(XMLReadError) {
        if let typeName = attributes.typeName {
            try checkType(typeName, contractName: contractName.description)
        }
    }

    private func checkType(_ type: (localName: String, namespace: String), contractName: String)
        throws(XMLReadError) {
        let (typeName, typeNamespace) = type
        guard typeName != contractName || typeNamespace != Self.namespaceText else {
            return
        }
        // NOTE: for a primitive type such as xs:string, .NET reads the primitive and then fails
        // with an InvalidCastException text instead; this reports the unknown-contract error.
        let (line, position) = reader.lineAndPosition(at: reader.offset)
        let reason = XMLMessages.unknownDataContract(typeNamespace: typeNamespace, typeName: typeName,
                                                     elementNamespace: reader.namespaceURI,
                                                     elementName: reader.localName)
        throw .serialization("Error in line \(line) position \(position). " + reason)
    }

    private func castError(_ object: XMLObjectTable.Object, to target: String) -> XMLReadError {
        .unwrapped(XMLMessages.invalidCast(from: object.clrTypeName, to: target))
    }
}
