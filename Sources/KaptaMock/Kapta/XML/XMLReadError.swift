/// The reason an XML body did not bind, classified the way the service's pipeline reports it.
///
/// ASP.NET Web API's XML formatter logs `exception.Message` under the ModelState key `model`.
/// The exception type decides the text: `DataContractSerializer.ReadObject` wraps only
/// `XmlException` (in `XmlObjectSerializer.ReadObjectHandleExceptions`), WCF's text reader appends
/// ` Line L, position P.` to the errors it raises itself, and `SerializationException`s pass through
/// unchanged. The message texts below are the .NET Framework 4.x resource strings of
/// System.Runtime.Serialization and System.Xml.
enum XMLReadError: Error, Equatable {
    /// An `XmlException` raised by WCF's text reader, wrapped by DataContractSerializer.
    case reader(String, line: Int, position: Int)
    /// An `XmlException` without line information (a value conversion, invalid bytes inside a
    /// value), wrapped by DataContractSerializer.
    case conversion(String)
    /// A `SerializationException` from DataContractSerializer itself, logged unchanged.
    case serialization(String)
    /// An exception raised before DataContractSerializer runs (while the reader is created) or of
    /// a type it does not wrap, logged with its own message only.
    case unwrapped(String)

    /// The CLR type name DataContractSerializer puts into "There was an error deserializing ...".
    static let modelTypeName = "KAPTA.Domain.ViewModel.v1.UpdateOpportunityModel"

    /// The text the service records in ModelState for this error when error detail is on.
    var modelStateMessage: String {
        let prefix = "There was an error deserializing the object of type \(Self.modelTypeName). "
        switch self {
        case .reader(let reason, let line, let position):
            return prefix + reason + " Line \(line), position \(position)."
        case .conversion(let reason):
            return prefix + reason
        case .serialization(let message), .unwrapped(let message):
            return message
        }
    }
}

/// The .NET message texts, one function per resource string.
enum XMLMessages {
    // MARK: Reader (System.Runtime.Serialization resources used by XmlUTF8TextReader)

    static let cdataAtTopLevel = "CData elements not valid at top level of an XML document."
    static let processingInstruction = "Processing instructions (other than the XML declaration) and DTDs are "
        + "not supported."
    static let declarationNotFirst = "No characters can appear before the XML declaration."
    static let declarationMissingVersion = "Version not found in XML declaration."
    static let malformedDeclaration = "Malformed XML declaration."
    static let invalidVersion = "XML version must be '1.0'."
    static let invalidStandalone = "'standalone' value in declaration must be 'yes' or 'no'."
    static let invalidRootData = "The data at the root level is invalid."
    static let multipleRootElements = "There are multiple root elements."
    static let invalidCharacterReference = "Character reference not valid."
    static let closeCDataInText = "']]>' not valid in text node content."
    static let invalidCommentCharacters = "XML comments cannot contain '--' or end with '-'."
    static let invalidFFFE = "Characters with hexadecimal values 0xFFFE and 0xFFFF are not valid."
    static let whitespaceBetweenAttributes = "Whitespace must appear between attributes."
    static let emptyNamespaceWithPrefix = "The empty namespace requires a null or empty prefix."
    static let invalidFormat = "The input source is not correctly formatted."
    static let noOpenElement = "No corresponding start element is open."

    static func maxDepthExceeded(_ maxDepth: Int) -> String {
        "The maximum read depth (\(maxDepth)) has been exceeded because XML data being read has more levels of "
            + "nesting than is allowed by the quota. This quota may be increased by changing the MaxDepth property "
            + "on the XmlDictionaryReaderQuotas object used when creating the XML reader."
    }

    static func unexpectedEndOfFile(openElements: String) -> String {
        "Unexpected end of file. Following elements are not closed: \(openElements)."
    }

    static func invalidByte(_ byte: UInt8) -> String {
        "The byte 0x\(hex(UInt32(byte))) is not valid at this location."
    }

    static func tokenExpected(_ expected: String, found: String) -> String {
        "The token '\(expected)' was expected but found '\(found)'."
    }

    static func tagMismatch(start: String, end: String) -> String {
        "Start element '\(start)' does not match end element '\(end)'."
    }

    static func undefinedPrefix(_ prefix: String) -> String {
        "The prefix '\(prefix)' is not defined."
    }

