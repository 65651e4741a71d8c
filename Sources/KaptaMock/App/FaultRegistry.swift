import Synchronization

/// The condition a request must meet for a fault to apply. A nil member matches anything.
public struct FaultMatch: Sendable, Equatable {
    /// Compared without regard to case, so `put` in a fault matches `PUT` on the wire.
    public var method: String?
    /// A pattern for the path without query, where `*` matches any run of characters,
    /// `/` included. It is compared without regard to ASCII case, as the Kapta routes are.
    public var path: String?
    /// The tenant of the caller's access token.
    public var tenant: String?

    public init(method: String? = nil, path: String? = nil, tenant: String? = nil) {
        self.method = method
        self.path = path
        self.tenant = tenant
    }

    func matches(method requestMethod: String, path requestPath: Substring, tenant requestTenant: String?) -> Bool {
        if let method, !method.equalsIgnoringASCIICase(requestMethod) {
            return false
        }
        if let tenant, tenant != requestTenant {
            return false
        }
        if let path, !FaultMatch.glob(Array(path.utf8), matches: Array(requestPath.utf8)) {
            return false
        }
        return true
    }

    /// Matches `*` wildcards with the usual greedy-with-backtrack scan, which takes time
    /// proportional to pattern length times text length, never exponential.
    static func glob(_ pattern: [UInt8], matches text: [UInt8]) -> Bool {
        var patternIndex = 0
        var textIndex = 0
        var starIndex: Int?
        var resumeIndex = 0
        while textIndex < text.count {
            if patternIndex < pattern.count, pattern[patternIndex] == UInt8(ascii: "*") {
                starIndex = patternIndex
                resumeIndex = textIndex
                patternIndex += 1
            } else if patternIndex < pattern.count,
                      ASCII.lowercased(pattern[patternIndex]) == ASCII.lowercased(text[textIndex]) {
                patternIndex += 1
                textIndex += 1
            } else if let star = starIndex {
                patternIndex = star + 1
                resumeIndex += 1
                textIndex = resumeIndex
            } else {
                return false
            }
        }
        while patternIndex < pattern.count, pattern[patternIndex] == UInt8(ascii: "*") {
            patternIndex += 1
        }
        return patternIndex == pattern.count
    }
}

/// The effect of a fault on the requests it matches.
public enum FaultAction: Sendable {
    /// Send this response instead; the request is not processed, so no state changes.
    case response(HTTPResponse)
    /// Process the request normally, then hold the response back this long.
    case delay(milliseconds: Int)
    /// Break the connection as described by the fault; the request is not processed.
    case transport(TransportFault)

    /// The name the journal and the admin API use.
    public var name: String {
        switch self {
        case .response: "response"
        case .delay: "delay"
        case .transport(let fault): fault.rawValue
        }
    }
}

/// An installed fault with its counters.
public struct Fault: Sendable {
    public var id: Int
    public var match: FaultMatch
    /// How often the fault fires in total; nil for every matching request.
    public var times: Int?
    public var action: FaultAction
    public var fired = 0

    /// Firings left, or nil when unlimited.
    public var remaining: Int? {
        times.map { max(0, $0 - fired) }
    }
}

/// The installed faults. The oldest fault that matches a request and has firings left
/// fires; at most one fault fires per request.
public final class FaultRegistry: Sendable {
    /// Maximum number of active faults (those with firings left), so a runaway test loop
    /// cannot grow the list forever. Used-up faults stay listed until they need the room.
    public static let maxFaults = 1_000

    private struct State {
        var faults: [Fault] = []
        var nextID = 1
    }

    private let state = Mutex(State())

    public init() {}

    /// Installs a fault and returns it with its id, or nil when `maxFaults` active faults are
    /// installed. At the limit, the oldest used-up faults are dropped to make room.
    public func add(match: FaultMatch, times: Int?, action: FaultAction) -> Fault? {
        state.withLock { state in
            if state.faults.count >= Self.maxFaults {
                let excess = state.faults.count - Self.maxFaults + 1
                guard let remaining = Self.droppingUsedUp(excess, of: state.faults) else {
                    return nil
                }
                state.faults = remaining
            }
            let fault = Fault(id: state.nextID, match: match, times: times, action: action)
            state.nextID += 1
            state.faults.append(fault)
            return fault
        }
    }

    /// Returns `faults` without its `count` oldest used-up faults, or nil when it has fewer.
    private static func droppingUsedUp(_ count: Int, of faults: [Fault]) -> [Fault]? {
        var toDrop = count
        var remaining: [Fault] = []
        remaining.reserveCapacity(faults.count)
        for fault in faults {
            if toDrop > 0 && fault.remaining == 0 {
                toDrop -= 1
            } else {
                remaining.append(fault)
            }
        }
        return toDrop == 0 ? remaining : nil
    }

    public func all() -> [Fault] {
        state.withLock { $0.faults }
    }

    public func fault(id: Int) -> Fault? {
        state.withLock { state in state.faults.first { $0.id == id } }
    }

    public func removeAll() {
        state.withLock { $0.faults = [] }
    }

    @discardableResult
    public func remove(id: Int) -> Bool {
        state.withLock { state in
            guard let index = state.faults.firstIndex(where: { $0.id == id }) else {
                return false
            }
            state.faults.remove(at: index)
            return true
        }
    }

    /// Whether any installed fault matches on the caller's tenant. Finding the tenant costs a
    /// token lookup, so the request path does it only when this is true.
    public var needsTenant: Bool {
        state.withLock { state in state.faults.contains { $0.match.tenant != nil && $0.remaining != 0 } }
    }

    /// Fires the first fault that matches and counts the firing.
    public func fire(method: String, path: Substring, tenant: String?) -> Fault? {
        state.withLock { state in
            guard let index = firstArmed(in: state.faults, method: method, path: path, tenant: tenant) else {
                return nil
            }
            state.faults[index].fired += 1
            return state.faults[index]
        }
    }

    /// Returns whether `fire` would fire a fault now, without counting a firing.
    public func hasArmedFault(method: String, path: Substring, tenant: String?) -> Bool {
        state.withLock { state in
            firstArmed(in: state.faults, method: method, path: path, tenant: tenant) != nil
        }
    }

    private func firstArmed(in faults: [Fault], method: String, path: Substring, tenant: String?) -> Int? {
        faults.firstIndex { fault in
            fault.remaining != 0 && fault.match.matches(method: method, path: path, tenant: tenant)
        }
    }
}
