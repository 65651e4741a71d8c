/// Reads a JSON request body into `UpdateOpportunityModel` the way ASP.NET Web API's JSON
/// formatter does with Json.NET. Every error goes to ModelState and is marked handled
/// (`BaseJsonMediaTypeFormatter`), so reading goes on after it. The serializer's recovery
/// (`JsonSerializerInternalReader.HandleError`) decides which later errors follow.
///
/// The model has a fixed shape (root object, `CustomFields` array, item objects), so each
/// level is its own function and nothing recurses on client input. Values of unknown
/// properties are skipped by the reader's depth counter.
enum JSONModelReader {
    static func read(body: [UInt8], charset: String?) -> BindingResult {
        switch RequestTextDecoding.decode(body, charset: charset) {
        case .invalid(let message):
            return BindingResult(model: nil, errors: [ModelStateEntry(key: "model", message: message,
                                                                      isDeserializerError: true)])
        case .utf8(let offset):
            return body.withUnsafeBufferPointer { buffer in
                bind(UnsafeBufferPointer(rebasing: buffer[offset...]))
            }
        case .transcoded(let text):
            return text.withUnsafeBufferPointer { bind($0) }
        }
    }

    /// Binds UTF-8 text that is known to be valid.
    static func bind(_ text: UnsafeBufferPointer<UInt8>) -> BindingResult {
        var binder = JSONModelBinder(reader: JSONTextReader(bytes: text))
        let model = binder.bindRoot()
        return BindingResult(model: model, errors: binder.errors, warnings: binder.warnings)
    }
}

/// The .NET type names Json.NET prints in conversion errors.
enum KaptaTypeNames {
    static let model = "KAPTA.Domain.ViewModel.v1.UpdateOpportunityModel"
    static let customField = "KAPTA.Domain.ViewModel.v1.UDFFieldModel"
    static let customFieldList = "System.Collections.Generic.List`1[KAPTA.Domain.ViewModel.v1.UDFFieldModel]"
}

struct JSONModelBinder {
    var reader: JSONTextReader
    var errors: [ModelStateEntry] = []
    var warnings: [String] = []
    var notes = JSONReadNotes()

    init(reader: JSONTextReader) {
        self.reader = reader
    }

    /// Json.NET's `Deserialize` for the root: an error that reaches this level leaves the
    /// model null.
    mutating func bindRoot() -> UpdateOpportunityModel? {
        // Initialized once on each path rather than assigned: the model is large, and
        // replacing a value costs a destroy through its value witness.
        let model: UpdateOpportunityModel?
        do throws(JSONReadError) {
            model = try readRoot()
        } catch {
            record(error)
            model = nil
        }
        appendNoteWarnings()
        return model
    }

    private mutating func readRoot() throws(JSONReadError) -> UpdateOpportunityModel? {
        guard try reader.readAndMoveToContent() else {
            return nil
        }
        switch reader.token {
        case .startObject:
            return try populateModel()
        case .null, .undefined:
            return nil
        case .startArray:
            throw reader.error(Self.arrayIntoObjectMessage(KaptaTypeNames.model))
        case .string where reader.withStringBytes({ $0.isEmpty }):
            return nil
        case .string, .integer, .float, .boolean, .date, .startConstructor:
            throw reader.error("Error converting value \(currentValueText()) to type '\(KaptaTypeNames.model)'.")
        default:
            throw reader.error("Unexpected token while deserializing object: \(reader.token)")
        }
    }

    // MARK: Errors

    /// Most deserializer errors kept per body. Web API 2 has no such limit, but a 4 MiB body
    /// of bad array items would otherwise cost millions of entries and a response as large.
    static let maxErrorCount = 1_000

    mutating func record(_ error: JSONReadError) {
        guard errors.count < Self.maxErrorCount else {
            return
        }
        errors.append(ModelStateEntry(key: Self.modelStateKey(forPath: reader.path), message: error.formatted,
                                      isDeserializerError: true))
        if errors.count == Self.maxErrorCount {
            // NOTE: the fake stops reading here; Json.NET would go on to the end of the body.
            reader.position = reader.bytes.count
        }
    }

