import CNghttp2

/// A libnghttp2 call that returned a negative error code.
struct HTTP2LibraryError: Error, CustomStringConvertible {
    /// The name of the nghttp2 function.
    let call: String
    /// One of `nghttp2_error`.
    let code: Int

    /// True for errors after which the session cannot be used (out of memory, callback
    /// failure), as `nghttp2_is_fatal` decides. Other errors concern one call or stream.
    var isFatal: Bool {
        nghttp2_is_fatal(Int32(clamping: code)) != 0
    }

    var description: String {
        "\(call) failed: \(Self.text(ofCode: code)) (\(code))"
    }

    /// Returns nghttp2's fixed description of an error code, which quotes nothing a peer sent.
    static func text(ofCode code: Int) -> String {
        nghttp2_strerror(Int32(clamping: code)).map { String(cString: $0) } ?? "unknown error"
    }
}

extension TransportFault {
    /// The RST_STREAM error code (RFC 9113, 7) that represents the fault on HTTP/2, where
    /// framing belongs to nghttp2 and a stream can fail without taking its connection along.
    var http2ErrorCode: UInt32 {
        switch self {
        case .connectionReset:
            return NGHTTP2_INTERNAL_ERROR.rawValue
        case .emptyResponse:
            return NGHTTP2_CANCEL.rawValue
        case .malformedResponse:
            return NGHTTP2_PROTOCOL_ERROR.rawValue
        }
    }
}
