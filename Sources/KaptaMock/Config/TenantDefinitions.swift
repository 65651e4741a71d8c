/// A tenant's stage registry and custom field definitions, indexed by lowercased name, the
/// form `Tenant.registeredStage(matching:)` and the Kapta PUT compare. Reading n opportunities
/// then costs n lookups instead of n scans of the registry.
struct TenantDefinitions {
    let stages: [String]
    let customFields: [CustomFieldDefinition]
    private var stagesByKey: [String: String] = [:]
    private var customFieldsByKey: [String: CustomFieldDefinition] = [:]

    init(_ tenant: Tenant) {
        self.init(stages: tenant.stages, customFields: tenant.customFields)
    }

    init(stages: [String] = [], customFields: [CustomFieldDefinition]) {
        self.stages = stages
        self.customFields = customFields
        for stage in stages where stagesByKey[stage.lowercased()] == nil {
            stagesByKey[stage.lowercased()] = stage
        }
        for field in customFields where customFieldsByKey[field.name.lowercased()] == nil {
            customFieldsByKey[field.name.lowercased()] = field
        }
    }

    /// Returns the registry's spelling of `name`, matched case-insensitively with surrounding
    /// white space ignored, or nil when the stage is not defined.
    func registeredStage(matching name: String) -> String? {
        stagesByKey[name.trimmingWhiteSpace().lowercased()]
    }

    /// Returns the definition whose name equals `name` without regard to case, or nil.
    func customField(named name: String) -> CustomFieldDefinition? {
        customFieldsByKey[name.lowercased()]
    }
}
