/// The two response formatters of the service, in registration order.
enum ResponseFormat: Sendable, Equatable {
    case json
    case xml

    /// The media types each formatter supports, in order. The service added `text/html`
    /// after the JSON formatter's defaults, so browsers get JSON labelled `text/html`.
    var supportedMediaTypes: [MediaType] {
        switch self {
        case .json: Self.jsonTypes
        case .xml: Self.xmlTypes
        }
    }

    private static let jsonTypes = ["application/json", "text/json", "text/html"].compactMap {
        MediaType(parsing: $0[...])
    }
    private static let xmlTypes = ["application/xml", "text/xml"].compactMap { MediaType(parsing: $0[...]) }
}

/// The response encodings both formatters support: UTF-8 first, then UTF-16.
enum ResponseCharset: String, Sendable, Equatable {
    case utf8 = "utf-8"
    /// UTF-16 little-endian with a byte-order mark, .NET's `Encoding.Unicode`.
    case utf16 = "utf-16"

    init?(name: Substring) {
        if name.equalsIgnoringASCIICase("utf-8") {
            self = .utf8
        } else if name.equalsIgnoringASCIICase("utf-16") {
            self = .utf16
        } else {
            return nil
        }
    }
}

/// The outcome of content negotiation: which formatter writes, with which media type and
/// charset. `contentType` is the header value (`application/json; charset=utf-8`).
struct NegotiatedFormat: Sendable, Equatable {
    var format: ResponseFormat
    var mediaType: String
    var charset: ResponseCharset

    var contentType: String { "\(mediaType); charset=\(charset.rawValue)" }

    static let defaultJSON = NegotiatedFormat(format: .json, mediaType: "application/json", charset: .utf8)
}

/// ASP.NET Web API's `DefaultContentNegotiator` with `ExcludeMatchOnTypeOnly` off, so it
/// never answers 406.
///
/// Each formatter finds its own best match, in this order: the `X-Requested-With:
/// XMLHttpRequest` mapping of the JSON formatter, the first `Accept` entry (sorted by q,
/// entries with q=0 skipped) that one of its types fits, the request's `Content-Type`, and
/// finally its first type. Across formatters a literal `Accept` match wins, a `type/*`
/// match replaces it only with a strictly higher q, then `*/*` likewise; ties go to the
/// earlier formatter, so JSON.
enum ContentNegotiator {
    private enum Ranking {
        case mapping, acceptLiteral, acceptSubtypeRange, acceptAllRange, requestMediaType, canWriteType
    }

    private struct Match {
        var format: ResponseFormat
        var mediaType: MediaType
        var quality: Double
        var ranking: Ranking
    }

    private struct AcceptEntry {
        var range: MediaType
        var quality: Double
    }

    static func negotiate(_ fields: HTTPFields) -> NegotiatedFormat {
        let accept = parseAccept(fields.values(for: "Accept"))
        let requestType = fields.joinedValue(lowercaseName: "content-type").flatMap { MediaType(parsing: $0[...]) }
        let matches = [ResponseFormat.json, .xml].map { format in
            match(format, accept: accept, requestType: requestType, fields: fields)
        }
        let best = selectBest(matches)
        return NegotiatedFormat(format: best.format, mediaType: best.mediaType.essence,
                                charset: selectCharset(fields, requestType: requestType))
    }

