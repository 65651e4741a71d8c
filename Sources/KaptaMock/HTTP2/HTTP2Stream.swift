/// One request and its response on an HTTP/2 connection, from the first HEADERS frame until
/// nghttp2 reports the stream closed.
///
/// A class, because the nghttp2 callbacks of one stream mutate it through the session's
/// stream table many times per request.
final class HTTP2Stream {
    enum Response {
        /// Nothing submitted yet: the request is still arriving or in the handler.
        case none
        /// The handler asked for a delay; a timer whose token is the stream id sends it.
        case delayed(HTTPResponse)
        /// Submitted to nghttp2, which reads `responseBody` through the data provider.
        case submitted
        /// The stream was reset instead of getting a response.
        case reset
    }

    let id: Int32
    var headBuilder: HTTP2RequestHeadBuilder
    /// Set when the request header block ended and passed the limits.
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    var trailers = HTTPFields()
    /// Monotonic nanoseconds at the end of the request header block.
    var receivedAt: UInt64 = 0
    /// True once the client ended its side of the stream (END_STREAM received).
    var isRequestComplete = false
    /// True when a response went out before the request was complete (413, 431, an early
    /// final response to `Expect: 100-continue`). The rest of the request is then ignored.
    var hasEarlyResponse = false
    var response = Response.none
    var responseBody: [UInt8] = []
    /// How much of `responseBody` the data provider has handed to nghttp2.
    var responseOffset = 0

    init(id: Int32, headBuilder: HTTP2RequestHeadBuilder) {
        self.id = id
        self.headBuilder = headBuilder
    }

    var isDelayed: Bool {
        if case .delayed = response {
            return true
        }
        return false
    }

    /// Copies up to `capacity` bytes of the response body into `buffer`. Returns the number
    /// of bytes copied and whether the body is now fully read.
    func readResponseBody(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> (count: Int, isEnd: Bool) {
        let count = min(capacity, responseBody.count - responseOffset)
        if count > 0 {
            responseBody.withUnsafeBufferPointer { source in
                if let base = source.baseAddress {
                    buffer.update(from: base + responseOffset, count: count)
                }
            }
            responseOffset += count
        }
        return (count, responseOffset == responseBody.count)
    }
}
