extension FuzzEntryPoints {
    /// Reads the input as a JSON request body, once as UTF-8 and once as UTF-16, and writes
    /// the resulting ModelState in both response formats. The reader must never crash, and
    /// every ModelState key must start with the parameter name `model`.
    static let jsonModelReader: Target = { input in
        let bytes = Array(input)
        for charset in [nil, "utf-16"] {
            let result = JSONModelReader.read(body: bytes, charset: charset)
            for entry in result.errors {
                precondition(entry.key.hasPrefix("model"), "ModelState key without prefix: \(entry.key)")
            }
            guard !result.errors.isEmpty else {
                continue
            }
            let body = HTTPErrorBody(modelState: result.errors, errorDetail: true)
            _ = body.encoded(as: NegotiatedFormat(format: .xml, mediaType: "application/xml", charset: .utf16))
            _ = body.encoded(as: .defaultJSON)
        }
    }
}
