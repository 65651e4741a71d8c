/// The custom field values of a PUT, or its ModelState errors, with the definitions they
/// were checked against.
struct ResolvedCustomFields {
    let definitions: [CustomFieldDefinition]
    var values: [CustomFieldValue] = []
    var errors: [ModelStateEntry] = []
}

extension OpportunityUpdate {
    /// Maximum number of items whose definitions are found by scanning. Up to this count a
    /// scan per item costs, by estimate, no more than building the index, and allocates nothing.
    static let maxItemsWithoutIndex = 4

    /// Maximum number of custom field names that an error message lists, and of UTF-8 bytes
    /// they take. A longer list ends with "and N more", so that 1,000 errors on a tenant with
    /// many or long field names stay a small response.
    static let maxListedCustomFields = 100
    static let maxListedCustomFieldBytes = 2_000

    /// Checks each `UDFFieldModel` against `definitions` and collects the stored values, or
    /// at most `JSONModelBinder.maxErrorCount` ModelState errors. Needs no lock: the caller
    /// passes the definitions it read, and `apply` checks that they are still current.
    static func resolveCustomFields(_ items: [UDFFieldModel]?,
                                    definitions: [CustomFieldDefinition]) -> ResolvedCustomFields {
        var resolved = ResolvedCustomFields(definitions: definitions)
        guard let items else {
            return resolved
        }
        // Hash lookups keep a body of n items linear in n: a scan per item made 20,000
        // items take 46 s in a debug build.
        let index = items.count > maxItemsWithoutIndex ? TenantDefinitions(customFields: definitions) : nil
        var definedNames: String?
        resolved.values.reserveCapacity(items.count)
        for position in items.indices where resolved.errors.count < JSONModelBinder.maxErrorCount {
            let sentName = items[position].fieldName ?? ""
            let definition: CustomFieldDefinition?
            if let index {
                definition = index.customField(named: sentName)
            } else {
                definition = firstDefinition(named: sentName, in: definitions)
            }
            guard let definition else {
                // The list is the same for every error, so it is built once.
                let defined = definedNames ?? customFieldListing(definitions)
                definedNames = defined
                let message = "The custom field '\(sentName)' is not defined. Defined custom fields: \(defined)."
                resolved.errors.append(ModelStateEntry(key: "model.CustomFields[\(position)].FieldName",
                                                       message: message, isDeserializerError: false))
                continue
            }
            if let error = appendCustomFieldValue(of: items, at: position, definition: definition,
                                                  to: &resolved.values) {
                resolved.errors.append(error)
            }
        }
        return resolved
    }

    /// Returns the first definition whose name equals `name` without regard to case. The
    /// definitions are read by index, because `first(where:)` would copy each one it tests.
    private static func firstDefinition(named name: String,
                                        in definitions: [CustomFieldDefinition]) -> CustomFieldDefinition? {
        definitions.indices.first { equalsIgnoringCase(definitions[$0].name, name) }.map { definitions[$0] }
    }

    /// Checks the type of the `UDFFieldModel` at `index` (the service spelling, compared
    /// case-insensitively) and appends the value from the slot that matches it, or returns
    /// the ModelState error. The item is read in place in `items`: passing it alone would
    /// copy all its members.
    private static func appendCustomFieldValue(of items: [UDFFieldModel], at index: Int,
                                               definition: CustomFieldDefinition,
                                               to values: inout [CustomFieldValue]) -> ModelStateEntry? {
        let name = definition.name
        let type = definition.type
        let sentType = items[index].type ?? ""
        guard sentType.equalsIgnoringASCIICase(type.rawValue) else {
            let message = "The custom field '\(name)' has type '\(type.rawValue)', not '\(sentType)'."
            return ModelStateEntry(key: "model.CustomFields[\(index)].Type", message: message,
                                   isDeserializerError: false)
        }
        switch type {
        case .string:
            values.append(CustomFieldValue(fieldName: name, type: type, stringValue: items[index].stringValue))
        case .double:
            values.append(CustomFieldValue(fieldName: name, type: type, doubleValue: items[index].doubleValue))
        case .datetime:
            values.append(CustomFieldValue(fieldName: name, type: type, datetimeValue: items[index].datetimeValue))
        }
        return nil
    }

    /// Formats the names of `definitions` for an error message: all of them, or as many as fit
    /// `maxListedCustomFields` and `maxListedCustomFieldBytes`, followed by "and N more".
    private static func customFieldListing(_ definitions: [CustomFieldDefinition]) -> String {
        var listedNames: [String] = []
        var bytes = 0
        for definition in definitions.prefix(maxListedCustomFields) {
            bytes += definition.name.utf8.count + 2
            guard bytes <= maxListedCustomFieldBytes else {
                break
            }
            listedNames.append(definition.name)
        }
        guard listedNames.count < definitions.count else {
            return listing(listedNames)
        }
        let rest = definitions.count - listedNames.count
        guard !listedNames.isEmpty else {
            let fields = rest == 1 ? "1 field whose name is" : "\(rest) fields whose names are"
            return "\(fields) too long to list"
        }
        return "\(listedNames.joined(separator: ", ")) and \(rest) more"
    }
}
