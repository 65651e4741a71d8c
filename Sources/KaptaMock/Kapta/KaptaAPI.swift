/// What the Kapta API decided for one request, with what the request journal records.
struct KaptaOutcome: Sendable {
    var response: HTTPResponse
    /// Why the fake answered as it did, in a short sentence (`stage 'foo' is not defined`).
    var reason: String
    /// Input the real service accepts but that is almost certainly a client bug.
    var warnings: [String] = []
    /// The authenticated caller's tenant, once known.
    var tenantID: String?
}

/// The emulated Kapta REST API: every path that is neither `/__admin` nor `/auth/login`.
///
/// `handle` runs the checks of the real service in its order: the request URL, the
/// `Authorization: token` check (before routing, for every `/v1/` path), routing, the body's
/// media type, binding and validation, the identity check, then the update itself.
final class KaptaAPI: Sendable {
    let store: TenantStore
    let fidelity: FidelitySettings

    init(store: TenantStore, fidelity: FidelitySettings) {
        self.store = store
        self.fidelity = fidelity
    }

    /// Decides a request from its head alone when that is possible (URL, authentication,
    /// routing, media type), for `Expect: 100-continue`; nil means the body is needed.
    func responseBeforeBody(to head: HTTPRequestHead) -> KaptaOutcome? {
        var context = KaptaResponder(head: head, fidelity: fidelity)
        switch preflight(&context) {
        case .decided(let outcome):
            return outcome
        case .proceed(_, let principal):
            let declaredLength = head.fields["Content-Length"].flatMap { Int($0[...].trimmingASCIISpaces()) }
            guard let declaredLength, declaredLength > 0,
                  let message = RequestBodyFormat(contentType: head.fields.joinedValue(lowercaseName: "content-type"))
                    .unsupportedMessage else {
                return nil
            }
            return context.error(.unsupportedMediaType, message: message,
                                 reason: unsupportedReason(head.fields.joinedValue(lowercaseName: "content-type")),
                                 tenantID: principal.tenantID)
        }
    }

    func handle(_ request: HTTPRequest) -> KaptaOutcome {
        var context = KaptaResponder(head: request.head, fidelity: fidelity)
        switch preflight(&context) {
        case .decided(let outcome):
            return outcome
        case .proceed(let route, let principal):
            return handleUpdate(request, route: route, principal: principal, context: &context)
        }
    }

    // MARK: URL, authentication, routing

    private enum Preflight {
        case decided(KaptaOutcome)
        case proceed(KaptaRoute, TenantStore.Principal)
    }

    private func preflight(_ context: inout KaptaResponder) -> Preflight {
        let head = context.head
        let match: KaptaRoute.PathMatch
        do {
            match = try KaptaRoute.match(path: KaptaRoute.path(of: head))
        } catch {
            return .decided(context.invalidURL())
        }
        var principal: TenantStore.Principal?
        if match.requiresAuthentication {
            switch authenticate(head.fields, context: &context) {
            case .success(let found): principal = found
            case .failure(let denied): return .decided(denied.outcome)
            }
        }
        guard let route = match.route else {
            let uri = KaptaRoute.absoluteURI(of: head)
            return .decided(context.error(.notFound,
                                          message: "No HTTP resource was found that matches the request URI '\(uri)'.",
                                          reason: "no route matches \(head.path)", tenantID: principal?.tenantID))
        }
        guard head.method.equalsIgnoringASCIICase("PUT") else {
            let message = "The requested resource does not support http method '\(head.method)'."
            return .decided(context.error(.methodNotAllowed, message: message,
                                          reason: "method \(head.method) is not allowed on the opportunity route",
                                          tenantID: principal?.tenantID, allowsPut: true))
        }
        guard let principal else {
            // Unreachable: the route is under /v1/, so authentication ran.
            return .decided(context.error(.unauthorized, message: "Authorization has been denied for this request.",
                                          reason: "no credentials", tenantID: nil))
        }
        return .proceed(route, principal)
    }

    private struct Denied: Error {
        var outcome: KaptaOutcome
    }

    private func authenticate(_ fields: HTTPFields, context: inout KaptaResponder)
        -> Result<TenantStore.Principal, Denied> {
        let reason: String
        switch KaptaCredentials(fields: fields) {
        case .token(let token):
            if let principal = store.principal(forToken: token) {
                return .success(principal)
            }
            reason = "the access token is not known to any tenant"
        case .missing:
            reason = "the request has no Authorization header"
        case .otherScheme(let scheme?):
            reason = "the Authorization scheme '\(scheme)' is not 'token'"
            if scheme == "Bearer" {
                context.warnings.append("Kapta rejects the Bearer scheme; send 'Authorization: token <access_token>'")
            }
        case .otherScheme(nil):
            reason = "the Authorization scheme is not 'token'"
        }
        return .failure(Denied(outcome: context.error(.unauthorized,
                                                      message: "Authorization has been denied for this request.",
                                                      reason: reason, tenantID: nil)))
    }

