/// Collects the fields of one HTTP/2 header block into an `HTTPRequestHead`, under the same
/// limits the HTTP/1.1 parser applies, so a handler sees the same request either way.
///
/// nghttp2 has already checked the block against RFC 9113, 8.2 and 8.3 (pseudo-header
/// fields present once and first, lower-case names, no connection-specific fields) before
/// a field reaches `add`. This type only converts and counts.
struct HTTP2RequestHeadBuilder {
    private let limits: HTTPLimits
    private let maxHeaderListSize: Int

    private var method = ""
    private var path: String?
    private var authority: String?
    private var fields: [HTTPField] = []
    /// Index in `fields` of the single `cookie` field that all cookie fields merge into.
    private var cookieIndex: Int?
    /// Size of the block so far as RFC 9113, 6.5.2 defines it for SETTINGS_MAX_HEADER_LIST_SIZE:
    /// name and value octets plus 32 per field.
    private var headerListSize = 0
    /// The first limit the block broke. Fields after it are counted but not kept.
    private(set) var violation: HTTP1ParseError?

    init(limits: HTTPLimits, maxHeaderListSize: Int) {
        self.limits = limits
        self.maxHeaderListSize = maxHeaderListSize
    }

    mutating func add(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        headerListSize += name.count + value.count + 32
        guard violation == nil else {
            return
        }
        guard headerListSize <= maxHeaderListSize else {
            reject(.headerSectionTooLarge)
            return
        }
        if name.first == ASCII.colon {
            addPseudoHeader(name: name, value: value)
            return
        }
        guard fields.count < limits.maxHeaderCount else {
            reject(.tooManyFields)
            return
        }
        let fieldName = String(decoding: name, as: UTF8.self)
        let fieldValue = String(decoding: value, as: UTF8.self)
        // RFC 9113, 8.2.3: a client may split `cookie` into one field per cookie; they are
        // joined with "; " before the request goes to an HTTP/1.1-shaped application.
        if fieldName == "cookie" {
            if let index = cookieIndex {
                fields[index].value += "; " + fieldValue
                return
            }
            cookieIndex = fields.count
        }
        fields.append(HTTPField(name: fieldName, value: fieldValue))
    }

    private mutating func addPseudoHeader(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        switch String(decoding: name, as: UTF8.self) {
        case ":method":
            method = String(decoding: value, as: UTF8.self)
        case ":path":
            path = String(decoding: value, as: UTF8.self)
        case ":authority":
            authority = String(decoding: value, as: UTF8.self)
        default:
            // `:scheme` (and `:protocol` of RFC 8441) have no place in an HTTP/1.1-shaped head.
            break
        }
    }

    private mutating func reject(_ error: HTTP1ParseError) {
        violation = error
        fields = []
        cookieIndex = nil
    }

    /// The request head, or the limit the block broke.
    ///
    /// The target is `:path`; a CONNECT request has none and gets `:authority`, the
    /// authority-form of RFC 9112, 3.2.3. `:authority` becomes a `host` field when the
    /// client sent none (RFC 9113, 8.3.1).
    func makeHead() -> Result<HTTPRequestHead, HTTP1ParseError> {
        if let violation {
            return .failure(violation)
        }
        let target = path ?? authority ?? ""
        // Measured as the HTTP/1.1 request line `<method> <target> HTTP/1.1` would be, so
        // a target gets 414 over either protocol at the same length.
        guard method.utf8.count + target.utf8.count + 10 <= limits.maxRequestLineLength else {
            return .failure(.requestLineTooLong)
        }
        var headFields = HTTPFields(fields)
        if let authority, !headFields.contains("host") {
            headFields.append(name: "host", value: authority)
        }
        return .success(HTTPRequestHead(method: method, target: target, version: .http2, fields: headFields))
    }

    /// The fields of a trailer block (RFC 9113, 8.1), or the limit the block broke.
    func makeTrailers() -> Result<HTTPFields, HTTP1ParseError> {
        if let violation {
            return .failure(violation)
        }
        return .success(HTTPFields(fields))
    }
}
