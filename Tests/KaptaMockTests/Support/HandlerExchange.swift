import Foundation
@testable import KaptaMock

/// Sends requests straight to a `KaptaMockHandler`, for tests of routing, faults, journal
/// and admin logic that need no socket. Tests of the wire behaviour use a real server.
struct HandlerExchange {
    let handler: KaptaMockHandler

    init(configuration: KaptaMockConfiguration = .default) {
        handler = KaptaMockHandler(configuration: configuration)
    }

    struct Reply {
        var result: HandlerResult
        var status: Int
        var fields: HTTPFields
        var body: [UInt8]

        var text: String {
            String(decoding: body, as: UTF8.self)
        }

        /// The body parsed as JSON, or nil when it is not JSON.
        var json: Any? {
            try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        }

        var object: [String: Any] {
            json as? [String: Any] ?? [:]
        }
    }

    @discardableResult
    func send(_ method: String, _ target: String, headers: [(String, String)] = [], body: String = "") -> Reply {
        send(method, target, headers: headers, bytes: Array(body.utf8))
    }

    @discardableResult
    func send(_ method: String, _ target: String, headers: [(String, String)] = [], bytes: [UInt8]) -> Reply {
        var fields = HTTPFields()
        fields.append(name: "Host", value: "127.0.0.1:8080")
        for (name, value) in headers {
            fields.append(name: name, value: value)
        }
        let head = HTTPRequestHead(method: method, target: target, version: .http1_1, fields: fields)
        let context = RequestContext(remoteAddress: "127.0.0.1:50000", connectionID: 1,
                                     receivedAt: Clock.monotonicNanoseconds(), logger: .disabled)
        let result = handler.handle(HTTPRequest(head: head, body: bytes), context: context)
        switch result {
        case .response(let response), .delayedResponse(let response, _):
            return Reply(result: result, status: response.status.code, fields: response.fields, body: response.body)
        case .fault:
            return Reply(result: result, status: 0, fields: HTTPFields(), body: [])
        }
    }

    /// The journal as the admin API returns it.
    func journal(_ query: String = "") -> [[String: Any]] {
        send("GET", "/__admin/requests" + query).object["requests"] as? [[String: Any]] ?? []
    }
}

/// A valid PUT body for opportunity OPP-2001 of the default configuration.
let opportunityBody = #"{"OpportunityID":"OPP-2001","Name":"Renewal 2027","CloseDate":"2027-03-31T00:00:00Z","#
    + #""Value":1.5,"Stage":"Proposal"}"#
