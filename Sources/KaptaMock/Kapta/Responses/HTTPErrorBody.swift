/// The body of an ASP.NET Web API `HttpError`: `Message`, then `ModelState` when present.
/// ModelState keys keep their first-insertion order and each holds its messages in order.
struct HTTPErrorBody: Sendable, Equatable {
    struct ModelStateKey: Sendable, Equatable {
        var key: String
        var messages: [String]
    }

    var message: String
    var modelState: [ModelStateKey]?

    static let invalidRequest = "The request is invalid."

    /// A ModelState error body. `errorDetail` off replaces every deserializer message with
    /// `An error has occurred.`, as `HttpError(ModelStateDictionary, includeErrorDetail)` does.
    init(modelState entries: [ModelStateEntry], errorDetail: Bool) {
        message = Self.invalidRequest
        var keys: [ModelStateKey] = []
        // Positions by key, so grouping n entries with distinct keys stays linear.
        var positions: [String: Int] = [:]
        for entry in entries {
            let text = entry.isDeserializerError && !errorDetail ? "An error has occurred." : entry.message
            if let index = positions[entry.key] {
                keys[index].messages.append(text)
            } else {
                positions[entry.key] = keys.count
                keys.append(ModelStateKey(key: entry.key, messages: [text]))
            }
        }
        modelState = keys
    }

    init(message: String) {
        self.message = message
        modelState = nil
    }

    /// The body in the negotiated format and charset.
    func encoded(as negotiated: NegotiatedFormat) -> [UInt8] {
        let utf8: [UInt8]
        switch negotiated.format {
        case .json: utf8 = jsonBytes()
        case .xml: utf8 = xmlBytes()
        }
        switch negotiated.charset {
        case .utf8:
            return utf8
        case .utf16:
            return Self.utf16LittleEndianWithByteOrderMark(utf8)
        }
    }

    func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("Message", message)
        if let modelState {
            writer.key("ModelState")
            writer.beginObject()
            for entry in modelState {
                writer.key(entry.key)
                writer.beginArray()
                for text in entry.messages {
                    writer.string(text)
                }
                writer.endArray()
            }
            writer.endObject()
        }
        writer.endObject()
        return writer.bytes
    }

    /// The DataContractSerializer form: root `Error` in no namespace, no XML declaration,
    /// each key an element named by `XmlConvert.EncodeLocalName`, messages joined by a space.
    func xmlBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64 + message.utf8.count)
        output.append(contentsOf: "<Error><Message>".utf8)
        XMLText.appendEscaped(message, to: &output)
        output.append(contentsOf: "</Message>".utf8)
        if let modelState {
            output.append(contentsOf: "<ModelState>".utf8)
            for entry in modelState {
                let name = XMLText.encodeLocalName(entry.key)
                output.append(contentsOf: "<\(name)>".utf8)
                XMLText.appendEscaped(entry.messages.joined(separator: " "), to: &output)
                output.append(contentsOf: "</\(name)>".utf8)
            }
            output.append(contentsOf: "</ModelState>".utf8)
        }
        output.append(contentsOf: "</Error>".utf8)
        return output
    }

    /// .NET's `Encoding.Unicode` as a `StreamWriter` writes it at the start of a stream:
    /// the byte-order mark FF FE, then little-endian code units.
    static func utf16LittleEndianWithByteOrderMark(_ utf8: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0xFF, 0xFE]
        output.reserveCapacity(2 + utf8.count * 2)
        for unit in String(decoding: utf8, as: UTF8.self).utf16 {
            output.append(UInt8(truncatingIfNeeded: unit))
            output.append(UInt8(truncatingIfNeeded: unit >> 8))
        }
        return output
    }
}

enum XMLText {
    /// Escapes text content as .NET's `XmlWriter` does with `NewLineHandling.Replace`:
    /// `&`, `<` and `>` become entities, line breaks become CRLF, and other control
    /// characters become character references.
    static func appendEscaped(_ text: String, to output: inout [UInt8]) {
        var previousWasCarriageReturn = false
        for byte in text.utf8 {
            defer { previousWasCarriageReturn = byte == ASCII.carriageReturn }
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case ASCII.carriageReturn: output.append(contentsOf: [ASCII.carriageReturn, ASCII.lineFeed])
            case ASCII.lineFeed:
                if !previousWasCarriageReturn {
                    output.append(contentsOf: [ASCII.carriageReturn, ASCII.lineFeed])
                }
            case ASCII.tab: output.append(byte)
            case ..<0x20: output.append(contentsOf: "&#x\(String(byte, radix: 16, uppercase: true));".utf8)
            default: output.append(byte)
            }
        }
    }

    /// `XmlConvert.EncodeLocalName`: characters not allowed in an XML name become
    /// `_xHHHH_` (`[` is `_x005B_`), and `_x` that looks like such an escape is escaped too.
    static func encodeLocalName(_ name: String) -> String {
        var result = ""
        let scalars = Array(name.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let isValid = index == 0 ? isNameStart(scalar) : isNameCharacter(scalar)
            if isValid && !(scalar == "_" && looksLikeEscape(scalars, at: index)) {
                result.unicodeScalars.append(scalar)
            } else {
                let digits = String(scalar.value, radix: 16, uppercase: true)
                let width = scalar.value > 0xFFFF ? 8 : 4
                result += "_x" + String(repeating: "0", count: max(0, width - digits.count)) + digits + "_"
            }
        }
        return result
    }

    private static func looksLikeEscape(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x" || scalars[index + 1] == "X" else {
            return false
        }
        let hex = scalars[(index + 2)..<(index + 6)]
        return hex.allSatisfy { $0.properties.isASCIIHexDigit } && scalars[index + 6] == "_"
    }

    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || (scalar.properties.isAlphabetic && scalar != "\u{02BC}")
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isNameStart(scalar) || scalar == "." || scalar == "-" || scalar.properties.numericType == .decimal
            || scalar.properties.generalCategory == .nonspacingMark
    }
}