    static func duplicateAttribute(_ first: String, _ second: String, namespace: String) -> String {
        "Duplicate attribute found. Both '\(first)' and '\(second)' are from the namespace '\(namespace)'."
    }

    static func prefixBinding(prefix: String, namespace: String) -> String {
        "The prefix '\(prefix)' can only be bound to the namespace '\(namespace)'."
    }

    static func endElementExpected(localName: String, namespace: String, found: String) -> String {
        "End element '\(localName)' from namespace '\(namespace)' expected. Found \(found)."
    }

    static func invalidUTF8(_ lossyText: String) -> String {
        "'\(lossyText)' contains invalid UTF8 bytes."
    }

    // MARK: Names (System.Xml resources used by XmlConvert.VerifyNCName)

    static func badNameStart(_ character: String, code: UInt32) -> String {
        "Name cannot begin with the '\(character)' character, hexadecimal value 0x\(hex(code))."
    }

    static func badNameCharacter(_ character: String, code: UInt32) -> String {
        "The '\(character)' character, hexadecimal value 0x\(hex(code)), cannot be included in a name."
    }

    /// An `ArgumentNullException`, which DataContractSerializer does not wrap, so .NET's two-line
    /// argument message reaches ModelState as it is.
    static let emptyLocalName = "The empty string '' is not a valid local name.\r\nParameter name: name"

    // MARK: Transport encoding (EncodingStreamWrapper)

    static let unexpectedEndOfFileShort = "Unexpected end of file."
    static let invalidByteEncoding = "Invalid byte encoding."

    static func expectedEncoding(_ expected: String, actual: String) -> String {
        "The expected encoding '\(expected)' does not match the actual encoding '\(actual)'."
    }

    static func declarationEncodingMismatch(_ declared: String, document: String) -> String {
        "The encoding in the declaration '\(declared)' does not match the encoding of the document '\(document)'."
    }

    // MARK: DataContractSerializer

    static func conversion(_ value: String, type: String) -> String {
        "The value '\(value)' cannot be parsed as the type '\(type)'."
    }

    /// Formats a reason such as `Expecting element 'X' from namespace 'Y'.` into `EncounteredWithNameNamespace`
    /// behind `ErrorInLine`. The doubled period, the two spaces and the trailing space are those of the
    /// .NET Framework resource text.
    static func encountered(_ reason: String, line: Int, position: Int,
                                    nodeType: String, foundName: String, foundNamespace: String) -> String {
        "Error in line \(line) position \(position). \(reason). Encountered '\(nodeType)'  with name "
            + "'\(foundName)', namespace '\(foundNamespace)'. "
    }

    static func valueTypeNull(_ clrType: String) -> String { "ValueType '\(clrType)' cannot be null." }
    static func valueTypeId(_ clrType: String) -> String { "ValueType '\(clrType)' cannot have id." }
    static func valueTypeRef(_ clrType: String) -> String {
        "ValueType '\(clrType)' cannot have ref to another object."
    }

    static func invalidSize(_ size: Int32) -> String { "Invalid Size '\(size)'. Must be non-negative integer." }
    static func invalidId(_ id: String) -> String { "Invalid Id '\(id)'. Must not be null or empty." }
    static func invalidRef(_ id: String) -> String { "Invalid Ref '\(id)'. Must not be null or empty." }

    static func referenceNotFound(_ id: String) -> String {
        "Deserialized object with reference id '\(id)' not found in stream."
    }

    static func duplicateId(_ id: String) -> String {
        "Invalid XML encountered. The same Id value '\(id)' is defined more than once. Multiple objects cannot "
            + "be deserialized using the same Id."
    }

    /// .NET's `InvalidCastException` text, for a `z:Ref` to an object of another type.
    static func invalidCast(from source: String, to target: String) -> String {
        "Unable to cast object of type '\(source)' to type '\(target)'."
    }

    static func unknownDataContract(typeNamespace: String, typeName: String,
                                    elementNamespace: String, elementName: String) -> String {
        "Element '\(elementNamespace):\(elementName)' contains data of the '\(typeNamespace):\(typeName)' data "
            + "contract. The deserializer has no knowledge of any type that maps to this contract. Add the type "
            + "corresponding to '\(typeName)' to the list of known types - for example, by using the "
            + "KnownTypeAttribute attribute or by adding it to the list of known types passed to "
            + "DataContractSerializer."
    }

    /// Upper-case hexadecimal with at least two digits, as .NET's `X2` format prints it.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
    }
}
