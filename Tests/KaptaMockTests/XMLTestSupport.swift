@testable import KaptaMock

/// Helpers shared by the XML reader suites.
enum XMLTestSupport {
    static let contractNamespace = "http://schemas.datacontract.org/2004/07/KAPTA.Domain.ViewModel.v1"
    static let open = "<UpdateOpportunityModel xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" "
        + "xmlns=\"\(contractNamespace)\">"
    static let close = "</UpdateOpportunityModel>"
    static let deserializing = "There was an error deserializing the object of type "
        + "KAPTA.Domain.ViewModel.v1.UpdateOpportunityModel. "

    static func read(_ xml: String, charset: String? = nil) -> BindingResult {
        XMLModelReader.read(body: Array(xml.utf8), charset: charset)
    }

    /// Wraps `members` in the sample's root element.
    static func model(_ members: String) -> String {
        open + members + close
    }

    /// Returns the only ModelState message, or nil when binding succeeded.
    static func errorMessage(_ result: BindingResult) -> String? {
        result.errors.first?.message
    }

    static func utf16(_ text: String, bigEndian: Bool, byteOrderMark: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        if byteOrderMark {
            bytes += bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        }
        for unit in text.utf16 {
            let high = UInt8(unit >> 8)
            let low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }
}
