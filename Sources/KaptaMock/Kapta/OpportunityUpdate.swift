/// Steps 6 to 9 of the PUT: lookup and visibility, the stage registry, the custom field
/// definitions, then the replacement of the opportunity. They run on one tenant under the
/// store's lock, so the checks and the write see the same state.
enum OpportunityUpdate {
    /// The result of an update. The error cases are `indirect` so the enum stays four words
    /// wide: a wider one is copied and destroyed through value witnesses.
    enum Outcome: Equatable {
        /// The account or opportunity is unknown or not visible, so the service returns 404.
        case notFound(reason: String)
        indirect case invalidStage(ModelStateEntry, reason: String)
        indirect case invalidCustomFields([ModelStateEntry], reason: String)
        /// The opportunity was replaced; the ids are the stored spellings.
        case updated(accountID: String, opportunityID: String)
    }

    static func apply(_ model: UpdateOpportunityModel, route: KaptaRoute, user: User, tenant: inout Tenant) -> Outcome {
        // Accounts and opportunities are found by index and read in place. `firstIndex(where:)`
        // would copy every element it tests, and a copy of the account would share its
        // opportunity list, so the write below would copy the whole list.
        guard let accountIndex = tenant.accounts.indices.first(where: {
            tenant.accounts[$0].id.equalsIgnoringASCIICase(route.accountID)
        }) else {
            return .notFound(reason: "account '\(route.accountID)' does not exist in tenant '\(tenant.id)'")
        }

        let accountID = tenant.accounts[accountIndex].id
        guard tenant.isAccount(ownedBy: tenant.accounts[accountIndex].owner, visibleTo: user) else {
            return .notFound(reason: "account '\(accountID)' is not visible to user '\(user.id)'")
        }
        guard let opportunityIndex = tenant.accounts[accountIndex].opportunities.indices.first(where: {
            tenant.accounts[accountIndex].opportunities[$0].id.equalsIgnoringASCIICase(route.opportunityID)
        }) else {
            return .notFound(reason: "opportunity '\(route.opportunityID)' does not exist in account '\(accountID)'")
        }

        let sentStage = model.stage ?? ""
        guard let stage = registeredStage(matching: sentStage, in: tenant) else {
            let message = "The stage '\(sentStage)' is not defined. Defined stages: \(listing(tenant.stages))."
            return .invalidStage(ModelStateEntry(key: "model.Stage", message: message, isDeserializerError: false),
                                 reason: "stage '\(sentStage)' is not defined")
        }

        var customFields: [CustomFieldValue] = []
        var errors: [ModelStateEntry] = []
        if let items = model.customFields {
            customFields.reserveCapacity(items.count)
            for index in items.indices {
                if let error = appendCustomFieldValue(of: items, at: index, definitions: tenant.customFields,
                                                      to: &customFields) {
                    errors.append(error)
                }
            }
        }
        if let first = errors.first {
            return .invalidCustomFields(errors, reason: first.message)
        }

        let opportunityID = tenant.accounts[accountIndex].opportunities[opportunityIndex].id
        let version = tenant.accounts[accountIndex].opportunities[opportunityIndex].version + 1
        tenant.accounts[accountIndex].opportunities[opportunityIndex] = Opportunity(
            id: opportunityID, name: model.name ?? "", description: model.description,
            closeDate: model.closeDate ?? .minValue, value: model.value ?? .zero, stage: stage,
            customFields: customFields, version: version)
        return .updated(accountID: accountID, opportunityID: opportunityID)
    }

    /// Checks the `UDFFieldModel` at `index` against the tenant's definitions (names compared
    /// case-insensitively, the type by its service spelling, also case-insensitively) and
    /// appends the value from the slot that matches the type, or returns the ModelState error.
    /// The item is read in place in `items`: passing it alone would copy all its members.
    private static func appendCustomFieldValue(of items: [UDFFieldModel], at index: Int,
                                               definitions: [CustomFieldDefinition],
                                               to values: inout [CustomFieldValue]) -> ModelStateEntry? {
        let sentName = items[index].fieldName ?? ""
        guard let definitionIndex = definitions.indices.first(where: {
            equalsIgnoringCase(definitions[$0].name, sentName)
        }) else {
            let defined = listing(definitions.map(\.name))
            let message = "The custom field '\(sentName)' is not defined. Defined custom fields: \(defined)."
            return ModelStateEntry(key: "model.CustomFields[\(index)].FieldName", message: message,
                                   isDeserializerError: false)
        }
        let name = definitions[definitionIndex].name
        let type = definitions[definitionIndex].type
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

    /// Returns the registry's spelling of a stage, compared ignoring case and the sent text's
    /// surrounding white space.
    static func registeredStage(matching sent: String, in tenant: Tenant) -> String? {
        // ASCII text needs neither Unicode trimming nor case folding: compare in place. The
        // closure returns an index, because optional strings would be copied and destroyed
        // through value witnesses.
        let stages = tenant.stages
        let index: Int = sent.withUTF8Buffer { bytes in
            guard bytes.isASCII else {
                return Self.needsUnicodeMatch
            }
            var start = 0
            var end = bytes.count
            while start < end && JSONTextReader.isASCIIWhiteSpace(bytes[start]) {
                start += 1
            }
            while end > start && JSONTextReader.isASCIIWhiteSpace(bytes[end - 1]) {
                end -= 1
            }
            let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard !trimmed.isEmpty, let index = stages.firstIndex(where: { equalsIgnoringCase($0, asciiText: trimmed) })
            else {
                return Self.noMatch
            }
            return index
        }
        switch index {
        case Self.needsUnicodeMatch: return tenant.registeredStage(matching: sent)
        case Self.noMatch: return nil
        default: return stages[index]
        }
    }

    private static let noMatch = -1
    private static let needsUnicodeMatch = -2

    /// Case-insensitive equality, as `name.lowercased() == sent.lowercased()`, without
    /// allocating when both sides are ASCII.
    static func equalsIgnoringCase(_ name: String, _ sent: String) -> Bool {
        sent.withUTF8Buffer { bytes in
            guard bytes.isASCII else {
                return name.lowercased() == sent.lowercased()
            }
            return equalsIgnoringCase(name, asciiText: bytes)
        }
    }

    /// Case-insensitive equality of `name` and ASCII text, as `lowercased()` on both sides
    /// decides it. Lowercasing can turn a non-ASCII name into ASCII (U+212A KELVIN SIGN
    /// becomes `k`), so only an ASCII name is compared in place.
    private static func equalsIgnoringCase(_ name: String, asciiText text: UnsafeBufferPointer<UInt8>) -> Bool {
        name.withUTF8Buffer { nameBytes in
            guard nameBytes.isASCII else {
                return name.lowercased() == String(decoding: text, as: UTF8.self).lowercased()
            }
            return ASCII.equalsIgnoringCase(nameBytes, text)
        }
    }

    private static func listing(_ names: [String]) -> String {
        names.isEmpty ? "(none)" : names.joined(separator: ", ")
    }
}
