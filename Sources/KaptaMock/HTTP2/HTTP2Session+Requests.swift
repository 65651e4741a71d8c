import CNghttp2

/// Requests and responses: what the nghttp2 callbacks do with a stream once its frames
/// have arrived.
extension HTTP2Session {
    /// Handles the end of a request header block (RFC 9113, 8.1).
    func endRequestHeaders(of stream: HTTP2Stream, endStream: Bool) {
        stream.isRequestComplete = endStream
        stream.receivedAt = Clock.monotonicNanoseconds()
        let head: HTTPRequestHead
        switch stream.headBuilder.makeHead() {
        case .failure(let error):
            reject(stream, error)
            return
        case .success(let value):
            head = value
        }
        stream.head = head
        stream.headBuilder = makeHeadBuilder()
        if endStream {
            completeRequest(stream)
            return
        }
        // As over HTTP/1.1, a declared length above the limit is rejected before any body
        // arrives. nghttp2 checks that the DATA frames add up to the declared length.
        if let length = head.fields["content-length"].flatMap(Int.init), length > configuration.limits.maxBodySize {
            reject(stream, .bodyTooLarge)
            return
        }
        if let expectation = head.fields["expect"], expectation.equalsIgnoringASCIICase("100-continue") {
            respondToExpectation(stream, head: head)
        }
    }

    /// Handles a trailer block, which always ends the request (RFC 9113, 8.1).
    func endTrailers(of stream: HTTP2Stream) {
        stream.isRequestComplete = true
        switch stream.headBuilder.makeTrailers() {
        case .failure(let error):
            if !stream.hasEarlyResponse {
                reject(stream, error)
            }
        case .success(let trailers):
            stream.trailers = trailers
            completeRequest(stream)
        }
    }

    func receiveBodyChunk(_ bytes: UnsafeBufferPointer<UInt8>, on stream: HTTP2Stream) {
        guard !stream.hasEarlyResponse else {
            return
        }
        guard bytes.count <= configuration.limits.maxBodySize - stream.body.count else {
            reject(stream, .bodyTooLarge)
            return
        }
        stream.body.append(contentsOf: bytes)
    }

    /// Hands a complete request to the handler, unless a response already went out early.
    func completeRequest(_ stream: HTTP2Stream) {
        stream.isRequestComplete = true
        guard !stream.hasEarlyResponse, let head = stream.head else {
            return
        }
        let request = HTTPRequest(head: head, body: stream.body, trailers: stream.trailers)
        stream.body = []
        dispatch(request, on: stream)
    }

    func dispatch(_ request: HTTPRequest, on stream: HTTP2Stream) {
        switch handler.handle(request, context: requestContext(for: stream)) {
        case .response(let response):
            submit(response, on: stream)
        case .delayedResponse(let response, let milliseconds):
            stream.response = .delayed(response)
            transport.scheduleTimer(afterMilliseconds: milliseconds, token: UInt64(stream.id))
        case .fault(let fault):
            reset(stream, errorCode: fault.http2ErrorCode)
        }
    }

    /// RFC 9110, 10.1.1, as over HTTP/1.1: `100 Continue` only when the body will be read,
    /// and when the head alone decides the outcome, the final response at once.
    private func respondToExpectation(_ stream: HTTP2Stream, head: HTTPRequestHead) {
        if let response = handler.responseBeforeBody(to: head, context: requestContext(for: stream)) {
            respondEarly(stream, with: response)
            return
        }
        let result = withHeaderList([(":status", "100")]) { list, count in
            nghttp2_submit_headers(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, nil, list, count, nil)
        }
        if result != 0 {
            let error = HTTP2LibraryError(call: "nghttp2_submit_headers", code: Int(result))
            handleLibraryError(error, streamID: stream.id)
        }
    }

