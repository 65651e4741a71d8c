/// Reads an `application/xml` or `text/xml` body of `PUT /v1/account/{id}/opportunity/{opportunityid}`
/// as the service does: Web API's XML formatter, WCF's text reader and DataContractSerializer.
enum XMLModelReader {
    /// Binds `body`, decoded per the request's `charset` parameter (`utf-8` or `utf-16`; anything
    /// else, or none, reads as utf-8).
    ///
    /// On any failure the model is nil and ModelState contains one deserializer error under `model`,
    /// as the XML formatter logs it. An empty body gives a nil model and no error, because Web
    /// API does not read a body of length 0. A root element with `i:nil="true"` also gives a nil
    /// model and no error.
    static func read(body: [UInt8], charset: String?) -> BindingResult {
        guard !body.isEmpty else {
            return BindingResult(model: nil)
        }
        let document: XMLBodyDecoder.DecodedBody
        do throws(XMLReadError) {
            document = try XMLBodyDecoder.decode(body: body, charset: charset)
        } catch {
            return failure(error, warnings: [])
        }
        // Not an optional binder: an optional of this large struct is copied and destroyed
        // through value witnesses.
        var binder = XMLModelBinder(reader: XMLTextReader(document: document))
        do throws(XMLReadError) {
            let model = try binder.bind()
            return BindingResult(model: model, warnings: binder.warnings)
        } catch {
            return failure(error, warnings: binder.warnings)
        }
    }

    private static func failure(_ error: XMLReadError, warnings: [String]) -> BindingResult {
        let entry = ModelStateEntry(key: "model", message: error.modelStateMessage, isDeserializerError: true)
        return BindingResult(model: nil, errors: [entry], warnings: warnings)
    }
}
