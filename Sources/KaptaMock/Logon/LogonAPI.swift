/// The logon endpoints of the service under `/auth/login`: password logon and the OAuth 2.0
/// authorization code flow (RFC 6749, 4.1), approving at once for the tenant's configured
/// authorize user.
///
/// Errors follow RFC 6749, 5.2 with status 400: `invalid_request` for a malformed or
/// incomplete request, `invalid_client` for an unknown application, a wrong secret or a
/// redirect URI it did not register, `invalid_grant` for wrong user credentials or a bad
/// code. The body carries only the error code, as the service's does; the request journal
/// says which check failed.
final class LogonAPI: Sendable {
    private enum Route {
        case passwordLogon
        case authorize
        case accessToken
    }

    let store: TenantStore
    let fidelity: FidelitySettings
    let codes: AuthorizationCodes

    init(store: TenantStore, fidelity: FidelitySettings, codes: AuthorizationCodes = AuthorizationCodes()) {
        self.store = store
        self.fidelity = fidelity
        self.codes = codes
    }

    /// Parameters whose values never appear in the journal or in logs.
    static let secretParameters: Set<String> = ["password", "client_secret", "code"]

    /// Whether `path` belongs to these endpoints.
    static func handles(path: Substring) -> Bool {
        path.hasPrefixIgnoringASCIICase("/auth/login/") || path.equalsIgnoringASCIICase("/auth/login")
    }

    func handle(_ request: HTTPRequest) -> KaptaOutcome {
        let head = request.head
        guard let route = Self.route(for: head.path) else {
            return outcome(LogonResponses.notFound(head, fidelity: fidelity), "no logon route matches \(head.path)")
        }
        let method = route == .authorize ? "GET" : "POST"
        guard head.method == method else {
            return outcome(LogonResponses.methodNotAllowed(head.method, allow: method, fidelity: fidelity),
                           "\(head.method) is not allowed here")
        }
        if route == .authorize {
            return authorize(head)
        }
        switch Self.readForm(request) {
        case .failure(let reason):
            return error("invalid_request", reason.description)
        case .success(let form):
            return route == .passwordLogon ? passwordLogon(form) : exchangeCode(form)
        }
    }

    private static func route(for path: Substring) -> Route? {
        var path = path
        if path.count > 1 && path.hasSuffix("/") {
            path = path.dropLast()
        }
        if path.equalsIgnoringASCIICase("/auth/login/logonaccesstoken")
            || path.equalsIgnoringASCIICase("/auth/login/v2/logonaccesstoken") {
            return .passwordLogon
        }
        if path.equalsIgnoringASCIICase("/auth/login/authorize") {
            return .authorize
        }
        if path.equalsIgnoringASCIICase("/auth/login/accesstoken") {
            return .accessToken
        }
        return nil
    }

    // MARK: Password logon

    private func passwordLogon(_ form: [String: String]) -> KaptaOutcome {
        let required = ["client_id", "client_secret", "redirect_uri", "email", "password"]
        if let missing = required.first(where: { (form[$0] ?? "").isEmpty }) {
            return error("invalid_request", "parameter '\(missing)' is missing")
        }
        let clientID = form["client_id"] ?? ""
        guard let (tenant, application) = application(clientID) else {
            return error("invalid_client", "no application has client_id '\(clientID)'")
        }
        guard application.clientSecret == form["client_secret"] else {
            return error("invalid_client", "client_secret is wrong for client_id '\(clientID)'", tenant: tenant.id)
        }
        guard application.redirectURI == form["redirect_uri"] else {
            return error("invalid_client", "redirect_uri is not the one registered for '\(clientID)'", tenant: tenant.id)
        }
        let email = form["email"] ?? ""
        guard let user = tenant.users.first(where: { $0.email.lowercased() == email.lowercased() }),
              user.password == form["password"] else {
            return error("invalid_grant", "email or password is wrong", tenant: tenant.id)
        }
        let scope = Self.grantedScope(requested: form["scope"], cap: user.scope)
        return token(for: user, scope: scope, tenant: tenant.id, reason: "password logon for \(user.id)")
    }

    // MARK: Authorization code flow

    private func authorize(_ head: HTTPRequestHead) -> KaptaOutcome {
        let query: [String: String]
        switch Self.parse(Array((head.query ?? "").utf8)) {
        case .success(let parameters):
            query = parameters
        case .failure(let reason):
            return error("invalid_request", reason.description)
        }
        let clientID = query["client_id"] ?? ""
        guard let (tenant, application) = application(clientID) else {
            return error("invalid_client", "no application has client_id '\(clientID)'")
        }
        // RFC 6749, 4.1.2.1: with a redirect URI that was not registered, the error is
        // shown here and the user agent is never redirected.
        guard let redirectURI = query["redirect_uri"], redirectURI == application.redirectURI else {
            return error("invalid_request", "redirect_uri is missing or not the one registered for '\(clientID)'",
                         tenant: tenant.id)
        }
        guard let state = query["state"], !state.isEmpty else {
            let location = Self.appending(["error": "invalid_request", "error_description": "state is required"],
                                          to: redirectURI)
            return outcome(LogonResponses.redirect(to: location, fidelity: fidelity),
                           "authorize without state: redirected with invalid_request", tenant: tenant.id)
        }
        guard let userID = tenant.authorizeUser, let user = tenant.user(id: userID) else {
            let location = Self.appending(["error": "access_denied", "state": state], to: redirectURI)
            return outcome(LogonResponses.redirect(to: location, fidelity: fidelity),
                           "tenant \(tenant.id) names no authorize user: redirected with access_denied", tenant: tenant.id)
        }
        let scope = Self.grantedScope(requested: query["scope"], cap: user.scope)
        let grant = AuthorizationCodes.Grant(tenantID: tenant.id, userID: user.id, clientID: clientID,
                                             redirectURI: redirectURI, scope: scope, expiresAt: 0)
        let code = codes.issue(grant)
        let location = Self.appending(["code": code, "state": state], to: redirectURI)
        return outcome(LogonResponses.redirect(to: location, fidelity: fidelity),
                       "authorized \(user.id) for \(clientID) with scope \(scope.rawValue)", tenant: tenant.id)
    }

