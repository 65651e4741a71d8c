/// The address of an opportunity: `/__admin/tenants/{tenant}/accounts/{account}/opportunities/{opportunity}`.
struct OpportunityLocation {
    var tenant: String
    var account: String
    var opportunity: String
}

extension AdminAPI {
    /// Returns a tenant id from the URL, or rejects one that the tenant reader would reject
    /// in a body, because no tenant can have it.
    static func tenantID(fromURL id: String) throws(AdminError) -> String {
        guard TenantReader.isValidTenantID(id) else {
            throw .badRequest("invalid tenant id \(ControlEscaping.quoted(id)) in the URL; use letters, digits, "
                + "'-', '.', '_' and '~'")
        }
        return id
    }

    /// Returns an account or opportunity id from the URL, or rejects one that the tenant
    /// reader would reject in a body: a later tenant GET and PUT could not read it back.
    static func pathSegmentID(fromURL id: String, of kind: String) throws(AdminError) -> String {
        if let problem = TenantReader.pathSegmentIDProblem(id) {
            throw .badRequest("\(kind) id in the URL: \(problem)")
        }
        return id
    }

    func listTenants() -> AdminOutcome {
        let ids = store.tenantIDs
        let response = AdminResponse.json { writer in
            writer.beginObject()
            writer.key("tenants")
            TenantWriter.writeStrings(ids, to: &writer)
            writer.endObject()
        }
        return AdminOutcome(response: response, reason: "listed \(ids.count) tenants")
    }

    func tenant(_ id: String, method: String, body: [UInt8]) throws(AdminError) -> AdminOutcome {
        switch method {
        case "PUT":
            return try putTenant(id, body: body)
        case "DELETE":
            guard withTenantWriteLock({ store.remove(tenant: id) }) else {
                throw .notFound(Self.unknownTenant(id))
            }
            return AdminOutcome(response: AdminResponse.noContent, reason: "deleted tenant \(id)")
        default:
            let tenant = try existingTenant(id)
            let response = AdminResponse.json { TenantWriter.write(tenant, to: &$0) }
            return AdminOutcome(response: response, reason: "returned tenant \(id)")
        }
    }

    /// Creates or replaces a whole tenant, validated exactly like a tenant in the config file.
    /// As with the opportunity PUT, a `version` in the body is ignored: an opportunity that
    /// replaces a stored one gets the stored version plus one, and a new one gets 1.
    private func putTenant(_ id: String, body: [UInt8]) throws(AdminError) -> AdminOutcome {
        let node = try parseBody(body)
        let tenant: Tenant
        do {
            tenant = try TenantReader.tenant(from: node, idFromURL: id)
        } catch {
            throw AdminError(error)
        }
        let (stored, existed) = try withTenantWriteLock { () throws(AdminError) -> (Tenant, Bool) in
            if let clash = Self.credentialClash(tenant, among: store.allTenants()) {
                throw AdminError(clash)
            }
            // The Kapta PUT changes versions without the tenant write lock, so the versions
            // are read and written under the store's own lock.
            return store.put(tenant) { $1.continueVersions(from: $0) }
        }
        let response = AdminResponse.json(status: existed ? .ok : HTTPStatus(code: 201)) {
            TenantWriter.write(stored, to: &$0)
        }
        return AdminOutcome(response: response, reason: existed ? "replaced tenant \(id)" : "created tenant \(id)")
    }

    func stages(of id: String, method: String, body: [UInt8]) throws(AdminError) -> AdminOutcome {
        guard method == "PUT" else {
            let tenant = try existingTenant(id)
            return AdminOutcome(response: Self.stagesResponse(tenant.stages), reason: "returned the stages of \(id)")
        }
        let node = try parseBody(body)
        let stages: [String]
        do {
            let object = try node.object(allowedKeys: ["stages"])
            stages = try TenantReader.stages(from: object.required("stages"))
        } catch {
            throw AdminError(error)
        }
        // Opportunities keep their stage even when it leaves the registry, so a test can
        // check how clients handle data the registry no longer defines.
        guard store.modify(tenant: id, { $0.stages = stages }) != nil else {
            throw .notFound(Self.unknownTenant(id))
        }
        return AdminOutcome(response: Self.stagesResponse(stages), reason: "replaced the stages of \(id)")
    }

    private static func stagesResponse(_ stages: [String]) -> HTTPResponse {
        AdminResponse.json { writer in
            writer.beginObject()
            writer.key("stages")
            TenantWriter.writeStrings(stages, to: &writer)
            writer.endObject()
        }
    }

    func opportunity(at location: OpportunityLocation, method: String, body: [UInt8])
        throws(AdminError) -> AdminOutcome
    {
        switch method {
        case "PUT":
            return try putOpportunity(at: location, body: body)
        case "DELETE":
            try deleteOpportunity(at: location)
            return AdminOutcome(response: AdminResponse.noContent,
                                reason: "deleted opportunity \(location.opportunity) of account \(location.account)")
        default:
            let tenant = try existingTenant(location.tenant)
            let accountIndex = try Self.accountIndex(location, in: tenant)
            guard let opportunity = tenant.accounts[accountIndex].opportunities.first(where: {
                $0.id.lowercased() == location.opportunity.lowercased()
            }) else {
                throw .notFound(Self.unknownOpportunity(location))
            }
            let response = AdminResponse.json { TenantWriter.write(opportunity, to: &$0) }
            return AdminOutcome(response: response, reason: "returned opportunity \(opportunity.id)")
        }
    }

