import Glibc
import Synchronization

/// The result of one admin request: the response and a sentence for the debug log.
struct AdminOutcome: Sendable {
    var response: HTTPResponse
    var reason: String
}

/// The fake's own API under `/__admin`: health, reset, tenants, stages, opportunities, the
/// request journal and faults. JSON only, camelCase, never content-negotiated.
final class AdminAPI: Sendable {
    let store: TenantStore
    let journal: RequestJournal
    let faults: FaultRegistry
    /// Authorization codes of the OAuth code flow, dropped on a full reset.
    let codes: AuthorizationCodes
    private let token: String?
    private let startedAt: UInt64
    /// The tenants as configured, to check a per-tenant reset against the live ones.
    private let configuredTenants: [Tenant]
    /// Serializes the admin writes that add or remove users (tenant PUT and DELETE, reset),
    /// so the check that every token names one user and the write that follows are atomic.
    private let tenantWrites = Mutex(())

    init(store: TenantStore, configuredTenants: [Tenant], journal: RequestJournal, faults: FaultRegistry,
         codes: AuthorizationCodes, token: String?) {
        self.store = store
        self.configuredTenants = configuredTenants
        self.journal = journal
        self.faults = faults
        self.codes = codes
        self.token = token
        self.startedAt = Clock.monotonicNanoseconds()
    }

    /// The path prefix this API owns.
    static let prefix = "/__admin"

    static func owns(path: Substring) -> Bool {
        path.hasPrefixIgnoringASCIICase(prefix)
            && (path.utf8.count == prefix.utf8.count || path.utf8.dropFirst(prefix.utf8.count).first == ASCII.slash)
    }

    func handle(_ request: HTTPRequest) -> AdminOutcome {
        do {
            try authorize(request.head)
            let route = try AdminRoute(head: request.head)
            return try dispatch(route, request: request)
        } catch {
            return AdminOutcome(response: error.response, reason: error.message)
        }
    }

    /// Decides from the head alone when the token is wrong, so a client that sent
    /// `Expect: 100-continue` gets its 401 without uploading the body.
    func responseBeforeBody(to head: HTTPRequestHead) -> AdminOutcome? {
        do {
            try authorize(head)
            return nil
        } catch {
            return AdminOutcome(response: error.response, reason: error.message)
        }
    }

    /// Checks `Authorization: Bearer <token>` (RFC 6750, 2.1) when an admin token is set.
    private func authorize(_ head: HTTPRequestHead) throws(AdminError) {
        guard let token else {
            return
        }
        guard let value = head.fields["Authorization"],
              value.hasPrefixIgnoringASCIICase("Bearer "),
              Self.constantTimeEquals(Array(value.utf8.dropFirst(7)), Array(token.utf8)) else {
            throw .unauthorized
        }
    }

