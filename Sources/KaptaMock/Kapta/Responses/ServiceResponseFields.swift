/// The header fields every response of the service's routes carries, in the order IIS writes
/// them, before the transport adds `Date` and `Content-Length`. ASP.NET Web API's web host
/// adds the three caching fields to every response whose action set no caching policy, and
/// IIS adds its own with `fidelity.iisHeaders` on. The Kapta routes, the logon routes and
/// fault replacements all take the fields from here.
enum ServiceResponseFields {
    /// Builds the fields. `allow` and `contentType` go between `Pragma` and `Expires`, where
    /// IIS writes them.
    static func fields(allow: String? = nil, contentType: String? = nil, fidelity: FidelitySettings) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(10)
        fields.append(name: "Cache-Control", value: "no-cache")
        fields.append(name: "Pragma", value: "no-cache")
        if let allow {
            fields.append(name: "Allow", value: allow)
        }
        if let contentType {
            fields.append(name: "Content-Type", value: contentType)
        }
        fields.append(name: "Expires", value: "-1")
        if fidelity.iisHeaders {
            fields.append(name: "Server", value: "Microsoft-IIS/10.0")
            fields.append(name: "X-AspNet-Version", value: "4.0.30319")
            fields.append(name: "X-Powered-By", value: "ASP.NET")
        }
        return fields
    }

    /// Returns a fault's replacement response with the service's fields added, so a client
    /// sees the headers the real service would send with that status. A field the fault sets
    /// replaces every service field of the same name.
    static func adding(to response: HTTPResponse, fidelity: FidelitySettings) -> HTTPResponse {
        var fields = fields(fidelity: fidelity)
        for field in response.fields {
            fields.remove(field.name)
        }
        for field in response.fields {
            fields.append(field)
        }
        var replacement = response
        replacement.fields = fields
        return replacement
    }
}
