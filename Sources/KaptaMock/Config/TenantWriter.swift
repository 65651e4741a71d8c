/// Writes tenants and opportunities in the configuration-file shape, so what the admin API
/// returns can be sent back with PUT or pasted into a configuration file unchanged.
enum TenantWriter {
    static func write(_ tenant: Tenant, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", tenant.id)

        writer.key("stages")
        writeStrings(tenant.stages, to: &writer)

        writer.key("customFields")
        writer.beginArray()
        for field in tenant.customFields {
            writer.beginObject()
            writer.member("name", field.name)
            writer.member("type", field.type.rawValue)
            writer.endObject()
        }
        writer.endArray()

        writer.key("users")
        writer.beginArray()
        for user in tenant.users {
            write(user, to: &writer)
        }
        writer.endArray()

        writer.key("applications")
        writer.beginArray()
        for application in tenant.applications {
            writer.beginObject()
            writer.member("clientId", application.clientID)
            writer.member("clientSecret", application.clientSecret)
            writer.member("redirectUri", application.redirectURI)
            writer.endObject()
        }
        writer.endArray()

        writer.key("authorizeUser")
        writer.string(orNull: tenant.authorizeUser)

        writer.key("accounts")
        writer.beginArray()
        for account in tenant.accounts {
            writer.beginObject()
            writer.member("id", account.id)
            writer.member("name", account.name)
            writer.member("owner", account.owner)
            writer.key("opportunities")
            writer.beginArray()
            for opportunity in account.opportunities {
                write(opportunity, to: &writer)
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    private static func write(_ user: User, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", user.id)
        writer.member("email", user.email)
        writer.member("password", user.password)
        writer.member("token", user.token)
        writer.member("scope", user.scope.rawValue)
        writer.key("team")
        writeStrings(user.team, to: &writer)
        writer.endObject()
    }

    /// Writes one opportunity as stored: `value` is a string that contains the exact decimal
    /// text, and `closeDate` keeps its precision and zone.
    static func write(_ opportunity: Opportunity, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", opportunity.id)
        writer.member("name", opportunity.name)
        writer.key("description")
        writer.string(orNull: opportunity.description)
        writer.member("closeDate", opportunity.closeDate.description)
        writer.member("value", opportunity.value.description)
        writer.member("stage", opportunity.stage)
        writer.key("customFields")
        writer.beginArray()
        for field in opportunity.customFields {
            write(field, to: &writer)
        }
        writer.endArray()
        writer.key("version")
        writer.number(opportunity.version)
        writer.endObject()
    }

    private static func write(_ field: CustomFieldValue, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("fieldName", field.fieldName)
        writer.member("type", field.type.rawValue)
        switch field.type {
        case .string:
            writer.key("stringValue")
            writer.string(orNull: field.stringValue)
        case .double:
            writer.key("doubleValue")
            if let number = field.doubleValue {
                writeDouble(number, to: &writer)
            } else {
                writer.null()
            }
        case .datetime:
            writer.key("datetimeValue")
            writer.string(orNull: field.datetimeValue?.description)
        }
        writer.endObject()
    }

    static func writeStrings(_ strings: [String], to writer: inout JSONWriter) {
        writer.beginArray()
        for string in strings {
            writer.string(string)
        }
        writer.endArray()
    }

    /// Writes a finite double as a JSON number: Swift prints the shortest text that reads back
    /// to the same value (`0.75`, `3.0`, `1e+20`). Infinities and NaN, which JSON numbers cannot
    /// express, are written as the strings `Infinity`, `-Infinity` and `NaN`.
    static func writeDouble(_ number: Double, to writer: inout JSONWriter) {
        if let name = NonFiniteDouble.name(of: number) {
            writer.string(name)
        } else {
            writer.number("\(number)")
        }
    }
}