    /// Compares without stopping at the first difference, so response time does not reveal
    /// how much of a guessed token was right.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else {
            return false
        }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    private func dispatch(_ route: AdminRoute, request: HTTPRequest) throws(AdminError) -> AdminOutcome {
        let method = request.head.method
        switch route.segments {
        case ["health"]:
            try route.require(method, in: ["GET"])
            try route.allowQuery([])
            return health()
        case ["reset"]:
            try route.require(method, in: ["POST"])
            return try reset(route)
        case ["tenants"]:
            try route.require(method, in: ["GET"])
            try route.allowQuery([])
            return listTenants()
        case let segments where segments.count == 2 && segments[0] == "tenants":
            try route.require(method, in: ["GET", "PUT", "DELETE"])
            try route.allowQuery([])
            return try tenant(Self.tenantID(fromURL: segments[1]), method: method, body: request.body)
        case let segments where segments.count == 3 && segments[0] == "tenants" && segments[2] == "stages":
            try route.require(method, in: ["GET", "PUT"])
            try route.allowQuery([])
            return try stages(of: Self.tenantID(fromURL: segments[1]), method: method, body: request.body)
        case let segments where segments.count == 6 && segments[0] == "tenants" && segments[2] == "accounts"
            && segments[4] == "opportunities":
            try route.require(method, in: ["GET", "PUT", "DELETE"])
            try route.allowQuery([])
            let location = OpportunityLocation(tenant: try Self.tenantID(fromURL: segments[1]),
                                               account: try Self.pathSegmentID(fromURL: segments[3], of: "account"),
                                               opportunity: try Self.pathSegmentID(fromURL: segments[5],
                                                                                   of: "opportunity"))
            return try opportunity(at: location, method: method, body: request.body)
        case ["requests"]:
            try route.require(method, in: ["GET", "DELETE"])
            return try requests(route, method: method)
        case ["faults"]:
            try route.require(method, in: ["GET", "POST", "DELETE"])
            try route.allowQuery([])
            return try faults(method: method, body: request.body)
        case let segments where segments.count == 2 && segments[0] == "faults":
            try route.require(method, in: ["GET", "DELETE"])
            try route.allowQuery([])
            return try fault(idText: segments[1], method: method)
        default:
            throw .notFound("no admin route matches \(ControlEscaping.quoted(String(request.head.path))); "
                + "routes: /__admin/health, /__admin/reset, /__admin/tenants, /__admin/requests, /__admin/faults")
        }
    }

    private func health() -> AdminOutcome {
        let uptime = (Clock.monotonicNanoseconds() - startedAt) / 1_000_000_000
        let response = AdminResponse.json { writer in
            writer.beginObject()
            writer.member("status", "ok")
            writer.member("version", KaptaMockVersion.current)
            writer.key("uptimeSeconds")
            writer.number(Int(uptime))
            writer.endObject()
        }
        return AdminOutcome(response: response, reason: "healthy")
    }

    /// Restores the configured tenants and clears journal, faults and unused authorization
    /// codes. With `?tenant=` only that tenant's data is restored, and the journal, faults
    /// and codes stay, because they span tenants.
    private func reset(_ route: AdminRoute) throws(AdminError) -> AdminOutcome {
        try route.allowQuery(["tenant"])
        guard let tenantID = route.query["tenant"] else {
            resetEverything()
            return AdminOutcome(response: AdminResponse.noContent, reason: "reset every tenant, the journal and faults")
        }
        try withTenantWriteLock { () throws(AdminError) in
            if let configured = configuredTenants.first(where: { $0.id == tenantID }),
               let clash = Self.credentialClash(configured, among: store.allTenants()) {
                throw .conflict("tenant \(ControlEscaping.quoted(tenantID)) cannot be restored: \(clash.message); "
                    + "change or delete the other tenant first")
            }
            guard store.reset(tenant: tenantID) else {
                throw .notFound("tenant \(ControlEscaping.quoted(tenantID)) is neither configured nor present")
            }
        }
        return AdminOutcome(response: AdminResponse.noContent, reason: "reset tenant \(tenantID)")
    }

    /// Restores the configured tenants and clears journal, faults and unused authorization codes.
    func resetEverything() {
        withTenantWriteLock { store.reset() }
        journal.clear()
        faults.removeAll()
        codes.removeAll()
    }

    func withTenantWriteLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try tenantWrites.withLock { (_: inout ()) throws(Failure) -> Result in
            try body()
        }
    }

    /// Parses a request body with the strict reader; an empty body is an error of its own.
    func parseBody(_ body: [UInt8]) throws(AdminError) -> ConfigNode {
        guard !body.isEmpty else {
            throw .badRequest("the request body is empty; expected a JSON object")
        }
        do {
            return ConfigNode(value: try StrictJSONParser.parse(body), path: .root)
        } catch {
            throw AdminError(error)
        }
    }
}

/// The version `--version` prints and the health endpoint reports.
public enum KaptaMockVersion {
    public static let current = "0.1.0"
}
