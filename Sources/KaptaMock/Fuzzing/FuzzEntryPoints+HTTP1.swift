extension FuzzEntryPoints {
    /// Parses the input twice, whole and in pieces whose sizes come from its first byte,
    /// and stops the process if the two disagree: a parser fed bytes must not depend on how
    /// they were split.
    static let http1Parser: Target = { input in
        guard let first = input.first else {
            return
        }
        let bytes = Array(input.dropFirst())
        var limits = HTTPLimits()
        limits.maxBodySize = 64 * 1024
        let pieceSize = Int(first % 16) + 1
        let whole = parseForFuzzing(bytes, pieceSize: bytes.count + 1, limits: limits)
        let pieces = parseForFuzzing(bytes, pieceSize: pieceSize, limits: limits)
        precondition(whole == pieces, "parse depends on how input was split: \(whole) vs \(pieces)")
    }

    /// What a parse produced, in a form two parses can be compared by.
    private struct ParseTrace: Equatable, CustomStringConvertible {
        var requests: [String] = []
        var error: HTTP1ParseError?

        var description: String { "\(requests) \(String(describing: error))" }
    }

    private static func parseForFuzzing(_ bytes: [UInt8], pieceSize: Int, limits: HTTPLimits) -> ParseTrace {
        var parser = HTTP1RequestParser(limits: limits)
        var trace = ParseTrace()
        var offset = 0
        repeat {
            let end = min(offset + pieceSize, bytes.count)
            parser.append(Array(bytes[offset..<end]))
            offset = end
            while true {
                let event: HTTP1ParserEvent
                do {
                    event = try parser.next()
                } catch {
                    trace.error = error
                    return trace
                }
                guard case .request(let request) = event else {
                    if case .needMoreData = event {
                        break
                    }
                    continue
                }
                let fields = request.head.fields.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                trace.requests.append("\(request.head.method) \(request.head.target) \(request.head.version) "
                    + "\(fields) \(request.body) \(Array(request.trailers))")
            }
        } while offset < bytes.count
        return trace
    }
}