    /// `model`, `model.CloseDate` or `model[0]`: ASP.NET joins the parameter name and the
    /// Json.NET path with a dot unless the path starts with an index.
    static func modelStateKey(forPath path: String) -> String {
        if path.isEmpty {
            return "model"
        }
        return path.hasPrefix("[") ? "model" + path : "model." + path
    }

    /// Json.NET's `HandleError(reader, readPastError: true, initialDepth)`.
    mutating func skipPastError(initialDepth: Int) throws(JSONReadError) {
        try reader.skip()
        while reader.depth > initialDepth {
            guard try reader.read() else {
                break
            }
        }
    }

    /// Json.NET's `ThrowUnexpectedEndException`: recorded where it happens, reading stops.
    mutating func recordUnexpectedEnd(_ message: String) {
        record(reader.error(message))
    }

    static func arrayIntoObjectMessage(_ typeName: String) -> String {
        "Cannot deserialize the current JSON array (e.g. [1,2,3]) into type '\(typeName)' because the type "
            + "requires a JSON object (e.g. {\"name\":\"value\"}) to deserialize correctly.\r\n"
            + "To fix this error either change the JSON to a JSON object (e.g. {\"name\":\"value\"}) or change "
            + "the deserialized type to an array or a type that implements a collection interface (e.g. "
            + "ICollection, IList) like List<T> that can be deserialized from a JSON array. JsonArrayAttribute "
            + "can also be added to the type to force it to deserialize from a JSON array.\r\n"
    }

    static func objectIntoArrayMessage(_ typeName: String) -> String {
        "Cannot deserialize the current JSON object (e.g. {\"name\":\"value\"}) into type '\(typeName)' because "
            + "the type requires a JSON array (e.g. [1,2,3]) to deserialize correctly.\r\n"
            + "To fix this error either change the JSON to a JSON array (e.g. [1,2,3]) or change the "
            + "deserialized type so that it is a normal .NET type (e.g. not a primitive type like integer, not "
            + "a collection type like an array or List<T>) that can be deserialized from a JSON object. "
            + "JsonObjectAttribute can also be added to the type to force it to deserialize from a JSON object.\r\n"
    }

    /// Formats the current token's value as Json.NET's `MiscellaneousUtils.ToString` prints it.
    func currentValueText() -> String {
        switch reader.token {
        case .null, .undefined, .none:
            return "{null}"
        case .string:
            return "\"" + reader.makeString() + "\""
        case .boolean:
            return reader.booleanValue ? "True" : "False"
        case .integer:
            let text = reader.numberRange
            if case .nonDecimal = JSONNumberText.kind(of: text, first: text.first ?? 0),
               let value = JSONNumberText.nonDecimalInteger(text) {
                return String(value)
            }
            return reader.numberText()
        case .float:
            // NOTE: .NET Framework prints doubles with 15 significant digits; Swift's shortest
            // round-trip text differs for long fractions.
            let text = reader.numberText()
            guard let value = Double(text) else {
                return text
            }
            if value.isNaN {
                return "NaN"
            }
            if value.isInfinite {
                return value < 0 ? "-Infinity" : "Infinity"
            }
            return value.description.replacingExponentMarker()
        case .startConstructor:
            return "\"" + reader.makeString() + "\""
        default:
            return reader.token.description
        }
    }

    private mutating func appendNoteWarnings() {
        for rounded in notes.roundedDecimals {
            // .NET's decimal keeps at most 29 significant digits and 28 decimal places, so
            // a longer number or one below 1e-28 is rounded, the latter all the way to 0.
            warnings.append("the decimal at '\(rounded.path)' does not fit .NET's decimal (29 significant digits, "
                + "28 decimal places) and was rounded to \(rounded.value)")
        }
        for path in notes.octalNumberPaths {
            warnings.append("the number at '\(path)' starts with 0 and was read as octal, as Json.NET does")
        }
    }

    mutating func warnCaseInsensitiveMatch(sent: String, property: String) {
        warnings.append("JSON property '\(sent)' matched '\(property)' only when letter case is ignored")
    }
}

extension String {
    /// `1e+21` as .NET writes it: `1E+21`.
    fileprivate func replacingExponentMarker() -> String {
        String(map { $0 == "e" ? "E" : $0 })
    }
}
