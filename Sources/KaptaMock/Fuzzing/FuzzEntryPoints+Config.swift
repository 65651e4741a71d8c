extension FuzzEntryPoints {
    /// Reads the input as a configuration file with the strict JSON reader and the
    /// validator. When it is valid, every tenant is written back in the file's shape and read
    /// again, and the process stops if that changes the tenant: the admin API relies on
    /// GET output being accepted by PUT unchanged.
    static let configuration: Target = { input in
        let bytes = Array(input)
        guard let parsed = try? KaptaMockConfiguration.parse(bytes, source: "fuzz") else {
            return
        }
        for tenant in parsed.tenants {
            var writer = JSONWriter()
            TenantWriter.write(tenant, to: &writer)
            let reread: Tenant
            do {
                let node = ConfigNode(value: try StrictJSONParser.parse(writer.bytes), path: .root)
                reread = try TenantReader.tenant(from: node, idFromURL: nil)
            } catch {
                preconditionFailure("tenant \(tenant.id) does not read back: \(error)")
            }
            precondition(reread == tenant, "tenant \(tenant.id) changed when written and read back")
        }
    }
}
