/// The access tokens and OAuth client ids of a set of tenants, for rejecting a tenant that
/// reuses one: a token must name exactly one user, and a client id exactly one application.
///
/// Each check is one hash lookup per credential, so reading n tenants, or putting a tenant
/// beside n others, costs time linear in the number of users and applications.
struct CredentialIndex {
    private var tokenOwners: [String: (tenantID: String, userID: String)] = [:]
    private var clientOwners: [String: String] = [:]

    init() {}

    /// Indexes `tenants` except the one with id `replacedID`, which the checked tenant replaces.
    init(_ tenants: [Tenant], replacing replacedID: String) {
        for tenant in tenants where tenant.id != replacedID {
            add(tenant)
        }
    }

    /// Adds the credentials of `tenant`. A credential already indexed keeps its first owner.
    mutating func add(_ tenant: Tenant) {
        for user in tenant.users where tokenOwners[user.token] == nil {
            tokenOwners[user.token] = (tenant.id, user.id)
        }
        for application in tenant.applications where clientOwners[application.clientID] == nil {
            clientOwners[application.clientID] = tenant.id
        }
    }

    /// Throws for the first token, then the first client id, of `tenant` that an indexed
    /// tenant already uses. `path` is the location of `tenant` in the document.
    func checkUnused(by tenant: Tenant, at path: JSONPath) throws(ConfigIssue) {
        for (index, user) in tenant.users.enumerated() {
            if let owner = tokenOwners[user.token] {
                let tokenPath = path.appending(key: "users").appending(index: index).appending(key: "token")
                throw ConfigIssue(path: tokenPath,
                                  message: "this token is already used by user \(ControlEscaping.quoted(owner.userID)) "
                                      + "of tenant \(ControlEscaping.quoted(owner.tenantID)); each user needs its own token")
            }
        }
        for (index, application) in tenant.applications.enumerated() {
            if let owner = clientOwners[application.clientID] {
                throw ConfigIssue(
                    path: path.appending(key: "applications").appending(index: index).appending(key: "clientId"),
                    message: "clientId \(ControlEscaping.quoted(application.clientID)) is already used by tenant "
                        + "\(ControlEscaping.quoted(owner)); logon finds the tenant by clientId, so it must be unique")
            }
        }
    }
}
