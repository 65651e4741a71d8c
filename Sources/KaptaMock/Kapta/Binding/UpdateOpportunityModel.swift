/// The request body of the PUT, as the service's `UpdateOpportunityModel` receives it
/// after deserialization and before validation. A member is nil when the body left it out
/// or sent null, so validation can tell "missing" from "empty".
struct UpdateOpportunityModel: Sendable, Equatable {
    var opportunityID: String?
    var name: String?
    var description: String?
    /// Non-nullable `DateTime` on the service. A JSON body that omits it records a binding
    /// error; an XML body that omits it gets `DateTimeValue.minValue`, as DataContractSerializer does.
    var closeDate: DateTimeValue?
    /// Non-nullable `decimal` on the service; same rule as `closeDate`, XML default `0`.
    var value: DecimalNumber?
    var stage: String?
    var customFields: [UDFFieldModel]?
}

/// One item of `CustomFields`, the service's `UDFFieldModel`.
struct UDFFieldModel: Sendable, Equatable {
    var fieldName: String?
    var type: String?
    var stringValue: String?
    /// `double?` on the service.
    var doubleValue: Double?
    /// `DateTime?` on the service.
    var datetimeValue: DateTimeValue?
}

/// One ModelState error.
struct ModelStateEntry: Sendable, Equatable {
    /// `model`, `model.Name`, `model.CustomFields[0].Type`, or a JSON path as the client
    /// spelled it (`model.closedate`).
    var key: String
    /// The message. For a deserializer error this is the Json.NET or DataContractSerializer
    /// text, shown only when error detail is on.
    var message: String
    /// True for deserializer errors: ASP.NET records them as exceptions, and without error
    /// detail the client sees `An error has occurred.` in their place.
    var isDeserializerError: Bool
}

/// What reading a body produced: the model (nil when the whole body was rejected, as the
/// XML formatter does on any error), deserializer errors in the order they occurred, and
/// warnings about input the service accepts but that is almost certainly a client bug.
struct BindingResult: Sendable, Equatable {
    var model: UpdateOpportunityModel?
    var errors: [ModelStateEntry] = []
    var warnings: [String] = []
}
