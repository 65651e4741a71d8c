extension AdminAPI {
    /// `GET /__admin/requests?limit=N&since=ID` and `DELETE /__admin/requests`.
    func requests(_ route: AdminRoute, method: String) throws(AdminError) -> AdminOutcome {
        guard method == "GET" else {
            try route.allowQuery([])
            journal.clear()
            return AdminOutcome(response: AdminResponse.noContent, reason: "cleared the request journal")
        }
        try route.allowQuery(["limit", "since"])
        let limit = try route.integer("limit", in: 1...1_000_000)
        let since = try route.integer("since", in: 0...Int.max)
        let page = journal.page(since: since, limit: limit)
        let response = AdminResponse.json { writer in
            writer.beginObject()
            writer.key("requests")
            writer.beginArray()
            for entry in page.entries {
                JournalWriter.write(entry, to: &writer)
            }
            writer.endArray()
            writer.key("stored")
            writer.number(page.stored)
            writer.key("evicted")
            writer.number(page.evicted)
            writer.endObject()
        }
        return AdminOutcome(response: response, reason: "returned \(page.entries.count) journal entries")
    }
}

enum JournalWriter {
    static func write(_ entry: JournalEntry, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.number(entry.id)
        let seconds = entry.epochMicroseconds / 1_000_000
        let nanoseconds = entry.epochMicroseconds % 1_000_000 * 1_000
        writer.member("time", Clock.rfc3339(epochSeconds: seconds, nanoseconds: nanoseconds))
        writer.member("method", entry.method)
        writer.member("target", entry.target)

        writer.key("tenant")
        writer.string(orNull: entry.tenantID)

        writer.key("headers")
        writer.beginArray()
        for field in entry.headers {
            writer.beginObject()
            writer.member("name", field.name)
            writer.member("value", field.value)
            writer.endObject()
        }
        writer.endArray()
        writeBody(entry.body, key: "body", to: &writer)

        writer.key("status")
        if let status = entry.status {
            writer.number(status)
        } else {
            writer.null()
        }
        writeBody(entry.responseBody, key: "responseBody", to: &writer)
        writer.member("reason", entry.reason)

        writer.key("warnings")
        TenantWriter.writeStrings(entry.warnings, to: &writer)

        writer.key("fault")
        if let fault = entry.fault {
            writer.beginObject()
            writer.key("id")
            writer.number(fault.id)
            writer.member("action", fault.action)
            writer.endObject()
        } else {
            writer.null()
        }

        writer.key("durationMicroseconds")
        writer.number(entry.durationMicroseconds)

        writer.key("bodiesOmitted")
        writer.bool(entry.bodiesOmitted)
        writer.endObject()
    }

    /// Writes `key` with the body as text when it is UTF-8, else as base64 (RFC 4648, 4),
    /// and `<key>Encoding` saying which.
    private static func writeBody(_ body: [UInt8], key: String, to writer: inout JSONWriter) {
        if let text = String(validating: body, as: UTF8.self) {
            writer.member(key, text)
            writer.member(key + "Encoding", "text")
        } else {
            writer.member(key, Base64.encode(body))
            writer.member(key + "Encoding", "base64")
        }
    }
}
