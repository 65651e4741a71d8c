/// A response a handler returns. The transport adds the framing fields itself
/// (`Content-Length`, `Date`, `Connection` for HTTP/1.1), so handlers never set them.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var fields: HTTPFields
    public var body: [UInt8]

    public init(status: HTTPStatus, fields: HTTPFields = HTTPFields(), body: [UInt8] = []) {
        self.status = status
        self.fields = fields
        self.body = body
    }
}
