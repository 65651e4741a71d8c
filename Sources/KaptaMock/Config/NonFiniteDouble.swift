/// Json.NET's names for the doubles a JSON number cannot express. The Kapta PUT accepts them
/// as literals (`"DoubleValue": Infinity`), so the admin API writes them as these strings and
/// reads them back, and a stored value survives a GET and PUT.
enum NonFiniteDouble {
    static let positiveInfinity = "Infinity"
    static let negativeInfinity = "-Infinity"
    static let notANumber = "NaN"

    /// Returns the name of an infinity or NaN, or nil for a finite number.
    static func name(of number: Double) -> String? {
        if number.isNaN {
            return notANumber
        }
        guard number.isInfinite else {
            return nil
        }
        return number < 0 ? negativeInfinity : positiveInfinity
    }

    /// Returns the double called `name`, or nil for any other text.
    static func value(named name: String) -> Double? {
        switch name {
        case positiveInfinity: .infinity
        case negativeInfinity: -.infinity
        case notANumber: .nan
        default: nil
        }
    }
}
