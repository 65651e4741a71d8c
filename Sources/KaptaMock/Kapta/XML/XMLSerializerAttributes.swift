/// The attributes DataContractSerializer reads on every element it deserializes
/// (`XmlObjectSerializerReadContext.Attributes.Read`): `i:nil` and `i:type` in the XML Schema
/// instance namespace, and `z:Id`, `z:Ref` and `z:Size` in the serialization namespace. It reads
/// them on skipped elements too, so an invalid `i:nil` fails even on an unknown element.
struct XMLSerializerAttributes: Sendable {
    static let instanceNamespace = Array("http://www.w3.org/2001/XMLSchema-instance".utf8)
    static let serializationNamespace = Array("http://schemas.microsoft.com/2003/10/Serialization/".utf8)

    let isNil: Bool
    /// `z:Id`, `z:Ref` and `i:type`, which few bodies carry, in a box allocated only when one
    /// is present. The struct stays two words: a wider one is copied and destroyed through
    /// its value witnesses, and every member element reads these attributes.
    private let identity: Identity?

    private final class Identity: Sendable {
        let id: String?
        let ref: String?
        let typeName: (localName: String, namespace: String)?

        init(id: String?, ref: String?, typeName: (localName: String, namespace: String)?) {
            self.id = id
            self.ref = ref
            self.typeName = typeName
        }
    }

    var id: String? { identity?.id }
    var ref: String? { identity?.ref }
    /// The `i:type` name and its namespace (empty when the prefix is not declared).
    var typeName: (localName: String, namespace: String)? { identity?.typeName }

    /// An element without serializer attributes.
    static let none = XMLSerializerAttributes(UnpackedSerializerAttributes())

    fileprivate init(_ fields: UnpackedSerializerAttributes) {
        isNil = fields.isNil
        if fields.id == nil && fields.ref == nil && fields.typeName == nil {
            identity = nil
        } else {
            identity = Identity(id: fields.id, ref: fields.ref, typeName: fields.typeName)
        }
    }
}

/// The serializer attributes while they are read, before they are packed.
private struct UnpackedSerializerAttributes {
    var isNil = false
    var id: String?
    var ref: String?
    var typeName: (localName: String, namespace: String)?

    mutating func readSerializationAttribute(_ attribute: XMLTextReader.Attribute,
                                             reader: XMLTextReader) throws(XMLReadError) {
        let name = attribute.localName
        if reader.matches(name, "Id") {
            let value = try reader.attributeValue(attribute)
            guard !value.isEmpty else {
                throw .serialization(XMLMessages.invalidId(value))
            }
            id = value
        } else if reader.matches(name, "Ref") {
            let value = try reader.attributeValue(attribute)
            guard !value.isEmpty else {
                throw .serialization(XMLMessages.invalidRef(value))
            }
            ref = value
        } else if reader.matches(name, "Size") {
            let value = try reader.attributeValue(attribute)
            guard let size = XMLValueParsing.int32(value) else {
                throw .conversion(XMLMessages.conversion(value, type: "Int32"))
            }
            guard size >= 0 else {
                throw .serialization(XMLMessages.invalidSize(size))
            }
        } else if reader.matches(name, "Type") || reader.matches(name, "Assembly")
                    || reader.matches(name, "FactoryType") {
            _ = try reader.attributeValue(attribute)
        }
    }

    mutating func readInstanceAttribute(_ attribute: XMLTextReader.Attribute,
                                        reader: XMLTextReader) throws(XMLReadError) {
        if reader.matches(attribute.localName, "nil") {
            let value = try reader.attributeValue(attribute)
            guard let flag = XMLValueParsing.boolean(value) else {
                throw .conversion(XMLMessages.conversion(value, type: "Boolean"))
            }
            isNil = flag
        } else if reader.matches(attribute.localName, "type") {
            let value = try reader.attributeValue(attribute)
            guard !value.isEmpty else {
                return
            }
            let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let prefix = parts.count == 2 ? String(parts[0]) : ""
            let localName = String(parts.last ?? "")
            let namespace = reader.namespaceURI(forPrefix: prefix).map { String(decoding: $0, as: UTF8.self) } ?? ""
            typeName = (localName, namespace)
        }
    }
}

extension XMLTextReader {
    /// Reads the serializer's attributes of the element the reader is on. Mutating only so
    /// that the call does not copy the reader, as for `byte(at:)`.
    mutating func serializerAttributes() throws(XMLReadError) -> XMLSerializerAttributes {
        attributes.isEmpty ? XMLSerializerAttributes.none : try readSerializerAttributes()
    }

    private func readSerializerAttributes() throws(XMLReadError) -> XMLSerializerAttributes {
        var result = UnpackedSerializerAttributes()
        for attribute in attributes where !attribute.isNamespaceDeclaration {
            if namespace(attribute.namespace, is: XMLSerializerAttributes.serializationNamespace) {
                try result.readSerializationAttribute(attribute, reader: self)
            } else if namespace(attribute.namespace, is: XMLSerializerAttributes.instanceNamespace) {
                try result.readInstanceAttribute(attribute, reader: self)
            }
        }
        return XMLSerializerAttributes(result)
    }
}

/// Objects registered under `z:Id`, so that a later `z:Ref` can reuse them
/// (`XmlObjectSerializerReadContext.DeserializedObjects`).
struct XMLObjectTable {
    enum Object {
        case string(String)
        case field(UDFFieldModel)
        case fields([UDFFieldModel])
        case model

        /// The CLR type name .NET shows when a reference has the wrong type.
        var clrTypeName: String {
            switch self {
            case .string: return "System.String"
            case .field: return "KAPTA.Domain.ViewModel.v1.UDFFieldModel"
            case .fields: return "System.Collections.Generic.List`1[KAPTA.Domain.ViewModel.v1.UDFFieldModel]"
            case .model: return XMLReadError.modelTypeName
            }
        }
    }

    private var objects: [String: Object] = [:]

    mutating func register(_ object: Object, id: String?) throws(XMLReadError) {
        guard let id else {
            return
        }
        guard objects[id] == nil else {
            throw .serialization(XMLMessages.duplicateId(id))
        }
        objects[id] = object
    }

    func object(for ref: String) throws(XMLReadError) -> Object {
        guard let object = objects[ref] else {
            throw .serialization(XMLMessages.referenceNotFound(ref))
        }
        return object
    }
}
