/// The XML side of body binding, kept behind one function so the pipeline does not depend
/// on the XML reader's internals.
enum XMLBodyReader {
    static func read(body: [UInt8], charset: String?) -> BindingResult {
        XMLModelReader.read(body: body, charset: charset)
    }
}
