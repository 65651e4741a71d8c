import CNghttp2

/// The C callbacks nghttp2 calls while it parses and serializes frames. Each recovers the
/// `HTTP2Session` from `user_data` (set unretained, see `HTTP2Session`), does one thing
/// and returns 0, or `NGHTTP2_ERR_CALLBACK_FAILURE`, which ends the connection.
///
/// Pointers passed to a callback (frames, names, values, data) are nghttp2's and valid
/// only during the call; anything kept is copied.
enum HTTP2Callbacks {
    private static let headersType = UInt8(NGHTTP2_HEADERS.rawValue)
    private static let dataType = UInt8(NGHTTP2_DATA.rawValue)
    private static let pingType = UInt8(NGHTTP2_PING.rawValue)
    private static let endStreamFlag = UInt8(NGHTTP2_FLAG_END_STREAM.rawValue)
    private static let ackFlag = UInt8(NGHTTP2_FLAG_ACK.rawValue)
    private static let failure = NGHTTP2_ERR_CALLBACK_FAILURE.rawValue

    /// Sets every callback the server uses on `callbacks`.
    static func install(in callbacks: OpaquePointer) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            guard let frame, let session = HTTP2Callbacks.session(from: userData) else { return HTTP2Callbacks.failure }
            return HTTP2Callbacks.beginHeaders(frame, session: session)
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _, frame, name, nameCount, value, valueCount, _, userData in
            guard let frame, let session = HTTP2Callbacks.session(from: userData) else { return HTTP2Callbacks.failure }
            let stream = session.streams[frame.pointee.hd.stream_id]
            stream?.headBuilder.add(name: UnsafeBufferPointer(start: name, count: nameCount),
                                    value: UnsafeBufferPointer(start: value, count: valueCount))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame, let session = HTTP2Callbacks.session(from: userData) else { return HTTP2Callbacks.failure }
            return HTTP2Callbacks.frameReceived(frame, session: session)
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            guard let session = HTTP2Callbacks.session(from: userData) else { return HTTP2Callbacks.failure }
            if let stream = session.streams[streamID] {
                session.receiveBodyChunk(UnsafeBufferPointer(start: data, count: length), on: stream)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, userData in
            guard let frame, let session = HTTP2Callbacks.session(from: userData) else { return HTTP2Callbacks.failure }
            return HTTP2Callbacks.frameSent(frame, session: session)
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            guard let session = HTTP2Callbacks.session(from: userData) else { return HTTP2Callbacks.failure }
            session.streams.removeValue(forKey: streamID)
            if errorCode != NGHTTP2_NO_ERROR.rawValue {
                session.transport.logger.trace("HTTP/2 stream closed with error code \(errorCode)",
                                               session.metadata + [(key: "stream", value: String(streamID))])
            }
            session.terminateIfInputClosed()
            return 0
        }
        nghttp2_session_callbacks_set_error_callback2(callbacks) { _, code, message, length, userData in
            guard let session = HTTP2Callbacks.session(from: userData) else { return HTTP2Callbacks.failure }
            let bytes = UnsafeRawBufferPointer(start: message, count: message == nil ? 0 : length)
            HTTP2Callbacks.logProtocolError(code: code, message: bytes, session: session)
            return 0
        }
    }

    /// Logs an error nghttp2 reports, with its code, the code's fixed description and the stream
    /// id. nghttp2's own message is not logged, because for a rejected header field it quotes the
    /// field's name and value (`name: [authorization], value: [token ...]`), which may be a
    /// credential. Only the stream id is taken from it.
    private static func logProtocolError(code: Int32, message: UnsafeRawBufferPointer, session: HTTP2Session) {
        var metadata = session.metadata
        if let streamID = streamID(inLibraryMessage: message) {
            metadata.append((key: "stream", value: String(streamID)))
        }
        metadata.append((key: "code", value: String(code)))
        metadata.append((key: "error", value: HTTP2LibraryError.text(ofCode: Int(code))))
        session.transport.logger.debug("HTTP/2 protocol error", metadata)
    }

    /// Returns the number after the first `stream: ` in a message of nghttp2 (as 1.52 writes it), such as
    /// `Invalid HTTP header field was received: frame type: 1, stream: 3, name: ...`. nghttp2
    /// writes the stream before any text from the peer, so the first match is its own.
    static func streamID(inLibraryMessage message: UnsafeRawBufferPointer) -> Int32? {
        let marker = Array("stream: ".utf8)
        guard let start = message.indices.first(where: { message[$0...].starts(with: marker) }) else {
            return nil
        }
        var value: Int32 = 0
        var index = start + marker.count
        while index < message.count, message[index] >= 0x30, message[index] <= 0x39 {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else {
                return nil
            }
            value = product &+ Int32(message[index] - 0x30)
            index += 1
        }
        return index > start + marker.count && value >= 0 ? value : nil
    }

    private static func session(from userData: UnsafeMutableRawPointer?) -> HTTP2Session? {
        guard let userData else {
            return nil
        }
        return Unmanaged<HTTP2Session>.fromOpaque(userData).takeUnretainedValue()
    }

    /// Creates the stream of a request, or starts collecting trailers when a second header
    /// block arrives on a stream.
    private static func beginHeaders(_ frame: UnsafePointer<nghttp2_frame>, session: HTTP2Session) -> Int32 {
        guard frame.pointee.hd.type == headersType else {
            return 0
        }
        let streamID = frame.pointee.hd.stream_id
        switch frame.pointee.headers.cat {
        case NGHTTP2_HCAT_REQUEST:
            session.streams[streamID] = HTTP2Stream(id: streamID, headBuilder: session.makeHeadBuilder())
        case NGHTTP2_HCAT_HEADERS:
            session.streams[streamID]?.headBuilder = session.makeHeadBuilder()
        default:
            break
        }
        return 0
    }

    private static func frameReceived(_ frame: UnsafePointer<nghttp2_frame>, session: HTTP2Session) -> Int32 {
        let header = frame.pointee.hd
        switch header.type {
        case headersType:
            guard let stream = session.streams[header.stream_id] else {
                return 0
            }
            if frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST {
                session.endRequestHeaders(of: stream, endStream: header.flags & endStreamFlag != 0)
            } else if frame.pointee.headers.cat == NGHTTP2_HCAT_HEADERS {
                session.endTrailers(of: stream)
            }
        case dataType:
            if header.flags & endStreamFlag != 0, let stream = session.streams[header.stream_id] {
                session.completeRequest(stream)
            }
        case pingType:
            if header.flags & ackFlag != 0 {
                session.pingAcknowledged()
            }
        default:
            break
        }
        return 0
    }

    /// Resets a stream with NO_ERROR after the last frame of its response when its request is
    /// still arriving, which requests that the client stop sending (RFC 9113, 8.1).
    private static func frameSent(_ frame: UnsafePointer<nghttp2_frame>, session: HTTP2Session) -> Int32 {
        let header = frame.pointee.hd
        guard header.type == headersType || header.type == dataType, header.flags & endStreamFlag != 0,
              let stream = session.streams[header.stream_id], !stream.isRequestComplete else {
            return 0
        }
        // NOTE: RFC 9113, 8.1 forbids clients to discard the response because of this reset,
        // but curl 7.88 fails with error 92 when it arrives before the whole body was sent.
        session.reset(stream, errorCode: NGHTTP2_NO_ERROR.rawValue)
        return 0
    }

    /// The data provider's read callback: copies the next part of a response body.
    static func readResponseBody(streamID: Int32, into buffer: UnsafeMutablePointer<UInt8>?, length: Int,
                                 flags: UnsafeMutablePointer<UInt32>?, userData: UnsafeMutableRawPointer?) -> Int {
        guard let buffer, let flags, let session = session(from: userData) else {
            return Int(failure)
        }
        guard let stream = session.streams[streamID] else {
            // Resets the stream rather than failing the connection.
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        let (count, isEnd) = stream.readResponseBody(into: buffer, capacity: length)
        if isEnd {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
        }
        return count
    }
}
