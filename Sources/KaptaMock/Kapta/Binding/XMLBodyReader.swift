/// The XML side of body binding, kept behind one function so the pipeline does not depend
/// on the XML reader's internals.
enum XMLBodyReader {
    static func read(body: [UInt8], charset: String?) -> BindingResult {
        // TODO: call the DataContractSerializer-compatible XML reader once it is part of the
        // package; until then every XML body is a binding error under `model`.
        let entry = ModelStateEntry(key: "model", message: "XML request bodies are not read yet.",
                                    isDeserializerError: true)
        return BindingResult(model: nil, errors: [entry])
    }
}
