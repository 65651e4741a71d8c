extension AdminAPI {
    /// `GET`, `POST` and `DELETE /__admin/faults`.
    func faults(method: String, body: [UInt8]) throws(AdminError) -> AdminOutcome {
        switch method {
        case "POST":
            let node = try parseBody(body)
            let request: FaultJSON.Request
            do {
                request = try FaultJSON.read(node)
            } catch {
                throw AdminError(error)
            }
            guard let fault = faults.add(match: request.match, times: request.times, action: request.action) else {
                throw .conflict("\(FaultRegistry.maxFaults) faults with firings left are installed; delete some first")
            }
            let response = AdminResponse.json(status: HTTPStatus(code: 201)) { FaultJSON.write(fault, to: &$0) }
            return AdminOutcome(response: response, reason: "installed fault \(fault.id) (\(fault.action.name))")
        case "DELETE":
            faults.removeAll()
            return AdminOutcome(response: AdminResponse.noContent, reason: "removed every fault")
        default:
            let installed = faults.all()
            let response = AdminResponse.json { writer in
                writer.beginObject()
                writer.key("faults")
                writer.beginArray()
                for fault in installed {
                    FaultJSON.write(fault, to: &writer)
                }
                writer.endArray()
                writer.endObject()
            }
            return AdminOutcome(response: response, reason: "listed \(installed.count) faults")
        }
    }

    /// `GET` and `DELETE /__admin/faults/{id}`.
    func fault(idText: String, method: String) throws(AdminError) -> AdminOutcome {
        guard let id = Int(idText), let fault = faults.fault(id: id) else {
            throw .notFound("fault \(ControlEscaping.quoted(idText)) not found")
        }
        guard method == "DELETE" else {
            let response = AdminResponse.json { FaultJSON.write(fault, to: &$0) }
            return AdminOutcome(response: response, reason: "returned fault \(id)")
        }
        faults.remove(id: id)
        return AdminOutcome(response: AdminResponse.noContent, reason: "removed fault \(id)")
    }
}

/// The JSON form of a fault:
/// `{"match":{"method","path","tenant"},"times":N,"action":{...}}`, where the action is
/// exactly one of `{"response":{"status","headers","body"}}`, `{"delayMilliseconds":N}` or
/// `{"transportFault":"connectionReset"|"emptyResponse"|"malformedResponse"}`.
enum FaultJSON {
    struct Request {
        var match: FaultMatch
        var times: Int?
        var action: FaultAction
    }

    static let maxDelayMilliseconds = 300_000

    /// Fields the transport writes itself, which a replacement response may not set. Two
    /// framing fields would make the response ambiguous (RFC 9112, 6.3), and HTTP/2 forbids
    /// the connection-specific ones, so a client would reset the stream (RFC 9113, 8.2.2).
    static let transportFields = ["Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
                                  "Proxy-Connection", "Upgrade", "TE", "Date"]

    /// Statuses whose responses have no content, with the section of RFC 9110 that states it.
    /// The transport would drop the body of a 204 or 304 without a word, and send the body of
    /// a 205 against the RFC, so a fault with such a body is rejected instead.
    static let statusesWithoutContent = [204: "15.3.5", 205: "15.3.6", 304: "15.4.5"]

    static func read(_ node: ConfigNode) throws(ConfigIssue) -> Request {
        let object = try node.object(allowedKeys: ["match", "times", "action"])
        var match = FaultMatch()
        if let matchNode = object.optional("match") {
            let matchObject = try matchNode.object(allowedKeys: ["method", "path", "tenant"])
            if let method = matchObject.optional("method") {
                match.method = try token(from: method, what: "method")
            }
            if let path = matchObject.optional("path") {
                let pattern = try path.trimmedString()
                guard pattern.hasPrefix("/") || pattern.hasPrefix("*") else {
                    throw path.issue("invalid path pattern \(ControlEscaping.quoted(pattern)); expected a path such as "
                        + "/v1/account/*/opportunity/*, where * matches any characters")
                }
                match.path = pattern
            }
            if let tenant = matchObject.optional("tenant") {
                match.tenant = try tenant.trimmedString()
            }
        }
        let times = try object.optional("times")?.integer(in: 1...1_000_000)
        let action = try self.action(from: object.required("action"))
        return Request(match: match, times: times, action: action)
    }

