/// The bridge from the HTTP/1.1 side to HTTP/2 sessions.
enum HTTP2Support {
    /// False while no HTTP/2 session type exists: a preface is then parsed as HTTP/1.1 and
    /// rejected with 505, and `Upgrade: h2c` is ignored.
    static var isAvailable: Bool { false }

    static func makeSession(connection: Connection, start: HTTP2Start) -> (any ConnectionSession)? {
        nil
    }
}
