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

    /// Applies the update to `tenant`. `preresolved` is the result of `resolveCustomFields`
    /// computed before the lock was taken, or nil to resolve the custom fields here.
    static func apply(_ model: UpdateOpportunityModel, route: KaptaRoute, user: User, tenant: inout Tenant,
                      preresolved: ResolvedCustomFields? = nil) -> Outcome {
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

        // Custom fields resolved outside the lock are used when the definitions are still the
        // ones they were resolved against. Array equality first compares the storage, so the
        // check is one comparison unless the definitions were replaced meanwhile.
        let resolved: ResolvedCustomFields
        if let preresolved, preresolved.definitions == tenant.customFields {
            resolved = preresolved
        } else {
            resolved = resolveCustomFields(model.customFields, definitions: tenant.customFields)
        }
        if let first = resolved.errors.first {
            return .invalidCustomFields(resolved.errors, reason: first.message)
        }

        let opportunityID = tenant.accounts[accountIndex].opportunities[opportunityIndex].id
        let storedVersion = tenant.accounts[accountIndex].opportunities[opportunityIndex].version
        let version = Opportunity.version(after: storedVersion)
        tenant.accounts[accountIndex].opportunities[opportunityIndex] = Opportunity(
            id: opportunityID, name: model.name ?? "", description: model.description,
            closeDate: model.closeDate ?? .minValue, value: model.value ?? .zero, stage: stage,
            customFields: resolved.values, version: version)
        return .updated(accountID: accountID, opportunityID: opportunityID)
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
            let trimmed = UnsafeBufferPointer(rebasing: bytes[JSONTextReader.rangeTrimmingASCIIWhiteSpace(bytes)])
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

    static func listing(_ names: [String]) -> String {
        names.isEmpty ? "(none)" : names.joined(separator: ", ")
    }
}
