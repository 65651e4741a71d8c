/// The bridge from the HTTP/1.1 side to HTTP/2 sessions.
enum HTTP2Support {
    /// True: libnghttp2 is linked into every build.
    static var isAvailable: Bool { true }

    /// Creates the HTTP/2 session for `connection` and starts it. Returns nil when nghttp2
    /// cannot allocate a session or rejects the upgrade settings.
    static func makeSession(connection: Connection, start: HTTP2Start) -> (any ConnectionSession)? {
        let context = connection.loop.context
        guard let session = HTTP2Session(transport: connection, configuration: context.configuration,
                                         handler: context.handler),
              session.start(start) else {
            return nil
        }
        return session
    }
}