    private static func action(from node: ConfigNode) throws(ConfigIssue) -> FaultAction {
        let object = try node.object(allowedKeys: ["response", "delayMilliseconds", "transportFault"])
        guard object.members.count == 1, let member = object.members.first else {
            throw node.issue("expected exactly one of response, delayMilliseconds, transportFault")
        }
        let value = ConfigNode(value: member.value, path: node.path.appending(key: member.key))
        switch member.key {
        case "delayMilliseconds":
            return .delay(milliseconds: try value.integer(in: 0...maxDelayMilliseconds))
        case "transportFault":
            let name = try value.oneOf(TransportFault.allCases.map(\.rawValue))
            return .transport(TransportFault(rawValue: name) ?? .connectionReset)
        default:
            return .response(try response(from: value))
        }
    }

    private static func response(from node: ConfigNode) throws(ConfigIssue) -> HTTPResponse {
        let object = try node.object(allowedKeys: ["status", "headers", "body"])
        let status = try object.required("status").integer(in: 200...599)
        var fields = HTTPFields()
        if let headers = object.optional("headers") {
            for member in try headers.members() {
                let path = headers.path.appending(key: member.key)
                try checkFieldName(member.key, at: path)
                let value = try ConfigNode(value: member.value, path: path).string()
                guard value.utf8.allSatisfy(ASCII.isFieldValueCharacter) else {
                    throw ConfigIssue(path: path, message: "the value contains a control character such as CR or LF")
                }
                fields.append(name: member.key, value: value)
            }
        }
        let body = try object.optional("body")?.string() ?? ""
        if !body.isEmpty, let section = statusesWithoutContent[status] {
            throw ConfigIssue(path: node.path.appending(key: "body"),
                              message: "a \(status) response has no content (RFC 9110, \(section)); "
                                  + "leave body out or choose another status")
        }
        return HTTPResponse(status: HTTPStatus(code: status), fields: fields, body: Array(body.utf8))
    }

    private static func checkFieldName(_ name: String, at path: JSONPath) throws(ConfigIssue) {
        guard !name.isEmpty, name.utf8.allSatisfy(ASCII.isTokenCharacter) else {
            throw ConfigIssue(path: path, message: "invalid header name; expected a token such as Retry-After")
        }
        if transportFields.contains(where: { name.equalsIgnoringASCIICase($0) }) {
            throw ConfigIssue(path: path, message: "\(name) is set by the server itself; leave it out")
        }
    }

    private static func token(from node: ConfigNode, what: String) throws(ConfigIssue) -> String {
        let text = try node.string()
        guard !text.isEmpty, text.utf8.allSatisfy(ASCII.isTokenCharacter) else {
            throw node.issue("invalid \(what) \(ControlEscaping.quoted(text)); expected a token such as PUT")
        }
        return text
    }

    static func write(_ fault: Fault, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.number(fault.id)

        writer.key("match")
        writer.beginObject()

        writer.key("method")
        writer.string(orNull: fault.match.method)

        writer.key("path")
        writer.string(orNull: fault.match.path)

        writer.key("tenant")
        writer.string(orNull: fault.match.tenant)
        writer.endObject()

        writer.key("times")
        writeOptional(fault.times, to: &writer)

        writer.key("remaining")
        writeOptional(fault.remaining, to: &writer)

        writer.key("fired")
        writer.number(fault.fired)

        writer.key("action")
        writer.beginObject()
        switch fault.action {
        case .response(let response):
            writer.key("response")
            writer.beginObject()
            writer.key("status")
            writer.number(response.status.code)
            writer.key("headers")
            writer.beginObject()
            for field in response.fields {
                writer.member(field.name, field.value)
            }
            writer.endObject()
            writer.member("body", String(decoding: response.body, as: UTF8.self))
            writer.endObject()
        case .delay(let milliseconds):
            writer.key("delayMilliseconds")
            writer.number(milliseconds)
        case .transport(let transportFault):
            writer.member("transportFault", transportFault.rawValue)
        }
        writer.endObject()
        writer.endObject()
    }

    private static func writeOptional(_ number: Int?, to writer: inout JSONWriter) {
        if let number {
            writer.number(number)
        } else {
            writer.null()
        }
    }
}
