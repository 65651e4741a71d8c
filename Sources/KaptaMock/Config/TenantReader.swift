/// Reads tenants in the configuration-file shape, used both for the file and for the admin
/// API's `PUT /__admin/tenants/{tenant}`, so both accept and reject exactly the same input.
enum TenantReader {
    static let tenantKeys = ["id", "stages", "customFields", "users", "applications", "authorizeUser", "accounts"]
    static let userKeys = ["id", "email", "password", "token", "scope", "team"]
    static let applicationKeys = ["clientId", "clientSecret", "redirectUri"]
    static let accountKeys = ["id", "name", "owner", "opportunities"]

    /// Reads the `tenants` array of a configuration file.
    static func tenants(from node: ConfigNode) throws(ConfigIssue) -> [Tenant] {
        var tenants: [Tenant] = []
        var indexByID: [String: Int] = [:]
        var credentials = CredentialIndex()
        for element in try node.array() {
            let tenant = try tenant(from: element, idFromURL: nil)
            if let earlier = indexByID[tenant.id] {
                throw ConfigIssue(path: element.path.appending(key: "id"),
                                  message: "duplicate tenant id \(ControlEscaping.quoted(tenant.id)); "
                                      + "\(node.path.appending(index: earlier)) already uses it")
            }
            try credentials.checkUnused(by: tenant, at: element.path)
            credentials.add(tenant)
            indexByID[tenant.id] = tenants.count
            tenants.append(tenant)
        }
        return tenants
    }

    /// Reads one tenant object. For the admin API the id comes from the URL, and an `id` in
    /// the body, if present, must match it.
    static func tenant(from node: ConfigNode, idFromURL: String?) throws(ConfigIssue) -> Tenant {
        let object = try node.object(allowedKeys: tenantKeys)
        let id: String
        if let idFromURL {
            id = idFromURL
            if let bodyID = object.optional("id"), try bodyID.string() != idFromURL {
                throw bodyID.issue("the id in the body does not match the tenant \(ControlEscaping.quoted(idFromURL)) "
                    + "in the URL; leave it out or make them equal")
            }
        } else {
            id = try tenantID(from: object.required("id"))
        }
        var tenant = Tenant(id: id)
        if let stages = object.optional("stages") {
            tenant.stages = try self.stages(from: stages)
        }
        if let fields = object.optional("customFields") {
            tenant.customFields = try customFieldDefinitions(from: fields)
        }
        if let users = object.optional("users") {
            tenant.users = try self.users(from: users)
        }
        if let applications = object.optional("applications") {
            tenant.applications = try self.applications(from: applications)
        }
        let userIDs = Set(tenant.users.map(\.id))
        if let authorizeUser = object.optional("authorizeUser") {
            let userID = try authorizeUser.trimmedString()
            guard userIDs.contains(userID) else {
                throw authorizeUser.issue("unknown user \(ControlEscaping.quoted(userID)); "
                    + "expected the id of a user of this tenant")
            }
            tenant.authorizeUser = userID
        }
        if let accounts = object.optional("accounts") {
            tenant.accounts = try self.accounts(from: accounts, of: tenant, userIDs: userIDs)
        }
        return tenant
    }

    /// Tenant ids appear in admin URLs, so they are limited to the unreserved characters of
    /// RFC 3986, 2.3, which never need percent-encoding.
    static func tenantID(from node: ConfigNode) throws(ConfigIssue) -> String {
        let id = try node.trimmedString()
        guard isValidTenantID(id) else {
            throw node.issue("invalid tenant id \(ControlEscaping.quoted(id)); use letters, digits, '-', '.', '_' and '~'")
        }
        return id
    }

    static func isValidTenantID(_ id: String) -> Bool {
        !isDotSegment(id) && !id.isEmpty && id.utf8.allSatisfy { byte in
            ASCII.isDigit(byte) || (byte | 0x20) &- 0x61 < 26 || "-._~".utf8.contains(byte)
        }
    }

    /// Reads the stage registry, whose names are unique case-insensitively because the
    /// endpoint matches them that way. Duplicates are found through a dictionary keyed by the
    /// lowercased name, the form `Tenant.registeredStage(matching:)` compares, so a registry
    /// of n stages is checked in O(n).
    static func stages(from node: ConfigNode) throws(ConfigIssue) -> [String] {
        var stages: [String] = []
        var spellingByKey: [String: String] = [:]
        for element in try node.array() {
            let stage = try element.trimmedString()
            if let earlier = spellingByKey.updateValue(stage, forKey: stage.lowercased()) {
                throw element.issue("duplicate stage \(ControlEscaping.quoted(stage)); stages are matched "
                    + "case-insensitively, so it repeats \(ControlEscaping.quoted(earlier))")
            }
            stages.append(stage)
        }
        return stages
    }