    /// Responds to a request that broke a limit with the page HTTP/1.1 sends for the same error.
    private func reject(_ stream: HTTP2Stream, _ error: HTTP1ParseError) {
        transport.logger.debug("rejected HTTP/2 request: \(error)",
                               metadata + [(key: "stream", value: String(stream.id)),
                                           (key: "status", value: String(error.status.code))])
        respondEarly(stream, with: HTTP1ErrorPage.response(for: error))
    }

    /// Sends a response before the request is complete; the rest of the request is ignored.
    /// If the client is still sending when the response ends, the stream is reset with
    /// NO_ERROR (see `HTTP2Callbacks`), as RFC 9113, 8.1 allows.
    private func respondEarly(_ stream: HTTP2Stream, with response: HTTPResponse) {
        stream.hasEarlyResponse = true
        stream.body = []
        submit(response, on: stream)
    }

    func submit(_ response: HTTPResponse, on stream: HTTP2Stream) {
        let method = stream.head?.method ?? ""
        let headers = HTTP2ResponseHeaders(response, requestMethod: method, date: transport.httpDate())
        stream.response = .submitted
        stream.responseBody = headers.sendsBody ? response.body : []
        stream.responseOffset = 0
        let result = withHeaderList(headers.fields) { list, count in
            guard headers.sendsBody else {
                return nghttp2_submit_response(session, stream.id, list, count, nil)
            }
            // nghttp2 copies the provider struct; the callback finds the body by stream id.
            var provider = nghttp2_data_provider()
            provider.read_callback = { _, streamID, buffer, length, flags, _, userData in
                HTTP2Callbacks.readResponseBody(streamID: streamID, into: buffer, length: length, flags: flags,
                                                userData: userData)
            }
            return nghttp2_submit_response(session, stream.id, list, count, &provider)
        }
        if result != 0 {
            let error = HTTP2LibraryError(call: "nghttp2_submit_response", code: Int(result))
            handleLibraryError(error, streamID: stream.id)
            reset(stream, errorCode: NGHTTP2_INTERNAL_ERROR.rawValue)
        }
    }

    func reset(_ stream: HTTP2Stream, errorCode: UInt32) {
        stream.response = .reset
        let result = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, errorCode)
        if result != 0 {
            let error = HTTP2LibraryError(call: "nghttp2_submit_rst_stream", code: Int(result))
            handleLibraryError(error, streamID: stream.id)
        }
    }

    /// Runs `body` with `fields` as an `nghttp2_nv` array. The names and values point into
    /// one buffer that lives only for the call: nghttp2's submit functions copy them.
    private func withHeaderList(_ fields: [(name: String, value: String)],
                                _ body: (UnsafePointer<nghttp2_nv>, Int) -> Int32) -> Int32 {
        var bytes: [UInt8] = []
        var spans: [(name: Range<Int>, value: Range<Int>)] = []
        spans.reserveCapacity(fields.count)
        for field in fields {
            let nameStart = bytes.count
            bytes.append(contentsOf: field.name.utf8)
            let valueStart = bytes.count
            bytes.append(contentsOf: field.value.utf8)
            spans.append((nameStart..<valueStart, valueStart..<bytes.count))
        }
        return bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else {
                return NGHTTP2_ERR_INVALID_ARGUMENT.rawValue
            }
            let list = spans.map { span in
                nghttp2_nv(name: base + span.name.lowerBound, value: base + span.value.lowerBound,
                           namelen: span.name.count, valuelen: span.value.count,
                           flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
            }
            return list.withUnsafeBufferPointer { listBuffer in
                guard let listBase = listBuffer.baseAddress else {
                    return NGHTTP2_ERR_INVALID_ARGUMENT.rawValue
                }
                return body(listBase, listBuffer.count)
            }
        }
    }

    private func requestContext(for stream: HTTP2Stream) -> RequestContext {
        RequestContext(remoteAddress: transport.remoteAddress, connectionID: transport.id,
                       receivedAt: stream.receivedAt, logger: transport.logger)
    }
}
