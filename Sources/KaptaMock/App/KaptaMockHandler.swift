/// The top-level request handler. It routes `/__admin` to the admin API, `/auth/login` to
/// the logon endpoints and everything else to the Kapta API. It applies faults, records
/// each non-admin request in the journal and logs one line per request.
///
/// Admin requests are not journaled, as in WireMock: the journal shows what the client
/// under test did, and polling it must not add entries of its own.
final class KaptaMockHandler: HTTPHandler {
    let store: TenantStore
    let journal: RequestJournal
    let faults: FaultRegistry
    let admin: AdminAPI
    let kapta: KaptaAPI
    let logon: LogonAPI
    let fidelity: FidelitySettings

    init(configuration: KaptaMockConfiguration) {
        fidelity = configuration.fidelity
        store = TenantStore(tenants: configuration.tenants)
        journal = RequestJournal(limits: configuration.admin.journal)
        faults = FaultRegistry()
        let codes = AuthorizationCodes()
        admin = AdminAPI(store: store, configuredTenants: configuration.tenants, journal: journal, faults: faults,
                         codes: codes, token: configuration.admin.token)
        kapta = KaptaAPI(store: store, fidelity: configuration.fidelity)
        logon = LogonAPI(store: store, fidelity: configuration.fidelity, codes: codes)
    }

    func responseBeforeBody(to head: HTTPRequestHead, context: RequestContext) -> HTTPResponse? {
        let path = head.path
        if AdminAPI.owns(path: path) {
            guard let outcome = admin.responseBeforeBody(to: head) else {
                return nil
            }
            logRequest(head, status: outcome.response.status.code, reason: outcome.reason, tenant: nil,
                       context: context)
            return outcome.response
        }
        // A fault decides only once the whole request is there, so leave it to `handle`.
        // The logon endpoints read their form body before deciding anything.
        let tenant = faults.needsTenant ? callerTenant(head) : nil
        guard !LogonAPI.handles(path: path),
              !faults.hasArmedFault(method: head.method, path: path, tenant: tenant),
              var outcome = kapta.responseBeforeBody(to: head) else {
            return nil
        }
        outcome.tenantID = outcome.tenantID ?? tenant
        let request = HTTPRequest(head: head)
        record(request, outcome: outcome, fault: nil, context: context)
        return outcome.response
    }

    func handle(_ request: HTTPRequest, context: RequestContext) -> HandlerResult {
        let head = request.head
        if AdminAPI.owns(path: head.path) {
            let outcome = admin.handle(request)
            logRequest(head, status: outcome.response.status.code, reason: outcome.reason, tenant: nil,
                       context: context)
            return .response(outcome.response)
        }
        let tenant = faults.needsTenant ? callerTenant(head) : nil
        guard let fault = faults.fire(method: head.method, path: head.path, tenant: tenant) else {
            var outcome = process(request)
            outcome.tenantID = outcome.tenantID ?? tenant
            record(request, outcome: outcome, fault: nil, context: context)
            return .response(outcome.response)
        }
        let fired = FiredFault(id: fault.id, action: fault.action.name)
        switch fault.action {
        case .response(let faultResponse):
            // Admin requests never reach faults, so this replaces a response of a Kapta or
            // logon route, which carries the service's fields.
            let response = ServiceResponseFields.adding(to: faultResponse, fidelity: fidelity)
            let outcome = KaptaOutcome(response: response, reason: "fault \(fault.id) replaced the response; "
                + "the request was not processed", tenantID: tenant)
            record(request, outcome: outcome, fault: fired, context: context)
            return .response(response)
        case .delay(let milliseconds):
            var outcome = process(request)
            outcome.tenantID = outcome.tenantID ?? tenant
            outcome.reason += "; fault \(fault.id) delays the response by \(milliseconds) ms"
            record(request, outcome: outcome, fault: fired, context: context)
            return .delayedResponse(outcome.response, milliseconds: milliseconds)
        case .transport(let transportFault):
            let outcome = KaptaOutcome(response: HTTPResponse(status: .ok), reason: "fault \(fault.id) answered with "
                + "\(transportFault.rawValue); the request was not processed", tenantID: tenant)
            record(request, outcome: outcome, fault: fired, responseSent: false, context: context)
            return .fault(transportFault)
        }
    }