    static func customFieldDefinitions(from node: ConfigNode) throws(ConfigIssue) -> [CustomFieldDefinition] {
        var definitions: [CustomFieldDefinition] = []
        var keys: Set<String> = []
        for element in try node.array() {
            let object = try element.object(allowedKeys: ["name", "type"])
            let nameNode = try object.required("name")
            let name = try nameNode.trimmedString()
            guard keys.insert(name.lowercased()).inserted else {
                throw nameNode.issue("duplicate custom field \(ControlEscaping.quoted(name)); field names are "
                    + "matched case-insensitively and must be unique")
            }
            let typeName = try object.required("type").oneOf(CustomFieldType.allCases.map(\.rawValue))
            definitions.append(CustomFieldDefinition(name: name, type: CustomFieldType(rawValue: typeName) ?? .string))
        }
        return definitions
    }

    static func users(from node: ConfigNode) throws(ConfigIssue) -> [User] {
        var users: [User] = []
        var userIDs: Set<String> = []
        // Lowercased email and token, each with the id of the user that has it.
        var emailOwners: [String: String] = [:]
        var tokenOwners: [String: String] = [:]
        var teams: [(node: ConfigNode, members: [String])] = []
        for element in try node.array() {
            let object = try element.object(allowedKeys: userKeys)
            let idNode = try object.required("id")
            let id = try idNode.trimmedString()
            guard userIDs.insert(id).inserted else {
                throw idNode.issue("duplicate user id \(ControlEscaping.quoted(id)); user ids must be unique in a tenant")
            }
            let emailNode = try object.required("email")
            let email = try emailNode.trimmedString()
            guard email.contains("@") else {
                throw emailNode.issue("invalid email \(ControlEscaping.quoted(email)); expected an address such as "
                    + "alice@acme.example")
            }
            if let other = emailOwners.updateValue(id, forKey: email.lowercased()) {
                throw emailNode.issue("email \(ControlEscaping.quoted(email)) is already used by user "
                    + "\(ControlEscaping.quoted(other)); logon finds users by email, so it must be unique")
            }
            let password = try object.required("password").string()
            guard !password.isEmpty else {
                throw ConfigIssue(path: element.path.appending(key: "password"), message: "must not be empty")
            }
            let tokenNode = try object.required("token")
            let token = try accessToken(from: tokenNode)
            if let other = tokenOwners.updateValue(id, forKey: token) {
                throw tokenNode.issue("this token is already used by user \(ControlEscaping.quoted(other)); "
                    + "each user needs its own token")
            }
            let scopeName = try object.required("scope").oneOf(UserScope.allCases.map(\.rawValue))
            let scope = UserScope(rawValue: scopeName) ?? .selfOnly
            var user = User(id: id, email: email, password: password, token: token, scope: scope)
            if let team = object.optional("team") {
                user.team = try team.stringArray()
                if !user.team.isEmpty && scope != .manager {
                    throw team.issue("only a user with scope manager has a team; this user has scope \(scopeName)")
                }
                teams.append((team, user.team))
            }
            users.append(user)
        }
        try checkTeams(teams, userIDs: userIDs)
        return users
    }

    /// Team members must be other users of the same tenant, each listed once.
    private static func checkTeams(_ teams: [(node: ConfigNode, members: [String])], userIDs: Set<String>)
        throws(ConfigIssue)
    {
        for (node, members) in teams {
            let owner = node.path
            var listed: Set<String> = []
            for (index, member) in members.enumerated() {
                let memberPath = owner.appending(index: index)
                guard userIDs.contains(member) else {
                    throw ConfigIssue(path: memberPath, message: "unknown user \(ControlEscaping.quoted(member)); "
                        + "team members must be users of the same tenant")
                }
                guard listed.insert(member).inserted else {
                    throw ConfigIssue(path: memberPath, message: "user \(ControlEscaping.quoted(member)) is listed twice")
                }
            }
        }
    }

