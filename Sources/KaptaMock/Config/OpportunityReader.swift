/// Reads one opportunity in the configuration-file shape and checks it against its tenant's
/// stage registry and custom field definitions.
enum OpportunityReader {
    static let opportunityKeys = ["id", "name", "description", "closeDate", "value", "stage", "customFields", "version"]
    static let customFieldKeys = ["fieldName", "type", "stringValue", "doubleValue", "datetimeValue"]

    /// For the admin API the id comes from the URL; an `id` in the body must then match it,
    /// compared case-insensitively as the endpoint compares OpportunityID.
    static func opportunity(from node: ConfigNode, of definitions: TenantDefinitions, idFromURL: String?)
        throws(ConfigIssue) -> Opportunity
    {
        let object = try node.object(allowedKeys: opportunityKeys)
        let id: String
        if let idFromURL {
            id = idFromURL
            if let bodyID = object.optional("id"), try bodyID.string().lowercased() != idFromURL.lowercased() {
                throw bodyID.issue("the id in the body does not match the opportunity "
                    + "\(ControlEscaping.quoted(idFromURL)) in the URL; leave it out or make them equal")
            }
        } else {
            id = try TenantReader.pathSegmentID(from: object.required("id"))
        }

        let name = try object.required("name").requiredText()
        let description = try object.optional("description")?.string()
        let closeDate = try object.required("closeDate").dateTime()
        let value = try object.required("value").decimal()
        let stageNode = try object.required("stage")
        let stageName = try stageNode.string()
        guard let stage = definitions.registeredStage(matching: stageName) else {
            let defined = definitions.stages.isEmpty ? "the tenant defines no stages" : "defined stages: "
                + definitions.stages.joined(separator: ", ")
            throw stageNode.issue("stage \(ControlEscaping.quoted(stageName)) is not defined; \(defined)")
        }

        var opportunity = Opportunity(id: id, name: name, description: description, closeDate: closeDate,
                                      value: value, stage: stage)
        if let fields = object.optional("customFields") {
            for element in try fields.array() {
                opportunity.customFields.append(try customFieldValue(from: element, of: definitions))
            }
        }
        if let version = object.optional("version") {
            opportunity.version = try version.integer(in: 1...Opportunity.maxVersion)
        }
        return opportunity
    }

    /// Reads one custom field value. The field must be defined with the same type, and only
    /// the slot of that type may carry a value, because the endpoint reads only that slot.
    static func customFieldValue(from node: ConfigNode, of definitions: TenantDefinitions)
        throws(ConfigIssue) -> CustomFieldValue
    {
        let object = try node.object(allowedKeys: customFieldKeys)
        let nameNode = try object.required("fieldName")
        let name = try nameNode.trimmedString()
        guard let definition = definitions.customField(named: name) else {
            let defined = definitions.customFields.isEmpty ? "the tenant defines no custom fields"
                : "defined fields: " + definitions.customFields.map(\.name).joined(separator: ", ")
            throw nameNode.issue("custom field \(ControlEscaping.quoted(name)) is not defined; \(defined)")
        }

        let typeNode = try object.required("type")
        let typeName = try typeNode.oneOf(CustomFieldType.allCases.map(\.rawValue))
        guard typeName == definition.type.rawValue else {
            throw typeNode.issue("custom field \(ControlEscaping.quoted(definition.name)) has type "
                + "\(definition.type.rawValue), not \(typeName)")
        }

        var value = CustomFieldValue(fieldName: definition.name, type: definition.type)
        let slots: [(key: String, type: CustomFieldType)] = [
            ("stringValue", .string), ("doubleValue", .double), ("datetimeValue", .datetime),
        ]
        for slot in slots where slot.type != definition.type {
            if let stray = object.optional(slot.key) {
                throw stray.issue("a \(definition.type.rawValue) field carries its value in "
                    + "\(slots.first { $0.type == definition.type }?.key ?? "its own slot"); leave \(slot.key) out")
            }
        }
        switch definition.type {
        case .string:
            value.stringValue = try object.optional("stringValue")?.string()
        case .double:
            value.doubleValue = try object.optional("doubleValue")?.double()
        case .datetime:
            value.datetimeValue = try object.optional("datetimeValue")?.dateTime()
        }
        return value
    }
}
