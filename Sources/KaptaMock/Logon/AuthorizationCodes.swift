import Synchronization

/// Authorization codes issued by the OAuth authorize step and not yet exchanged.
///
/// A code is single-use and bound to the client and redirect URI it was issued for
/// (RFC 6749, 4.1.2 and 4.1.3). Expired codes are purged whenever a code is issued.
final class AuthorizationCodes: Sendable {
    struct Grant: Sendable, Equatable {
        var tenantID: String
        var userID: String
        var clientID: String
        var redirectURI: String
        var scope: UserScope
        /// Monotonic nanoseconds after which the code is no longer accepted.
        var expiresAt: UInt64
    }

    enum RedemptionError: Error, Equatable, CustomStringConvertible {
        case unknown
        case expired
        case issuedToAnotherClient
        case redirectURIMismatch

        var description: String {
            switch self {
            case .unknown: "the code is unknown or was already exchanged"
            case .expired: "the code expired"
            case .issuedToAnotherClient: "the code was issued to another client"
            case .redirectURIMismatch: "redirect_uri differs from the one the code was issued with"
            }
        }
    }

    /// RFC 6749, 4.1.2 recommends at most ten minutes.
    static let lifetime: UInt64 = 600 * 1_000_000_000
    /// Outstanding codes kept at most; the oldest go first, so a client that never
    /// exchanges its codes cannot grow memory without bound.
    static let capacity = 10_000

    private let codes = Mutex<[(code: String, grant: Grant)]>([])
    private let now: @Sendable () -> UInt64

    init(now: @escaping @Sendable () -> UInt64 = { Clock.monotonicNanoseconds() }) {
        self.now = now
    }

    /// Issues a fresh code for `grant`, whose `expiresAt` is set here.
    func issue(_ grant: Grant) -> String {
        var grant = grant
        let issuedAt = now()
        grant.expiresAt = issuedAt + Self.lifetime
        let code = Self.randomCode()
        codes.withLock { codes in
            codes.removeAll { $0.grant.expiresAt <= issuedAt }
            if codes.count >= Self.capacity {
                codes.removeFirst(codes.count - Self.capacity + 1)
            }
            codes.append((code, grant))
        }
        return code
    }

    /// Exchanges `code` once. A failed attempt leaves the code valid for its own client.
    func redeem(_ code: String, clientID: String, redirectURI: String) -> Result<Grant, RedemptionError> {
        let redeemedAt = now()
        return codes.withLock { codes in
            guard let index = codes.firstIndex(where: { $0.code == code }) else {
                return .failure(.unknown)
            }
            let grant = codes[index].grant
            guard grant.expiresAt > redeemedAt else {
                codes.remove(at: index)
                return .failure(.expired)
            }
            guard grant.clientID == clientID else {
                return .failure(.issuedToAnotherClient)
            }
            guard grant.redirectURI == redirectURI else {
                return .failure(.redirectURIMismatch)
            }
            codes.remove(at: index)
            return .success(grant)
        }
    }

    func removeAll() {
        codes.withLock { $0.removeAll() }
    }

    /// 128 random bits as 32 hex digits, from the system's CSPRNG (getrandom on Linux).
    private static func randomCode() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let hexHigh = String(high, radix: 16)
        let hexLow = String(low, radix: 16)
        return String(repeating: "0", count: 16 - hexHigh.count) + hexHigh
            + String(repeating: "0", count: 16 - hexLow.count) + hexLow
    }
}