    /// Creates or replaces one opportunity. Its `version` is one more than the stored one
    /// (1 for a new opportunity); a `version` in the body is ignored.
    private func putOpportunity(at location: OpportunityLocation, body: [UInt8]) throws(AdminError) -> AdminOutcome {
        let node = try parseBody(body)
        typealias Stored = Result<(Opportunity, created: Bool), AdminError>
        let result: Stored? = store.modify(tenant: location.tenant) { tenant in
            Result { () throws(AdminError) -> (Opportunity, created: Bool) in
                try Self.storeOpportunity(from: node, at: location, in: &tenant)
            }
        }
        guard let result else {
            throw .notFound(Self.unknownTenant(location.tenant))
        }
        let (opportunity, created) = try result.get()
        let response = AdminResponse.json(status: created ? HTTPStatus(code: 201) : .ok) {
            TenantWriter.write(opportunity, to: &$0)
        }
        let verb = created ? "created" : "replaced"
        let reason = "\(verb) opportunity \(opportunity.id) version \(opportunity.version)"
        return AdminOutcome(response: response, reason: reason)
    }

    private static func storeOpportunity(from node: ConfigNode, at location: OpportunityLocation,
                                         in tenant: inout Tenant) throws(AdminError) -> (Opportunity, created: Bool)
    {
        let accountIndex = try accountIndex(location, in: tenant)
        let wanted = location.opportunity.lowercased()
        for account in tenant.accounts where account.id != tenant.accounts[accountIndex].id {
            if account.opportunities.contains(where: { $0.id.lowercased() == wanted }) {
                throw .conflict("opportunity \(ControlEscaping.quoted(location.opportunity)) already exists in account "
                    + "\(ControlEscaping.quoted(account.id)); opportunity ids are unique in a tenant")
            }
        }
        var opportunity: Opportunity
        do {
            opportunity = try OpportunityReader.opportunity(from: node, of: TenantDefinitions(tenant),
                                                            idFromURL: location.opportunity)
        } catch {
            throw AdminError(error)
        }
        var opportunities = tenant.accounts[accountIndex].opportunities
        if let index = opportunities.firstIndex(where: { $0.id.lowercased() == wanted }) {
            opportunity.id = opportunities[index].id
            opportunity.version = Opportunity.version(after: opportunities[index].version)
            opportunities[index] = opportunity
            tenant.accounts[accountIndex].opportunities = opportunities
            return (opportunity, false)
        }
        opportunity.version = 1
        tenant.accounts[accountIndex].opportunities.append(opportunity)
        return (opportunity, true)
    }

    private func deleteOpportunity(at location: OpportunityLocation) throws(AdminError) {
        let result: Result<Void, AdminError>? = store.modify(tenant: location.tenant) { tenant in
            Result { () throws(AdminError) in
                let accountIndex = try Self.accountIndex(location, in: tenant)
                let wanted = location.opportunity.lowercased()
                let before = tenant.accounts[accountIndex].opportunities.count
                tenant.accounts[accountIndex].opportunities.removeAll { $0.id.lowercased() == wanted }
                guard tenant.accounts[accountIndex].opportunities.count < before else {
                    throw .notFound(Self.unknownOpportunity(location))
                }
            }
        }
        guard let result else {
            throw .notFound(Self.unknownTenant(location.tenant))
        }
        try result.get()
    }

    private func existingTenant(_ id: String) throws(AdminError) -> Tenant {
        guard let tenant = store.tenant(id) else {
            throw .notFound(Self.unknownTenant(id))
        }
        return tenant
    }

    /// Account ids are matched case-insensitively, as the Kapta routes match them.
    private static func accountIndex(_ location: OpportunityLocation, in tenant: Tenant) throws(AdminError) -> Int {
        let wanted = location.account.lowercased()
        guard let index = tenant.accounts.firstIndex(where: { $0.id.lowercased() == wanted }) else {
            throw .notFound("account \(ControlEscaping.quoted(location.account)) not found in tenant "
                + ControlEscaping.quoted(tenant.id))
        }
        return index
    }

    /// Returns the first token or client id of `tenant` that another of `tenants` uses.
    static func credentialClash(_ tenant: Tenant, among tenants: [Tenant]) -> ConfigIssue? {
        do {
            try CredentialIndex(tenants, replacing: tenant.id).checkUnused(by: tenant, at: .root)
            return nil
        } catch {
            return error
        }
    }

    private static func unknownTenant(_ id: String) -> String {
        "tenant \(ControlEscaping.quoted(id)) not found"
    }

    private static func unknownOpportunity(_ location: OpportunityLocation) -> String {
        "opportunity \(ControlEscaping.quoted(location.opportunity)) not found in account "
            + ControlEscaping.quoted(location.account)
    }
}
