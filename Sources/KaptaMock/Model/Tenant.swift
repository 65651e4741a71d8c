/// One Kapta company, with everything it owns. Tenants never see each other's data.
public struct Tenant: Sendable, Equatable {
    public var id: String
    /// The stage registry, in the tenant's order; names are unique case-insensitively.
    public var stages: [String]
    public var customFields: [CustomFieldDefinition]
    public var users: [User]
    public var applications: [APIApplication]
    /// The user id the OAuth authorize step approves as, if the tenant allows that flow.
    public var authorizeUser: String?
    public var accounts: [Account]

    public init(id: String, stages: [String] = [], customFields: [CustomFieldDefinition] = [],
                users: [User] = [], applications: [APIApplication] = [], authorizeUser: String? = nil,
                accounts: [Account] = []) {
        self.id = id
        self.stages = stages
        self.customFields = customFields
        self.users = users
        self.applications = applications
        self.authorizeUser = authorizeUser
        self.accounts = accounts
    }
}

public struct CustomFieldDefinition: Sendable, Equatable {
    public var name: String
    public var type: CustomFieldType

    public init(name: String, type: CustomFieldType) {
        self.name = name
        self.type = type
    }
}

/// The value types a custom field can have; the raw values are the service's spelling.
public enum CustomFieldType: String, Sendable, CaseIterable {
    case string = "String"
    case double = "Double"
    case datetime = "Datetime"
}

public struct User: Sendable, Equatable {
    public var id: String
    public var email: String
    public var password: String
    /// The access token a client sends as `Authorization: token <token>`.
    public var token: String
    public var scope: UserScope
    /// Ids of the users a manager oversees.
    public var team: [String]

    public init(id: String, email: String, password: String, token: String, scope: UserScope, team: [String] = []) {
        self.id = id
        self.email = email
        self.password = password
        self.token = token
        self.scope = scope
        self.team = team
    }
}

/// How much of a tenant a user may see. Each scope includes the ones before it.
public enum UserScope: String, Sendable, CaseIterable, Comparable {
    /// Only accounts the user owns.
    case selfOnly = "self"
    /// Also the accounts owned by the user's team.
    case manager
    /// Every account of the tenant.
    case administrator

    public static func < (lhs: UserScope, rhs: UserScope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An application registered for the logon endpoints.
public struct APIApplication: Sendable, Equatable {
    public var clientID: String
    public var clientSecret: String
    public var redirectURI: String

    public init(clientID: String, clientSecret: String, redirectURI: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
    }
}

public struct Account: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The id of the owning user.
    public var owner: String
    public var opportunities: [Opportunity]

    public init(id: String, name: String, owner: String, opportunities: [Opportunity] = []) {
        self.id = id
        self.name = name
        self.owner = owner
        self.opportunities = opportunities
    }
}

public struct Opportunity: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    public var closeDate: DateTimeValue
    public var value: DecimalNumber
    /// The registry's spelling of the stage, whatever case the client sent.
    public var stage: String
    public var customFields: [CustomFieldValue]
    /// Starts at 1 and increases with every change, so tests can tell writes apart. It stays
    /// at `maxVersion` once there.
    public var version: Int

    /// Largest version, which the readers accept and the increments never pass. 2^31 - 1 fits
    /// a 32-bit integer and is exact as a JavaScript number.
    public static let maxVersion = Int(Int32.max)

    /// Returns the version a change gives an opportunity at `version`: one more, but no more
    /// than `maxVersion`, so a configured maximum can neither overflow nor go out of range.
    static func version(after version: Int) -> Int {
        version < maxVersion ? version + 1 : maxVersion
    }

    public init(id: String, name: String, description: String? = nil, closeDate: DateTimeValue,
                value: DecimalNumber, stage: String, customFields: [CustomFieldValue] = [], version: Int = 1) {
        self.id = id
        self.name = name
        self.description = description
        self.closeDate = closeDate
        self.value = value
        self.stage = stage
        self.customFields = customFields
        self.version = version
    }
}

/// One custom field of an opportunity. Only the slot matching `type` carries the value.
public struct CustomFieldValue: Sendable, Equatable {
    /// The definition's spelling of the field name.
    public var fieldName: String
    public var type: CustomFieldType
    public var stringValue: String?
    public var doubleValue: Double?
    public var datetimeValue: DateTimeValue?

    public init(fieldName: String, type: CustomFieldType, stringValue: String? = nil,
                doubleValue: Double? = nil, datetimeValue: DateTimeValue? = nil) {
        self.fieldName = fieldName
        self.type = type
        self.stringValue = stringValue
        self.doubleValue = doubleValue
        self.datetimeValue = datetimeValue
    }
}

extension Tenant {
    /// The registry's spelling of `name`, matched case-insensitively with surrounding white
    /// space ignored, or nil when the stage is not defined.
    public func registeredStage(matching name: String) -> String? {
        let wanted = name.trimmingWhiteSpace().lowercased()
        return stages.first { $0.lowercased() == wanted }
    }

    public func user(id: String) -> User? {
        users.first { $0.id == id }
    }

    /// Sets the version of every opportunity for a write that replaces `stored`. An opportunity
    /// gets the next version after the stored one with the same id, compared case-insensitively
    /// because ids are unique that way, and 1 when `stored` does not have it. Versions in the
    /// written data are replaced, so a version never goes down.
    mutating func continueVersions(from stored: Tenant?) {
        var storedVersions: [String: Int] = [:]
        for account in stored?.accounts ?? [] {
            for opportunity in account.opportunities {
                storedVersions[opportunity.id.lowercased()] = opportunity.version
            }
        }
        for accountIndex in accounts.indices {
            for index in accounts[accountIndex].opportunities.indices {
                let key = accounts[accountIndex].opportunities[index].id.lowercased()
                let version = storedVersions[key].map(Opportunity.version(after:)) ?? 1
                accounts[accountIndex].opportunities[index].version = version
            }
        }
    }

    /// Whether `user` may see `account`: owners see their own, managers also their team's,
    /// administrators everything in the tenant.
    public func isAccount(_ account: Account, visibleTo user: User) -> Bool {
        isAccount(ownedBy: account.owner, visibleTo: user)
    }

    /// Whether `user` may see an account whose owner is the user id `owner`.
    public func isAccount(ownedBy owner: String, visibleTo user: User) -> Bool {
        switch user.scope {
        case .administrator:
            return true
        case .manager:
            return owner == user.id || user.team.contains(owner)
        case .selfOnly:
            return owner == user.id
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing Unicode white space, as .NET's `String.Trim()`.
    public func trimmingWhiteSpace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else {
            return ""
        }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