    /// Accept entries sorted by q, highest first. At equal q a specific type sorts before
    /// `type/*`, which sorts before `*/*`; otherwise the client's order is kept. An entry
    /// that does not parse is dropped, as System.Net.Http drops invalid header values.
    private static func parseAccept(_ values: [String]) -> [AcceptEntry] {
        var entries: [AcceptEntry] = []
        for value in values {
            for element in value.split(separator: ",") where !element.trimmingASCIISpaces().isEmpty {
                guard let range = MediaType(parsing: element) else {
                    continue
                }
                var quality = 1.0
                if let text = range.parameter("q") {
                    guard let parsed = Double(String(text)), parsed >= 0, parsed <= 1 else {
                        continue
                    }
                    quality = parsed
                }
                entries.append(AcceptEntry(range: range, quality: quality))
            }
        }
        func specificity(_ range: MediaType) -> Int {
            range.isAllMediaRange ? 0 : range.isSubtypeRange ? 1 : 2
        }
        return entries.enumerated().sorted { lhs, rhs in
            if lhs.element.quality != rhs.element.quality {
                return lhs.element.quality > rhs.element.quality
            }
            let (left, right) = (specificity(lhs.element.range), specificity(rhs.element.range))
            if left != right {
                return left > right
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    private static func match(_ format: ResponseFormat, accept: [AcceptEntry], requestType: MediaType?,
                              fields: HTTPFields) -> Match {
        let supported = format.supportedMediaTypes
        if format == .json, let first = supported.first, isAjaxRequest(fields, accept: accept) {
            return Match(format: format, mediaType: first, quality: 1, ranking: .mapping)
        }
        for entry in accept where entry.quality > 0 {
            if let type = supported.first(where: { $0.isSubset(of: entry.range) }) {
                let ranking: Ranking = entry.range.isAllMediaRange ? .acceptAllRange
                    : entry.range.isSubtypeRange ? .acceptSubtypeRange : .acceptLiteral
                return Match(format: format, mediaType: type, quality: entry.quality, ranking: ranking)
            }
        }
        if let requestType, let type = supported.first(where: { $0.isSubset(of: requestType) }) {
            return Match(format: format, mediaType: type, quality: 1, ranking: .requestMediaType)
        }
        return Match(format: format, mediaType: supported[0], quality: 1, ranking: .canWriteType)
    }

    /// Web API's `XmlHttpRequestHeaderMapping`: applies when Accept is absent or only `*/*`.
    private static func isAjaxRequest(_ fields: HTTPFields, accept: [AcceptEntry]) -> Bool {
        let requestedWith = fields["X-Requested-With"]?[...].trimmingASCIISpaces()
        guard requestedWith?.equalsIgnoringASCIICase("XMLHttpRequest") == true else {
            return false
        }
        return accept.isEmpty || (accept.count == 1 && accept[0].range.isAllMediaRange)
    }

    private static func selectBest(_ matches: [Match]) -> Match {
        func better(_ current: Match?, _ candidate: Match?) -> Match? {
            guard let candidate else { return current }
            guard let current else { return candidate }
            return candidate.quality > current.quality ? candidate : current
        }
        var mapping: Match?
        var literal: Match?
        var subtypeRange: Match?
        var allRange: Match?
        var requestType: Match?
        var canWrite: Match?
        for match in matches {
            switch match.ranking {
            case .mapping: mapping = better(mapping, match)
            case .acceptLiteral: literal = better(literal, match)
            case .acceptSubtypeRange: subtypeRange = better(subtypeRange, match)
            case .acceptAllRange: allRange = better(allRange, match)
            case .requestMediaType: requestType = requestType ?? match
            case .canWriteType: canWrite = canWrite ?? match
            }
        }
        // A mapping wins only if no Accept match has a strictly higher quality.
        if let currentMapping = mapping {
            let challenger = better(better(better(currentMapping, literal), subtypeRange), allRange)
            if challenger?.quality != currentMapping.quality || challenger?.format != currentMapping.format {
                mapping = nil
            }
        }
        if let mapping {
            return mapping
        }
        if let accepted = better(better(better(nil, literal), subtypeRange), allRange) {
            return accepted
        }
        return requestType ?? canWrite ?? matches[0]
    }

    /// `Accept-Charset` by q (`*` means the first supported, UTF-8; q=0 and unknown names
    /// are skipped), else the request's charset when supported, else UTF-8.
    private static func selectCharset(_ fields: HTTPFields, requestType: MediaType?) -> ResponseCharset {
        var candidates: [(name: Substring, quality: Double, order: Int)] = []
        for value in fields.values(for: "Accept-Charset") {
            for element in value.split(separator: ",") {
                let parts = element.split(separator: ";", maxSplits: 1)
                guard let name = parts.first?.trimmingASCIISpaces(), !name.isEmpty else {
                    continue
                }
                var quality = 1.0
                if parts.count == 2 {
                    let parameter = parts[1].trimmingASCIISpaces()
                    guard parameter.lowercased().hasPrefix("q="), let parsed = Double(String(parameter.dropFirst(2))),
                          parsed >= 0, parsed <= 1 else {
                        continue
                    }
                    quality = parsed
                }
                candidates.append((name, quality, candidates.count))
            }
        }
        let sorted = candidates.sorted { $0.quality != $1.quality ? $0.quality > $1.quality : $0.order < $1.order }
        for candidate in sorted where candidate.quality > 0 {
            if candidate.name == "*" {
                return .utf8
            }
            if let charset = ResponseCharset(name: candidate.name) {
                return charset
            }
        }
        if let name = requestType?.charset, let charset = ResponseCharset(name: name) {
            return charset
        }
        return .utf8
    }
}
