extension HTTPFields {
    /// The first value of the field named `lowercaseName`, matched as the `HTTPFields`
    /// subscript matches names (ASCII letters without regard to case). It compares each
    /// name's bytes in place instead of through the generic buffer helpers, because the
    /// Kapta API looks up several fields on every request.
    func firstValue(lowercaseName: StaticString) -> String? {
        for field in self where field.name.equalsIgnoringASCIICase(lowercaseLiteral: lowercaseName) {
            return field.value
        }
        return nil
    }
}