    /// Access tokens travel as `Authorization: token <value>`, so they must be visible ASCII
    /// without spaces. Messages never repeat a token, because they end up in logs.
    static func accessToken(from node: ConfigNode) throws(ConfigIssue) -> String {
        let token = try node.string()
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 > ASCII.space && $0 < 0x7F }) else {
            throw node.issue("invalid token; expected visible ASCII characters without spaces")
        }
        return token
    }

    static func applications(from node: ConfigNode) throws(ConfigIssue) -> [APIApplication] {
        var applications: [APIApplication] = []
        var clientIDs: Set<String> = []
        for element in try node.array() {
            let object = try element.object(allowedKeys: applicationKeys)
            let clientIDNode = try object.required("clientId")
            let clientID = try clientIDNode.trimmedString()
            guard clientIDs.insert(clientID).inserted else {
                throw clientIDNode.issue("duplicate clientId \(ControlEscaping.quoted(clientID))")
            }
            let secret = try object.required("clientSecret").string()
            guard !secret.isEmpty else {
                throw ConfigIssue(path: element.path.appending(key: "clientSecret"), message: "must not be empty")
            }
            let redirectNode = try object.required("redirectUri")
            let redirectURI = try redirectNode.trimmedString()
            guard redirectURI.hasPrefix("http://") || redirectURI.hasPrefix("https://") else {
                throw redirectNode.issue("invalid redirectUri \(ControlEscaping.quoted(redirectURI)); "
                    + "expected an absolute http:// or https:// URI")
            }
            // RFC 6749, 3.1.2: the redirection endpoint URI must not include a fragment,
            // because the code goes into the query, and a browser keeps the fragment to itself.
            guard !redirectURI.contains("#") else {
                throw redirectNode.issue("invalid redirectUri \(ControlEscaping.quoted(redirectURI)); a redirection URI "
                    + "must not contain a fragment (RFC 6749, 3.1.2), so remove the part from '#'")
            }
            applications.append(APIApplication(clientID: clientID, clientSecret: secret, redirectURI: redirectURI))
        }
        return applications
    }

    /// Reads the accounts of `tenant`, whose users are already read. `userIDs` are their ids.
    static func accounts(from node: ConfigNode, of tenant: Tenant, userIDs: Set<String>)
        throws(ConfigIssue) -> [Account]
    {
        var accounts: [Account] = []
        // Keyed by the lowercased id, because the Kapta routes match ids case-insensitively.
        var accountIDs: [String: String] = [:]
        var opportunityPaths: [String: JSONPath] = [:]
        let definitions = TenantDefinitions(tenant)
        for element in try node.array() {
            let object = try element.object(allowedKeys: accountKeys)
            let idNode = try object.required("id")
            let id = try pathSegmentID(from: idNode)
            if let other = accountIDs.updateValue(id, forKey: id.lowercased()) {
                throw idNode.issue("duplicate account id \(ControlEscaping.quoted(id)); account ids are matched "
                    + "case-insensitively, so it repeats \(ControlEscaping.quoted(other))")
            }
            let name = try object.required("name").requiredText()
            let ownerNode = try object.required("owner")
            let owner = try ownerNode.trimmedString()
            guard userIDs.contains(owner) else {
                throw ownerNode.issue("unknown user \(ControlEscaping.quoted(owner)); the owner must be a user "
                    + "of this tenant")
            }
            var account = Account(id: id, name: name, owner: owner)
            if let opportunities = object.optional("opportunities") {
                for opportunityNode in try opportunities.array() {
                    let opportunity = try OpportunityReader.opportunity(from: opportunityNode, of: definitions,
                                                                        idFromURL: nil)
                    let key = opportunity.id.lowercased()
                    if let earlier = opportunityPaths[key] {
                        throw ConfigIssue(path: opportunityNode.path.appending(key: "id"),
                                          message: "duplicate opportunity id \(ControlEscaping.quoted(opportunity.id)); "
                                              + "\(earlier) already uses it, and ids are unique in a tenant")
                    }
                    opportunityPaths[key] = opportunityNode.path
                    account.opportunities.append(opportunity)
                }
            }
            accounts.append(account)
        }
        return accounts
    }

    /// Account and opportunity ids are route values of `/v1/account/{id}/opportunity/{id}`.
    /// A `/` would make them unreachable, because ASP.NET splits the path before matching.
    static func pathSegmentID(from node: ConfigNode) throws(ConfigIssue) -> String {
        let id = try node.string()
        if let problem = pathSegmentIDProblem(id) {
            throw node.issue(problem)
        }
        return id
    }

    /// Returns why `id` cannot be an account or opportunity id, or nil when it can. The
    /// admin API checks the ids in its URLs with this rule too.
    static func pathSegmentIDProblem(_ id: String) -> String? {
        if let problem = ConfigNode.trimmedStringProblem(id) {
            return problem
        }
        if id.contains("/") {
            return "invalid id \(ControlEscaping.quoted(id)); it must not contain '/', which no URL could address"
        }
        if isDotSegment(id) {
            return "invalid id \(ControlEscaping.quoted(id)); clients remove it from URLs (RFC 3986, 5.2.4)"
        }
        return nil
    }

    /// `.` and `..` are dot-segments, which clients remove from a path before sending it
    /// (RFC 3986, 5.2.4), so a tenant, account or opportunity with such an id is unreachable.
    static func isDotSegment(_ id: String) -> Bool {
        id == "." || id == ".."
    }
}
