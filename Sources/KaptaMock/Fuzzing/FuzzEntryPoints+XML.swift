extension FuzzEntryPoints {
    /// The XML body reader, fed each input once as utf-8 and once as utf-16 transport encoding.
    public static let xml: Target = { input in
        let body = Array(input)
        _ = XMLModelReader.read(body: body, charset: nil)
        _ = XMLModelReader.read(body: body, charset: "utf-16")
    }
}