    private func process(_ request: HTTPRequest) -> KaptaOutcome {
        guard LogonAPI.handles(path: request.head.path) else {
            return kapta.handle(request)
        }
        return logon.handle(request)
    }

    /// Finds the tenant of the access token in `Authorization: token <t>`, for fault matching
    /// and the journal. The scheme is matched case-insensitively, as the Kapta API does.
    private func callerTenant(_ head: HTTPRequestHead) -> String? {
        guard let value = head.fields["Authorization"], value.hasPrefixIgnoringASCIICase("token ") else {
            return nil
        }
        let token = value.dropFirst(6).trimmingWhiteSpace()
        return store.principal(forToken: token)?.tenantID
    }

    /// Adds the journal entry and the log lines. `responseSent` is false when a transport
    /// fault replaced the response, so the entry shows no status.
    private func record(_ request: HTTPRequest, outcome: KaptaOutcome, fault: FiredFault?,
                        responseSent: Bool = true, context: RequestContext) {
        let head = request.head
        let now = Clock.wallClock()
        let elapsed = Clock.monotonicNanoseconds() &- context.receivedAt
        let sentStatus = responseSent ? outcome.response.status.code : nil
        let entry = JournalEntry(
            epochMicroseconds: now.seconds * 1_000_000 + now.nanoseconds / 1_000, request: request,
            tenantID: outcome.tenantID, status: sentStatus, responseBody: outcome.response.body,
            responseCarriesToken: LogonAPI.handles(path: head.path), reason: outcome.reason,
            warnings: outcome.warnings, fault: fault, durationMicroseconds: Int(elapsed / 1_000))
        journal.record(entry)
        logRequest(head, status: sentStatus, reason: outcome.reason, tenant: outcome.tenantID, faultFired: fault != nil,
                   context: context)
        for warning in outcome.warnings {
            context.logger.debug("request accepted with a warning", [("warning", warning)])
        }
    }

    /// Logs one info line per request. The reason follows at debug for client errors, and at
    /// error for server errors the fake produced itself; a fault's replacement is not one.
    private func logRequest(_ head: HTTPRequestHead, status: Int?, reason: String, tenant: String?,
                            faultFired: Bool = false, context: RequestContext) {
        let logger = context.logger
        let elapsed = Clock.monotonicNanoseconds() &- context.receivedAt
        let statusText = status.map(String.init) ?? "none"
        logger.info("request", [
            ("method", head.method), ("path", String(head.path)), ("status", statusText),
            ("durationMs", Self.milliseconds(elapsed)), ("tenant", tenant ?? "-"),
            ("connection", String(context.connectionID)),
        ])
        guard let status else {
            return
        }
        if (400..<500).contains(status) {
            logger.debug("client error", [("status", statusText), ("reason", reason)])
        } else if status >= 500 && !faultFired {
            logger.error("server error", [("status", statusText), ("reason", reason)])
        }
    }

    /// Nanoseconds as milliseconds with three decimals (`0.085`).
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let micros = nanoseconds / 1_000
        var whole = micros / 1_000
        let fraction = Int(micros % 1_000)
        // Digits right to left into a small buffer: 20 bytes hold any UInt64 plus ".000".
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var end = buffer.count
            for digit in [fraction % 10, fraction / 10 % 10, fraction / 100] {
                end -= 1
                buffer[end] = UInt8(0x30 + digit)
            }
            end -= 1
            buffer[end] = UInt8(ascii: ".")
            repeat {
                end -= 1
                buffer[end] = UInt8(0x30 + whole % 10)
                whole /= 10
            } while whole > 0
            let length = buffer.count - end
            for index in 0..<length {
                buffer[index] = buffer[end + index]
            }
            return length
        }
    }
}