    private func exchangeCode(_ form: [String: String]) -> KaptaOutcome {
        if let grantType = form["grant_type"], grantType != "authorization_code" {
            return error("unsupported_grant_type", "grant_type '\(grantType)' is not authorization_code")
        }
        let required = ["client_id", "client_secret", "code", "redirect_uri"]
        if let missing = required.first(where: { (form[$0] ?? "").isEmpty }) {
            return error("invalid_request", "parameter '\(missing)' is missing")
        }
        let clientID = form["client_id"] ?? ""
        guard let (tenant, application) = application(clientID), application.clientSecret == form["client_secret"] else {
            return error("invalid_client", "client_id '\(clientID)' is unknown or its client_secret is wrong")
        }
        switch codes.redeem(form["code"] ?? "", clientID: clientID, redirectURI: form["redirect_uri"] ?? "") {
        case .failure(let failure):
            return error("invalid_grant", failure.description, tenant: tenant.id)
        case .success(let grant):
            // The user may have been changed or removed since the code was issued.
            guard let user = store.tenant(grant.tenantID)?.user(id: grant.userID) else {
                return error("invalid_grant", "the user of the code no longer exists", tenant: grant.tenantID)
            }
            let scope = min(grant.scope, user.scope)
            return token(for: user, scope: scope, tenant: grant.tenantID, reason: "code exchanged for \(user.id)")
        }
    }

    // MARK: Helpers

    /// The tenant and application registered with `clientID`.
    private func application(_ clientID: String) -> (Tenant, APIApplication)? {
        for tenant in store.allTenants() {
            if let application = tenant.applications.first(where: { $0.clientID == clientID }) {
                return (tenant, application)
            }
        }
        return nil
    }

    /// The highest scope named in the space-separated `requested` list, capped at `cap`.
    /// Nothing recognisable requested means `self`.
    static func grantedScope(requested: String?, cap: UserScope) -> UserScope {
        let named = (requested ?? "").split(separator: " ").compactMap { UserScope(rawValue: String($0).lowercased()) }
        return min(named.max() ?? .selfOnly, cap)
    }

    private func token(for user: User, scope: UserScope, tenant: String, reason: String) -> KaptaOutcome {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("access_token", user.token)
        writer.member("token_type", "token")
        writer.member("scope", scope.rawValue)
        writer.endObject()
        return outcome(LogonResponses.json(.ok, writer.bytes, fidelity: fidelity), reason, tenant: tenant)
    }

    private func error(_ code: String, _ reason: String, tenant: String? = nil) -> KaptaOutcome {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("error", code)
        writer.endObject()
        return outcome(LogonResponses.json(.badRequest, writer.bytes, fidelity: fidelity), "\(code): \(reason)", tenant: tenant)
    }

    private func outcome(_ response: HTTPResponse, _ reason: String, tenant: String? = nil) -> KaptaOutcome {
        KaptaOutcome(response: response, reason: reason, tenantID: tenant)
    }

    /// The form parameters of a POST body, which must be `application/x-www-form-urlencoded`.
    private static func readForm(_ request: HTTPRequest) -> Result<[String: String], LogonFailure> {
        let contentType = request.head.fields["Content-Type"] ?? ""
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingOptionalWhitespace() } ?? ""
        guard mediaType.equalsIgnoringASCIICase("application/x-www-form-urlencoded") else {
            return .failure(LogonFailure("Content-Type must be application/x-www-form-urlencoded, not '\(contentType)'"))
        }
        return parse(request.body)
    }

    private static func parse(_ bytes: [UInt8]) -> Result<[String: String], LogonFailure> {
        do {
            let pairs = try FormURLEncoded.decode(bytes)
            return .success(Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
        } catch {
            return .failure(LogonFailure(error.description))
        }
    }

    /// `uri` with `parameters` added to its query, in a fixed order (code or error first).
    static func appending(_ parameters: [String: String], to uri: String) -> String {
        let order = ["code", "error", "error_description", "state"]
        let query = order.compactMap { name in
            parameters[name].map { "\(name)=\(FormURLEncoded.encodeComponent($0))" }
        }.joined(separator: "&")
        return uri + (uri.contains("?") ? "&" : "?") + query
    }
}

/// Why a logon request was malformed, for the journal.
struct LogonFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
