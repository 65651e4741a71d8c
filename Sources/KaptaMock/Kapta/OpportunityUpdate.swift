/// Steps 6 to 9 of the PUT, run on one tenant under the store's lock so the checks and
/// the write see the same state: lookup and visibility, the stage registry, the custom
/// field definitions, then the replacement of the opportunity.
enum OpportunityUpdate {
    enum Outcome: Equatable {
        /// The account or opportunity is unknown or not visible; the service answers 404.
        case notFound(reason: String)
        case invalidStage(ModelStateEntry, reason: String)
        case invalidCustomFields([ModelStateEntry], reason: String)
        case updated(accountID: String, opportunityID: String, version: Int)
    }

    static func apply(_ model: UpdateOpportunityModel, route: KaptaRoute, user: User, tenant: inout Tenant) -> Outcome {
        guard let accountIndex = tenant.accounts.firstIndex(where: { $0.id.equalsIgnoringASCIICase(route.accountID) })
        else {
            return .notFound(reason: "account '\(route.accountID)' does not exist in tenant '\(tenant.id)'")
        }
        let account = tenant.accounts[accountIndex]
        guard tenant.isAccount(account, visibleTo: user) else {
            return .notFound(reason: "account '\(account.id)' is not visible to user '\(user.id)'")
        }
        guard let opportunityIndex = account.opportunities.firstIndex(where: {
            $0.id.equalsIgnoringASCIICase(route.opportunityID)
        }) else {
            return .notFound(reason: "opportunity '\(route.opportunityID)' does not exist in account '\(account.id)'")
        }
        let sentStage = model.stage ?? ""
        guard let stage = tenant.registeredStage(matching: sentStage) else {
            let message = "The stage '\(sentStage)' is not defined. Defined stages: \(listing(tenant.stages))."
            return .invalidStage(ModelStateEntry(key: "model.Stage", message: message, isDeserializerError: false),
                                 reason: "stage '\(sentStage)' is not defined")
        }
        var customFields: [CustomFieldValue] = []
        var errors: [ModelStateEntry] = []
        for (index, item) in (model.customFields ?? []).enumerated() {
            switch customFieldValue(item, index: index, definitions: tenant.customFields) {
            case .success(let value): customFields.append(value)
            case .failure(let error): errors.append(error.entry)
            }
        }
        if let first = errors.first {
            return .invalidCustomFields(errors, reason: first.message)
        }
        let current = account.opportunities[opportunityIndex]
        let updated = Opportunity(id: current.id, name: model.name ?? "", description: model.description,
                                  closeDate: model.closeDate ?? .minValue, value: model.value ?? .zero,
                                  stage: stage, customFields: customFields, version: current.version + 1)
        tenant.accounts[accountIndex].opportunities[opportunityIndex] = updated
        return .updated(accountID: account.id, opportunityID: current.id, version: updated.version)
    }

    private struct CustomFieldError: Error {
        var entry: ModelStateEntry
    }

    /// Checks one `UDFFieldModel` against the tenant's definitions (names compared
    /// case-insensitively, the type by its service spelling, also case-insensitively) and
    /// takes the value from the slot that matches the type.
    private static func customFieldValue(_ item: UDFFieldModel, index: Int,
                                         definitions: [CustomFieldDefinition]) -> Result<CustomFieldValue, CustomFieldError> {
        let sentName = item.fieldName ?? ""
        let wanted = sentName.lowercased()
        guard let definition = definitions.first(where: { $0.name.lowercased() == wanted }) else {
            let defined = listing(definitions.map(\.name))
            let message = "The custom field '\(sentName)' is not defined. Defined custom fields: \(defined)."
            return .failure(CustomFieldError(entry: ModelStateEntry(key: "model.CustomFields[\(index)].FieldName",
                                                                    message: message, isDeserializerError: false)))
        }
        let sentType = item.type ?? ""
        guard sentType.equalsIgnoringASCIICase(definition.type.rawValue) else {
            let message = "The custom field '\(definition.name)' has type '\(definition.type.rawValue)', "
                + "not '\(sentType)'."
            return .failure(CustomFieldError(entry: ModelStateEntry(key: "model.CustomFields[\(index)].Type",
                                                                    message: message, isDeserializerError: false)))
        }
        var value = CustomFieldValue(fieldName: definition.name, type: definition.type)
        switch definition.type {
        case .string: value.stringValue = item.stringValue
        case .double: value.doubleValue = item.doubleValue
        case .datetime: value.datetimeValue = item.datetimeValue
        }
        return .success(value)
    }

    private static func listing(_ names: [String]) -> String {
        names.isEmpty ? "(none)" : names.joined(separator: ", ")
    }
}
