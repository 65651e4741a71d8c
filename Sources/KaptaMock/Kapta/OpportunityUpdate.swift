/// Steps 6 to 9 of the PUT: lookup and visibility, the stage registry, the custom field
/// definitions, then the replacement of the opportunity. They run on one tenant under the
/// store's lock, so the checks and the write see the same state.
enum OpportunityUpdate {
    enum Outcome: Equatable {
        /// The account or opportunity is unknown or not visible, so the service returns 404.
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
        guard let stage = registeredStage(matching: sentStage, in: tenant) else {
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
    private static func customFieldValue(_ item: UDFFieldModel, index: Int, definitions: [CustomFieldDefinition])
        -> Result<CustomFieldValue, CustomFieldError> {
        let sentName = item.fieldName ?? ""
        guard let definition = definitions.first(where: { equalsIgnoringCase($0.name, sentName) }) else {
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

    /// Returns the registry's spelling of a stage, compared ignoring case and the sent text's
    /// surrounding white space.
    static func registeredStage(matching sent: String, in tenant: Tenant) -> String? {
        guard isASCII(sent) else {
            return tenant.registeredStage(matching: sent)
        }
        // ASCII text needs neither Unicode trimming nor case folding: compare in place.
        let bytes = sent.utf8
        guard let first = bytes.firstIndex(where: { !JSONTextReader.isASCIIWhiteSpace($0) }),
              let last = bytes.lastIndex(where: { !JSONTextReader.isASCIIWhiteSpace($0) }) else {
            return nil
        }
        let trimmed = sent[first...last]
        return tenant.stages.first { equalsIgnoringCase($0, trimmed) }
    }

    /// Case-insensitive equality, without allocating when both sides are ASCII.
    static func equalsIgnoringCase<Other: StringProtocol>(_ name: String, _ sent: Other) -> Bool {
        if isASCII(name) && isASCII(sent) {
            return name.equalsIgnoringASCIICase(sent)
        }
        return name.lowercased() == sent.lowercased()
    }

    private static func isASCII<Text: StringProtocol>(_ text: Text) -> Bool {
        text.isASCII
    }

    private static func listing(_ names: [String]) -> String {
        names.isEmpty ? "(none)" : names.joined(separator: ", ")
    }
}
