import Synchronization

/// The live state of every tenant, shared by all event loop threads.
///
/// One lock guards everything, so each method sees and leaves a consistent state: an
/// update replaces an opportunity whole, and no reader ever sees half of one. The lock is
/// held for microseconds (a dictionary lookup and a small copy), never across I/O.
public final class TenantStore: Sendable {
    /// A user found by access token, with the tenant it belongs to. A class, so a lookup
    /// hands out one shared reference: copying the user's fields on every request cost a
    /// retain and a release per field at each step through the API.
    public final class Principal: Sendable, Equatable {
        public let tenantID: String
        public let user: User

        init(tenantID: String, user: User) {
            self.tenantID = tenantID
            self.user = user
        }

        public static func == (lhs: Principal, rhs: Principal) -> Bool {
            lhs.tenantID == rhs.tenantID && lhs.user == rhs.user
        }
    }

    private struct State {
        var tenants: [String: Tenant] = [:]
        /// Tenant ids in configuration order, for listings.
        var order: [String] = []
        var principalsByToken: [String: Principal] = [:]

        init(tenants: [Tenant]) {
            for tenant in tenants {
                self.tenants[tenant.id] = tenant
                order.append(tenant.id)
            }
            rebuildTokenIndex()
        }

        mutating func rebuildTokenIndex() {
            principalsByToken = [:]
            for id in order {
                guard let tenant = tenants[id] else { continue }
                for user in tenant.users where principalsByToken[user.token] == nil {
                    principalsByToken[user.token] = Principal(tenantID: id, user: user)
                }
            }
        }
    }

    private let initialTenants: [Tenant]
    private let state: Mutex<State>

    public init(tenants: [Tenant]) {
        initialTenants = tenants
        state = Mutex(State(tenants: tenants))
    }

    /// The user whose access token is `token`, or nil when no tenant has it.
    public func principal(forToken token: String) -> Principal? {
        state.withLock { $0.principalsByToken[token] }
    }

    public var tenantIDs: [String] {
        state.withLock { $0.order }
    }

    /// A copy of one tenant as it is now.
    public func tenant(_ id: String) -> Tenant? {
        state.withLock { $0.tenants[id] }
    }

    /// Returns the custom field definitions of one tenant, or nil when there is no such tenant.
    func customFields(ofTenant id: String) -> [CustomFieldDefinition]? {
        state.withLock { state in
            state.tenants.index(forKey: id).map { state.tenants.values[$0].customFields }
        }
    }

    /// Copies of every tenant, in configuration order.
    public func allTenants() -> [Tenant] {
        state.withLock { state in state.order.compactMap { state.tenants[$0] } }
    }

    /// Runs `body` on one tenant under the lock and keeps what it changed, or returns nil
    /// when there is no such tenant. `body` must not block.
    public func modify<Result>(tenant id: String, _ body: (inout Tenant) -> Result) -> Result? {
        state.withLock { state in
            // One hash lookup, and the tenant is changed in place inside the dictionary, so
            // its arrays stay uniquely referenced and are not copied on write.
            guard let index = state.tenants.index(forKey: id) else {
                return nil
            }
            var usersChanged = false
            let result = Self.run(body, on: &state.tenants.values[index], usersChanged: &usersChanged)
            if usersChanged {
                state.rebuildTokenIndex()
            }
            return result
        }
    }

    /// Runs `body` on `tenant` and sets `usersChanged` when it changed the users. The users
    /// are read through the one `inout` access: reading them through the dictionary's
    /// `values` subscript would copy the whole tenant each time.
    private static func run<Result>(_ body: (inout Tenant) -> Result, on tenant: inout Tenant,
                                    usersChanged: inout Bool) -> sending Result {
        let usersBefore = tenant.users
        let result = body(&tenant)
        usersChanged = tenant.users != usersBefore
        return result
    }

    /// Adds a tenant, or replaces the one with the same id.
    public func put(_ tenant: Tenant) {
        _ = put(tenant) { _, _ in }
    }

    /// Adds a tenant, or replaces the one with the same id, after `prepare` has changed it
    /// with the stored tenant (nil when there is none) in view. Both run under the lock, so
    /// no other write lands in between. Returns the tenant as stored and whether it replaced one.
    func put(_ tenant: Tenant, prepare: (_ stored: Tenant?, _ tenant: inout Tenant) -> Void)
        -> (tenant: Tenant, replaced: Bool)
    {
        state.withLock { state in
            var prepared = tenant
            prepare(state.tenants[tenant.id], &prepared)
            let replaced = state.tenants.updateValue(prepared, forKey: prepared.id) != nil
            if !replaced {
                state.order.append(prepared.id)
            }
            state.rebuildTokenIndex()
            return (prepared, replaced)
        }
    }

    /// Removes a tenant; returns false when there was none.
    @discardableResult
    public func remove(tenant id: String) -> Bool {
        state.withLock { state in
            guard state.tenants.removeValue(forKey: id) != nil else {
                return false
            }
            state.order.removeAll { $0 == id }
            state.rebuildTokenIndex()
            return true
        }
    }

    /// Restores every tenant to its configured state, dropping tenants added since.
    public func reset() {
        state.withLock { $0 = State(tenants: initialTenants) }
    }

    /// Restores one tenant to its configured state; a tenant that was not configured is
    /// removed. Returns false when the id is neither configured nor present.
    @discardableResult
    public func reset(tenant id: String) -> Bool {
        guard let configured = initialTenants.first(where: { $0.id == id }) else {
            return remove(tenant: id)
        }
        put(configured)
        return true
    }
}
