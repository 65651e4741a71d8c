/// The response to a request rejected before it reached a handler. Like HTTP.sys, which
/// answers such requests for IIS, it is a short HTML page naming the status.
enum HTTP1ErrorPage {
    static func response(for error: HTTP1ParseError) -> HTTPResponse {
        let status = error.status
        let html = "<!DOCTYPE html>\r\n<html><head><title>\(status.reasonPhrase)</title></head>"
            + "<body><h2>\(status.reasonPhrase)</h2><hr><p>HTTP Error \(status.code): \(error.description).</p>"
            + "</body></html>\r\n"
        let fields: HTTPFields = ["Content-Type": "text/html; charset=us-ascii"]
        return HTTPResponse(status: status, fields: fields, body: Array(html.utf8))
    }
}
