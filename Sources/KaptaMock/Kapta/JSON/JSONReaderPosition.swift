/// The containers a `JSONTextReader` is inside, kept on the heap instead of the call stack.
///
/// Json.NET keeps one position per open container and builds the error path
/// (`CustomFields[0].DoubleValue`) from them. A client can nest 4 MiB of `[`, so identical
/// neighbouring frames are stored once with a repeat count: 100,000 nested `[` cost one
/// frame, and even alternating property names cost one frame per container.
struct JSONContainerStack {
    enum Kind: UInt8 {
        case object
        case array
        case constructor
    }

    struct Frame: Equatable {
        var kind: Kind
        /// For an object, the current property name as a range of the reader's buffer or,
        /// when the name held escapes, an index into `escapedNames` (negative `nameStart`).
        var nameStart: Int32 = -1
        var nameLength: Int32 = 0
        /// For an array or constructor: the index of the current item, -1 before the first.
        var index: Int32 = -1
        var repeatCount: Int32 = 1

        func sameContents(as other: Frame) -> Bool {
            kind == other.kind && nameStart == other.nameStart && nameLength == other.nameLength
                && index == other.index
        }
    }

    private(set) var frames: [Frame] = []
    /// Open containers, counting repeats.
    private(set) var count = 0
    /// Property names that held escape sequences, decoded.
    var escapedNames: [String] = []

    init() {
        // Room for the model's three levels and a little more, allocated once instead of
        // growing the array frame by frame.
        frames.reserveCapacity(8)
    }

    var top: Frame? { frames.last }

    mutating func push(_ kind: Kind) {
        let frame = Frame(kind: kind)
        count += 1
        if let last = frames.last, last.sameContents(as: frame) {
            frames[frames.count - 1].repeatCount += 1
        } else {
            frames.append(frame)
        }
    }

    /// Removes the innermost container and returns its kind, or nil when none is open.
    mutating func pop() -> Kind? {
        guard let last = frames.last else {
            return nil
        }
        count -= 1
        if last.repeatCount > 1 {
            frames[frames.count - 1].repeatCount -= 1
        } else {
            frames.removeLast()
        }
        return last.kind
    }

    /// Changes the innermost frame, splitting it off a run of repeats first.
    mutating func updateTop(_ change: (inout Frame) -> Void) {
        guard var last = frames.last else {
            return
        }
        if last.repeatCount > 1 {
            frames[frames.count - 1].repeatCount -= 1
            last.repeatCount = 1
            change(&last)
            frames.append(last)
        } else {
            change(&frames[frames.count - 1])
        }
    }
}

/// How far `JSONTextReader.lineInfo` has counted: the offset reached, the line there, and
/// the UTF-16 position on that line.
struct JSONLineCache {
    var offset = 0
    var line = 1
    var position = 0
}

/// A Json.NET reader error: the message plus where it happened, formatted as Json.NET's
/// `JsonPosition.FormatMessage` does (`… Path 'CloseDate', line 1, position 30.`).
struct JSONReadError: Error, Equatable {
    var message: String
    var path: String
    var line: Int
    var position: Int

    /// The text Json.NET puts in the exception's `Message`.
    var formatted: String {
        var text = message
        // A message that ends with a line break gets the suffix on the next line as is.
        if !text.hasSuffix("\r\n") {
            text = text.trimmingWhiteSpace()
            if !text.hasSuffix(".") {
                text += "."
            }
            text += " "
        }
        return text + "Path '\(path)', line \(line), position \(position)."
    }
}

enum JSONPathFormatter {
    /// Characters that make Json.NET write a property name as `['name']` in a path.
    private static let specialCharacters: Set<Unicode.Scalar> = [
        ".", " ", "'", "/", "\"", "[", "]", "(", ")", "\t", "\n", "\r", "\u{0C}", "\u{08}", "\\",
        "\u{85}", "\u{2028}", "\u{2029}",
    ]

    static func appendProperty(_ name: String, to path: inout String) {
        if name.unicodeScalars.contains(where: { specialCharacters.contains($0) }) {
            // NOTE: Json.NET also escapes the name inside the quotes; names that need escaping
            // are written here as they are.
            path += "['" + name + "']"
        } else {
            if !path.isEmpty {
                path += "."
            }
            path += name
        }
    }
}

extension JSONTextReader {
    /// The JSON path of the current token as Json.NET's `JsonReader.Path` builds it: the
    /// innermost container is left out right after it starts.
    var path: String {
        guard !containers.frames.isEmpty else {
            return ""
        }
        let includesInnermost = state != .arrayStart && state != .constructorStart && state != .objectStart
        var text = ""
        let frames = containers.frames
        for (offset, frame) in frames.enumerated() {
            var repeats = Int(frame.repeatCount)
            if offset == frames.count - 1 && !includesInnermost {
                repeats -= 1
            }
            for _ in 0..<max(0, repeats) {
                appendPathSegment(of: frame, to: &text)
            }
        }
        return text
    }

    private func appendPathSegment(of frame: JSONContainerStack.Frame, to text: inout String) {
        switch frame.kind {
        case .object:
            guard frame.nameLength > 0 || frame.nameStart >= 0 else {
                return
            }
            JSONPathFormatter.appendProperty(propertyName(of: frame), to: &text)
        case .array, .constructor:
            text += "[\(frame.index)]"
        }
    }

    func propertyName(of frame: JSONContainerStack.Frame) -> String {
        if frame.nameStart < 0 {
            let slot = Int(-frame.nameStart - 2)
            return slot >= 0 && slot < containers.escapedNames.count ? containers.escapedNames[slot] : ""
        }
        let start = Int(frame.nameStart)
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<start + Int(frame.nameLength)]),
                      as: UTF8.self)
    }

    /// Json.NET's `Depth`: open containers outside the current token.
    var depth: Int {
        let outer = max(0, containers.count - 1)
        if token.isStart || containers.count == 0 {
            return outer
        }
        return outer + 1
    }

    /// Computes the line and the position on it, as Json.NET's `IJsonLineInfo` reports them
    /// for everything read so far: lines break at CR, LF and CRLF, and the position counts
    /// UTF-16 code units because .NET strings are UTF-16.
    ///
    /// The scan resumes from the previous error's offset when it can, so a body with many
    /// errors costs one pass over the text, not one pass per error.
    mutating func lineInfo(at offset: Int) -> (line: Int, position: Int) {
        let end = min(offset, bytes.count)
        var cache = lineCache.offset <= end ? lineCache : JSONLineCache()
        while cache.offset < end {
            let byte = bytes[cache.offset]
            cache.offset += 1
            if byte == ASCII.lineFeed && cache.offset >= 2 && bytes[cache.offset - 2] == ASCII.carriageReturn {
                // The second half of CRLF: the CR already started the line.
                continue
            }
            if byte == ASCII.carriageReturn || byte == ASCII.lineFeed {
                cache.line += 1
                cache.position = 0
            } else if byte & 0xC0 != 0x80 {
                cache.position += byte >= 0xF0 ? 2 : 1
            }
        }
        lineCache = cache
        return (cache.line, cache.position)
    }

    /// Makes an error at the current position with the current path.
    mutating func error(_ message: String) -> JSONReadError {
        let info = lineInfo(at: position)
        // Json.NET reports line 0 before anything but white space was consumed.
        let line = state == .start && info.position == 0 && token != .comment ? 0 : info.line
        return JSONReadError(message: message, path: path, line: line, position: info.position)
    }
}
