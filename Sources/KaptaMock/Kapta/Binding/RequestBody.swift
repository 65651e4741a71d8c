/// The body reader a request's `Content-Type` selects, as Web API's
/// `MediaTypeFormatterCollection.FindReader` does: the first formatter (JSON, then XML)
/// with a media type inside the request's type. Parameters are ignored, and a range such
/// as `application/*` or `*/*` selects the JSON reader.
enum RequestBodyFormat: Sendable, Equatable {
    case json(charset: String?)
    case xml(charset: String?)
    /// A type neither formatter reads; the media type without parameters, as sent.
    case unsupported(mediaType: String)
    /// No `Content-Type`, or one that does not parse (System.Net.Http drops an invalid value).
    case missing

    init(contentType: String?) {
        // The common cases, without parsing: a bare type has no charset, and only its own
        // formatter's types fit inside it.
        if let contentType, contentType.equalsIgnoringASCIICase(lowercaseLiteral: "application/json") {
            self = .json(charset: nil)
            return
        }
        if let contentType, contentType.equalsIgnoringASCIICase(lowercaseLiteral: "application/xml") {
            self = .xml(charset: nil)
            return
        }
        guard let contentType, let mediaType = MediaType(parsing: contentType[...]) else {
            self = .missing
            return
        }
        let charset = mediaType.charset.map(String.init)
        if ResponseFormat.json.supportedMediaTypes.contains(where: { $0.isSubset(of: mediaType) }) {
            self = .json(charset: charset)
        } else if ResponseFormat.xml.supportedMediaTypes.contains(where: { $0.isSubset(of: mediaType) }) {
            self = .xml(charset: charset)
        } else {
            self = .unsupported(mediaType: mediaType.essence)
        }
    }

    /// The 415 message of Web API's `FormatterParameterBinding`, or nil when readable.
    var unsupportedMessage: String? {
        switch self {
        case .json, .xml:
            return nil
        case .unsupported(let mediaType):
            return "The request entity's media type '\(mediaType)' is not supported for this resource."
        case .missing:
            return "The request contains an entity body but no Content-Type header. The inferred media type "
                + "'application/octet-stream' is not supported for this resource."
        }
    }
}

/// DataAnnotations validation of `UpdateOpportunityModel`: `[Required]` on OpportunityID,
/// Name and Stage. `RequiredAttribute` fails null, and strings that are empty after
/// `String.Trim()`. `CloseDate` and `Value` are non-nullable, so `[Required]` never fails
/// on them; a missing one is caught while reading JSON instead.
enum ModelValidator {
    /// Whether `validate` would return no entries, found without building any.
    static func isValid(_ model: UpdateOpportunityModel) -> Bool {
        isPresent(model.opportunityID) && isPresent(model.name) && isPresent(model.stage)
    }

    private static func isPresent(_ value: String?) -> Bool {
        value.map(containsNonWhiteSpace) ?? false
    }

    static func validate(_ model: UpdateOpportunityModel) -> [ModelStateEntry] {
        var entries: [ModelStateEntry] = []
        let required: [(String, String?)] = [
            ("OpportunityID", model.opportunityID), ("Name", model.name), ("Stage", model.stage),
        ]
        for (property, value) in required where !(value.map(containsNonWhiteSpace) ?? false) {
            entries.append(ModelStateEntry(key: "model.\(property)", message: "The \(property) field is required.",
                                           isDeserializerError: false))
        }
        return entries
    }

    static func containsNonWhiteSpace(_ text: String) -> Bool {
        // Most values start with a visible ASCII character.
        if let first = text.utf8.first, first < 0x80, !JSONTextReader.isASCIIWhiteSpace(first) {
            return true
        }
        for byte in text.utf8 {
            if byte >= 0x80 {
                return ScalarProperties.containsNonWhiteSpace(text)
            }
            if !JSONTextReader.isASCIIWhiteSpace(byte) {
                return true
            }
        }
        return false
    }
}
