/// Why a request was rejected before it reached a handler. Each case maps to the status
/// sent back; after any of them the connection is closed, because the byte stream can no
/// longer be split into requests with confidence (RFC 9112, 6.3 and 11.2).
enum HTTP1ParseError: Error, Equatable, CustomStringConvertible {
    // Request line (RFC 9112, 3).
    case invalidRequestLine
    case invalidRequestTarget
    case requestLineTooLong
    case unsupportedVersion

    // Field lines (RFC 9112, 5).
    case invalidFieldName
    case whitespaceBeforeColon
    case obsoleteLineFolding
    case invalidFieldValue
    case bareLineFeed
    case headerSectionTooLarge
    case tooManyFields
    case missingHost
    case multipleHosts

    // Message body framing (RFC 9112, 6 and 7).
    case contentLengthWithTransferEncoding
    case invalidContentLength
    case conflictingContentLengths
    case chunkedNotFinal
    case unsupportedTransferCoding
    case transferEncodingInHTTP10
    case invalidChunkSize
    case chunkSizeOverflow
    case invalidChunkExtension
    case invalidChunkTerminator
    case chunkFramingTooLarge
    case bodyTooLarge

    /// The status this error is answered with, decided in this one place.
    var status: HTTPStatus {
        switch self {
        case .requestLineTooLong:
            return .uriTooLong
        case .headerSectionTooLarge, .tooManyFields:
            return .requestHeaderFieldsTooLarge
        case .bodyTooLarge:
            return .contentTooLarge
        case .unsupportedVersion:
            return .httpVersionNotSupported
        case .unsupportedTransferCoding:
            // RFC 9112, 6.1: a transfer coding the server does not understand gets 501.
            return .notImplemented
        case .invalidRequestLine, .invalidRequestTarget, .invalidFieldName, .whitespaceBeforeColon, .obsoleteLineFolding,
             .invalidFieldValue, .bareLineFeed, .missingHost, .multipleHosts,
             .contentLengthWithTransferEncoding, .invalidContentLength, .conflictingContentLengths,
             .chunkedNotFinal, .transferEncodingInHTTP10, .invalidChunkSize, .chunkSizeOverflow,
             .invalidChunkExtension, .invalidChunkTerminator, .chunkFramingTooLarge:
            return .badRequest
        }
    }

    var description: String {
        switch self {
        case .invalidRequestLine: "invalid request line"
        case .invalidRequestTarget: "invalid request target"
        case .requestLineTooLong: "request line too long"
        case .unsupportedVersion: "unsupported HTTP version"
        case .invalidFieldName: "invalid header field name"
        case .whitespaceBeforeColon: "white space between header field name and colon"
        case .obsoleteLineFolding: "obsolete line folding in header section"
        case .invalidFieldValue: "invalid character in header field value"
        case .bareLineFeed: "line ended by LF without CR"
        case .headerSectionTooLarge: "header section too large"
        case .tooManyFields: "too many header fields"
        case .missingHost: "HTTP/1.1 request without Host"
        case .multipleHosts: "more than one Host field"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding"
        case .invalidContentLength: "invalid Content-Length"
        case .conflictingContentLengths: "conflicting Content-Length values"
        case .chunkedNotFinal: "Transfer-Encoding does not end with chunked"
        case .unsupportedTransferCoding: "unsupported transfer coding"
        case .transferEncodingInHTTP10: "Transfer-Encoding in an HTTP/1.0 request"
        case .invalidChunkSize: "invalid chunk size"
        case .chunkSizeOverflow: "chunk size too large to represent"
        case .invalidChunkExtension: "invalid chunk extension"
        case .invalidChunkTerminator: "chunk data not followed by CRLF"
        case .chunkFramingTooLarge: "chunk framing overhead too large"
        case .bodyTooLarge: "request body too large"
        }
    }
}