    /// Returns the 400 for a body that bound with errors, failed validation or held no object.
    private func rejectedBinding(_ binding: BindingResult, bodyIsEmpty: Bool, tenantID: String,
                                 context: KaptaResponder) -> KaptaOutcome {
        var entries = binding.errors
        if let model = binding.model {
            entries.append(contentsOf: ModelValidator.validate(model))
        }
        if !entries.isEmpty {
            let body = HTTPErrorBody(modelState: entries, errorDetail: fidelity.errorDetail)
            let keys = body.modelState?.map(\.key).joined(separator: ", ") ?? ""
            return context.error(.badRequest, body: body, reason: "the model state is invalid: \(keys)",
                                 tenantID: tenantID)
        }
        return context.error(.badRequest, message: HTTPErrorBody.invalidRequest,
                             reason: bodyIsEmpty ? "the body is empty" : "the body holds no object", tenantID: tenantID)
    }

    private func unsupportedReason(_ contentType: String?) -> String {
        contentType.map { "the media type '\($0)' is not supported" } ?? "the body has no Content-Type"
    }

    // MARK: Body, validation, update

    private func handleUpdate(_ request: HTTPRequest, route: KaptaRoute, principal: TenantStore.Principal,
                              context: inout KaptaResponder) -> KaptaOutcome {
        let tenantID = principal.tenantID
        let contentType = request.head.fields.joinedValue(lowercaseName: "content-type")
        let bodyFormat = RequestBodyFormat(contentType: contentType)
        if !request.body.isEmpty, let message = bodyFormat.unsupportedMessage {
            return context.error(.unsupportedMediaType, message: message, reason: unsupportedReason(contentType),
                                 tenantID: tenantID)
        }
        var binding: BindingResult
        switch bodyFormat {
        case .json(let charset) where !request.body.isEmpty:
            binding = JSONModelReader.read(body: request.body, charset: charset)
        case .xml(let charset) where !request.body.isEmpty:
            binding = XMLBodyReader.read(body: request.body, charset: charset)
        default:
            binding = BindingResult(model: nil)
        }
        if !binding.warnings.isEmpty {
            context.warnings.append(contentsOf: binding.warnings)
        }
        // The model is moved out rather than copied: a copy retains every member, and the
        // model is large enough to be copied through its value witnesses.
        guard binding.errors.isEmpty, let model = binding.model.take() else {
            return rejectedBinding(binding, bodyIsEmpty: request.body.isEmpty, tenantID: tenantID, context: context)
        }
        guard ModelValidator.isValid(model) else {
            binding.model = model
            return rejectedBinding(binding, bodyIsEmpty: request.body.isEmpty, tenantID: tenantID, context: context)
        }
        let sentID = model.opportunityID ?? ""
        guard OpportunityUpdate.equalsIgnoringCase(sentID, route.opportunityID) else {
            return context.error(.badRequest,
                                 message: "The OpportunityID in the body does not match the opportunity in the URI.",
                                 reason: "OpportunityID '\(sentID)' differs from '\(route.opportunityID)' in the URI",
                                 tenantID: tenantID)
        }
        // Many custom fields are checked before the lock is taken, so the store stays free
        // for requests on other event loops. A few are checked under the lock.
        var preresolved: ResolvedCustomFields?
        if let items = model.customFields, items.count > OpportunityUpdate.maxItemsWithoutIndex,
           let definitions = store.customFields(ofTenant: tenantID) {
            preresolved = OpportunityUpdate.resolveCustomFields(items, definitions: definitions)
        }
        let outcome = store.modify(tenant: tenantID) { tenant in
            OpportunityUpdate.apply(model, route: route, user: principal.user, tenant: &tenant,
                                    preresolved: preresolved)
        } ?? .notFound(reason: "tenant '\(tenantID)' no longer exists")
        switch outcome {
        case .notFound(let reason):
            return context.empty(.notFound, reason: reason, tenantID: tenantID)
        case .invalidStage(let entry, let reason):
            let body = HTTPErrorBody(modelState: [entry], errorDetail: fidelity.errorDetail)
            return context.error(.badRequest, body: body, reason: reason, tenantID: tenantID)
        case .invalidCustomFields(let entries, let reason):
            let body = HTTPErrorBody(modelState: entries, errorDetail: fidelity.errorDetail)
            return context.error(.badRequest, body: body, reason: reason, tenantID: tenantID)
        case .updated(let accountID, let opportunityID):
            let reason = String(concatenating: "updated opportunity ", opportunityID, " of account ", accountID)
            return context.empty(.ok, reason: reason, tenantID: tenantID)
        }
    }
}
