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

    /// Returns the value of a field as ASP.NET receives it from IIS, which joins several lines
    /// of the same field with ", " into one value. For a single-value field such as `Authorization`
    /// or `Content-Type` the joined text is usually unparseable, which is how the real
    /// service treats a client that sends the field twice.
    func joinedValue(lowercaseName: StaticString) -> String? {
        var joined: String?
        for field in self where field.name.equalsIgnoringASCIICase(lowercaseLiteral: lowercaseName) {
            if let earlier = joined {
                joined = earlier + ", " + field.value
            } else {
                joined = field.value
            }
        }
        return joined
    }
}
