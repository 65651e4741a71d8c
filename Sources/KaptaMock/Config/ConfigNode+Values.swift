extension ConfigNode {
    /// Reads a decimal written as a JSON number or a JSON string (`125000.50`, `"125000.50"`,
    /// `1.25E+3`). The text is read exactly, never through `Double`, and keeps its scale.
    func decimal() throws(ConfigIssue) -> DecimalNumber {
        let text: String
        switch value {
        case .number(let number):
            text = number
        case .string(let string):
            text = string
        default:
            throw issue("expected a decimal as a string or number, found \(value.typeName)")
        }
        guard let decimal = ConfigNode.decimal(fromJSONNumberText: text) else {
            throw issue("invalid decimal \(ControlEscaping.quoted(text)); expected digits with an optional '-', "
                + "decimal point and exponent, at most 28 decimal places and at most "
                + "79228162514264337593543950335 in magnitude")
        }
        return decimal
    }

    /// Reads text with the grammar of a JSON number into a decimal with .NET's range. The
    /// exponent moves the point: `1.25E+3` becomes `1250` and `125E-2` becomes `1.25`.
    static func decimal(fromJSONNumberText text: String) -> DecimalNumber? {
        // The number grammar is checked by the strict parser; its message is not needed
        // because the caller reports an invalid decimal in its own words.
        guard case .number(let number) = (try? StrictJSONParser.parse(text)) ?? .null, number == text else {
            return nil
        }
        var bytes = Substring(text).utf8[...]
        let isNegative = bytes.first == UInt8(ascii: "-")
        if isNegative {
            bytes = bytes.dropFirst()
        }
        let exponentStart = bytes.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = bytes[..<(exponentStart ?? bytes.endIndex)]

        var exponent = 0
        if let exponentStart {
            // Exponents beyond this cannot give a value inside the 29-digit, 28-place range.
            guard let parsed = Int(String(Substring(bytes[bytes.index(after: exponentStart)...]))),
                  (-100...100).contains(parsed) else {
                return nil
            }
            exponent = parsed
        }

        var digits = Array(mantissa.filter { $0 != UInt8(ascii: ".") })
        var fractionDigits = 0
        if let point = mantissa.firstIndex(of: UInt8(ascii: ".")) {
            fractionDigits = mantissa.distance(from: point, to: mantissa.endIndex) - 1
        }
        var scale = fractionDigits - exponent
        if scale < 0 {
            digits += Array(repeating: UInt8(ascii: "0"), count: -scale)
            scale = 0
        }
        guard scale <= DecimalNumber.maxScale else {
            return nil
        }

        var coefficient: UInt128 = 0
        for digit in digits {
            coefficient = coefficient * 10 + UInt128(digit - UInt8(ascii: "0"))
            guard coefficient <= DecimalNumber.maxCoefficient else {
                return nil
            }
        }
        return DecimalNumber(isNegative: isNegative, coefficient: coefficient, scale: scale)
    }

    /// Reads an ISO 8601 date-time string and keeps its precision and zone.
    func dateTime() throws(ConfigIssue) -> DateTimeValue {
        let text = try string()
        guard let date = DateTimeValue(iso8601: text[...]) else {
            throw issue("invalid date-time \(ControlEscaping.quoted(text)); expected ISO 8601 such as "
                + "2027-03-31T00:00:00Z: up to 7 fractional digits, then Z, an offset such as +02:00, or nothing")
        }
        return date
    }

    /// Reads a `Double`, the type of the service's `double?` custom fields: a JSON number
    /// inside the range of a double, or one of the strings `Infinity`, `-Infinity` and `NaN`.
    func double() throws(ConfigIssue) -> Double {
        let allowed = "a number or one of the strings \(NonFiniteDouble.positiveInfinity), "
            + "\(NonFiniteDouble.negativeInfinity) and \(NonFiniteDouble.notANumber)"
        switch value {
        case .number(let text):
            guard let number = Double(text), number.isFinite else {
                throw issue("\(text) is outside the range of a double")
            }
            return number
        case .string(let text):
            guard let number = NonFiniteDouble.value(named: text) else {
                throw issue("invalid double \(ControlEscaping.quoted(text)); expected \(allowed)")
            }
            return number
        default:
            throw issue("expected \(allowed), found \(value.typeName)")
        }
    }
}
