import Synchronization

/// One request the fake received and what it did with it, as `GET /__admin/requests` shows it.
///
/// The entry keeps the request as it arrived, which costs no copy on the request path, and
/// removes credentials when it is read: `target`, `headers`, `body` and `responseBody` never
/// show an access token, password or secret (see `Redaction`).
public struct JournalEntry: Sendable, Equatable {
    /// Increases by one per request and is never reused, not even after a clear, so a
    /// client can poll with `since=<last id seen>`.
    public var id: Int = 0
    /// Wall-clock time when the entry was recorded, in microseconds since the Unix epoch.
    /// It is formatted only when the journal is read, which keeps the request path cheap.
    public var epochMicroseconds: Int
    /// The tenant of the caller's access token, when it names one.
    public var tenantID: String?
    /// The status sent, or nil when a transport fault replaced the response.
    public var status: Int?
    /// The reason for the response, in a short sentence.
    public var reason: String
    public var warnings: [String]
    /// The fault that fired for this request, if any.
    public var fault: FiredFault?
    /// Time spent deciding the response, without any injected delay.
    public var durationMicroseconds: Int
    /// True when the bodies were dropped because the entry alone exceeded the byte limit.
    public var bodiesOmitted = false

    /// The request head and bodies as they were, credentials included; read them only
    /// through the redacting accessors below.
    var head: HTTPRequestHead
    var rawRequestBody: [UInt8]
    var rawResponseBody: [UInt8]
    /// Set for the logon endpoints, whose response bodies carry access tokens.
    var responseCarriesToken: Bool
    /// Bytes charged against the journal's size limit, computed once when recorded.
    var cost = 0

    public var method: String { head.method }
    public var target: String { Redaction.target(head.target) }
    public var headers: [HTTPField] { Redaction.fields(head.fields) }
    public var body: [UInt8] { Redaction.requestBody(rawRequestBody, fields: head.fields) }

    public var responseBody: [UInt8] {
        responseCarriesToken ? Redaction.responseBody(rawResponseBody) : rawResponseBody
    }

    /// Records `request` as it arrived; `responseCarriesToken` marks responses whose access
    /// token must be hidden.
    init(epochMicroseconds: Int, request: HTTPRequest, tenantID: String?, status: Int?, responseBody: [UInt8],
         responseCarriesToken: Bool, reason: String, warnings: [String], fault: FiredFault?, durationMicroseconds: Int) {
        self.epochMicroseconds = epochMicroseconds
        self.head = request.head
        self.rawRequestBody = request.body
        self.rawResponseBody = responseBody
        self.responseCarriesToken = responseCarriesToken
        self.tenantID = tenantID
        self.status = status
        self.reason = reason
        self.warnings = warnings
        self.fault = fault
        self.durationMicroseconds = durationMicroseconds
    }

    /// Builds an entry from its parts, for code that records requests of its own.
    public init(epochMicroseconds: Int, method: String, target: String, headers: [HTTPField], body: [UInt8],
                tenantID: String?, status: Int?, responseBody: [UInt8], reason: String, warnings: [String],
                fault: FiredFault?, durationMicroseconds: Int) {
        let head = HTTPRequestHead(method: method, target: target, version: .http1_1, fields: HTTPFields(headers))
        self.init(epochMicroseconds: epochMicroseconds, request: HTTPRequest(head: head, body: body), tenantID: tenantID,
                  status: status, responseBody: responseBody, responseCarriesToken: false, reason: reason,
                  warnings: warnings, fault: fault, durationMicroseconds: durationMicroseconds)
    }
}

/// The fault that fired for a request and the action it took.
public struct FiredFault: Sendable, Equatable {
    public var id: Int
    /// `response`, `delay`, `connectionReset`, `emptyResponse` or `malformedResponse`.
    public var action: String
}

/// The request journal: recent requests, newest last, bounded by count and by size.
///
/// When a new entry would break either bound, the oldest entries are evicted and counted,
/// so a client can tell that it missed some. The lock is held only to append or copy.
public final class RequestJournal: Sendable {
    public let limits: JournalLimits

    /// The live entries in a ring: the oldest at `head`, `count` of them in order. The ring
    /// grows to `maxEntries` slots and then overwrites, so an evicted entry is released at
    /// once and the memory held never exceeds what the limits allow.
    private struct State {
        var slots: [JournalEntry?] = []
        var head = 0
        var count = 0
        var bytes = 0
        var evicted = 0
        var nextID = 1

        mutating func append(_ entry: JournalEntry, limits: JournalLimits) {
            if count == max(1, limits.maxEntries) {
                evictOldest()
            }
            if count == slots.count {
                // Grow by one slot; straighten the ring first, so the new slot is its end.
                if head != 0 {
                    slots = Array(slots[head...] + slots[..<head])
                    head = 0
                }
                slots.append(nil)
            }
            slots[(head + count) % slots.count] = entry
            count += 1
            bytes += entry.cost
            while bytes > limits.maxBytes && count > 0 {
                evictOldest()
            }
        }

        mutating func evictOldest() {
            bytes -= slots[head]?.cost ?? 0
            slots[head] = nil
            head = (head + 1) % slots.count
            count -= 1
            evicted += 1
        }

        /// The live entries, oldest first.
        var entries: [JournalEntry] {
            (0..<count).compactMap { slots[(head + $0) % slots.count] }
        }
    }

    private let state = Mutex(State())

    public init(limits: JournalLimits) {
        self.limits = limits
    }

    /// Bytes an entry is charged: its text plus a fixed amount for the fields around it.
    static func cost(of entry: JournalEntry) -> Int {
        let headerBytes = entry.head.fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 8 }
        let warningBytes = entry.warnings.reduce(0) { $0 + $1.utf8.count }
        return 128 + entry.head.method.utf8.count + entry.head.target.utf8.count + headerBytes
            + entry.rawRequestBody.count + entry.rawResponseBody.count + entry.reason.utf8.count + warningBytes
    }

    /// Adds an entry and returns the id it was given.
    @discardableResult
    public func record(_ entry: JournalEntry) -> Int {
        var entry = entry
        entry.cost = Self.cost(of: entry)
        if entry.cost > limits.maxBytes {
            entry.rawRequestBody = []
            entry.rawResponseBody = []
            entry.bodiesOmitted = true
            entry.cost = Self.cost(of: entry)
        }
        return state.withLock { state in
            entry.id = state.nextID
            state.nextID += 1
            state.append(entry, limits: limits)
            return entry.id
        }
    }

    /// A snapshot for the admin API.
    public struct Page: Sendable {
        public var entries: [JournalEntry]
        /// Entries the journal contains now, before `since` and `limit` were applied.
        public var stored: Int
        /// Entries evicted since the journal was last cleared.
        public var evicted: Int
    }

    /// Returns the entries with an id above `since`. With `since` set, a limit keeps the
    /// oldest of them, so a poller pages forward without gaps. Without `since`, it keeps the
    /// newest, because a test usually asks for the last requests.
    public func page(since: Int?, limit: Int?) -> Page {
        state.withLock { state in
            let live = state.entries
            var selected = live.filter { $0.id > (since ?? 0) }[...]
            if let limit, selected.count > limit {
                selected = since == nil ? selected.suffix(limit) : selected.prefix(limit)
            }
            return Page(entries: Array(selected), stored: live.count, evicted: state.evicted)
        }
    }

    /// Removes every entry and resets the eviction count; ids keep increasing.
    public func clear() {
        state.withLock { state in
            let nextID = state.nextID
            state = State()
            state.nextID = nextID
        }
    }
}
