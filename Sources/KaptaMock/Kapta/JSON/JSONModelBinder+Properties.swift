// Json.NET's `PopulateObject` and `PopulateList` for the three levels of the model. The
// control flow mirrors the serializer's: an error inside one property is recorded and
// skipped past (`HandleError`), an error while moving between properties ends the object
// and reaches the enclosing level, and at the root it leaves the model null.

extension JSONModelBinder {
    private enum ModelProperty: CaseIterable {
        case opportunityID, name, description, closeDate, value, stage, customFields

        var jsonName: StaticString {
            switch self {
            case .opportunityID: "OpportunityID"
            case .name: "Name"
            case .description: "Description"
            case .closeDate: "CloseDate"
            case .value: "Value"
            case .stage: "Stage"
            case .customFields: "CustomFields"
            }
        }
    }

    private enum CustomFieldProperty: CaseIterable {
        case fieldName, type, stringValue, doubleValue, datetimeValue

        var jsonName: StaticString {
            switch self {
            case .fieldName: "FieldName"
            case .type: "Type"
            case .stringValue: "StringValue"
            case .doubleValue: "DoubleValue"
            case .datetimeValue: "DatetimeValue"
            }
        }
    }

    // The cases as stored arrays: `allCases` builds a new array on every call.
    private static let modelProperties = ModelProperty.allCases
    private static let customFieldProperties = CustomFieldProperty.allCases

    /// Json.NET's `GetClosestMatchProperty`: an exact match first, then one ignoring case.
    private mutating func matchProperty<Property>(_ properties: [Property], _ name: (Property) -> StaticString)
        -> Property? {
        let found: (Property, exact: Bool)? = reader.withStringBytes { sent in
            for property in properties where Self.equals(sent, name(property), ignoringCase: false) {
                return (property, true)
            }
            for property in properties where Self.equals(sent, name(property), ignoringCase: true) {
                return (property, false)
            }
            return nil
        }
        guard let found else {
            return nil
        }
        if !found.exact {
            warnCaseInsensitiveMatch(sent: reader.makeString(), property: name(found.0).description)
        }
        return found.0
    }

    // NOTE: .NET's OrdinalIgnoreCase also folds a few non-ASCII letters onto ASCII ones
    // (for example U+0131 `ı` to `I`); names are compared here with ASCII case folding only.
    private static func equals(_ sent: UnsafeBufferPointer<UInt8>, _ name: StaticString, ignoringCase: Bool) -> Bool {
        guard sent.count == name.utf8CodeUnitCount else {
            return false
        }
        guard let sentBase = sent.baseAddress else {
            return true
        }
        let expected = name.utf8Start
        guard ignoringCase else {
            return ASCIIWords.equals(sentBase, expected, count: sent.count)
        }
        for index in 0..<sent.count where ASCII.lowercased(sent[index]) != ASCII.lowercased(expected[index]) {
            return false
        }
        return true
    }

    /// Json.NET's error when the input ends before a property's value. The name is the
    /// one the client sent, still held by the innermost object's frame.
    private mutating func readEnded() -> JSONReadError {
        let name = reader.containers.top.map { reader.propertyName(of: $0) } ?? ""
        return reader.error("Unexpected end when setting \(name)'s value.")
    }

    // MARK: UpdateOpportunityModel

    /// Reads the root object. `CloseDate` and `Value` are non-nullable with `[Required]`,
    /// which ASP.NET turns into Json.NET's `Required.AllowNull`: absent means an error.
    mutating func populateModel() throws(JSONReadError) -> UpdateOpportunityModel {
        var model = UpdateOpportunityModel()
        var isCloseDatePresent = false
        var isValuePresent = false
        guard try reader.read() else {
            throw reader.error("Unexpected end when reading JSON.")
        }
        let initialDepth = reader.depth
        var finished = false
        repeat {
            switch reader.token {
            case .propertyName:
                do throws(JSONReadError) {
                    try readModelProperty(into: &model, isCloseDatePresent: &isCloseDatePresent,
                                          isValuePresent: &isValuePresent)
                } catch {
                    record(error)
                    try skipPastError(initialDepth: initialDepth)
                }
            case .endObject:
                finished = true
            case .comment:
                break
            default:
                throw reader.error("Unexpected token when deserializing object: \(reader.token)")
            }
        } while try readNext(unless: finished)
        if !finished {
            recordUnexpectedEnd("Unexpected end when deserializing object.")
        }
        if !isCloseDatePresent {
            record(reader.error("Required property 'CloseDate' not found in JSON."))
        }
        if !isValuePresent {
            record(reader.error("Required property 'Value' not found in JSON."))
        }
        return model
    }

    /// The condition of Json.NET's `do { … } while (!finished && reader.Read())`.
    private mutating func readNext(unless finished: Bool) throws(JSONReadError) -> Bool {
        finished ? false : try reader.read()
    }

    private mutating func readModelProperty(into model: inout UpdateOpportunityModel, isCloseDatePresent: inout Bool,
                                            isValuePresent: inout Bool) throws(JSONReadError) {
        guard let property = matchProperty(Self.modelProperties, \.jsonName) else {
            guard try reader.read() else {
                return
            }
            try reader.skip()
            return
        }
        switch property {
        case .opportunityID, .name, .description, .stage:
            let text = try reader.readAsString()
            guard reader.token != .none else {
                throw readEnded()
            }
            switch property {
            case .opportunityID: model.opportunityID = text
            case .name: model.name = text
            case .description: model.description = text
            default: model.stage = text
            }
        case .closeDate:
            let date = try reader.readAsDateTime()
            guard reader.token != .none else {
                throw readEnded()
            }
            isCloseDatePresent = true
            guard let date else {
                throw reader.error("Error converting value {null} to type 'System.DateTime'.")
            }
            model.closeDate = date
        case .value:
            let value = try reader.readAsDecimal(notes: &notes)
            guard reader.token != .none else {
                throw readEnded()
            }
            isValuePresent = true
            guard let value else {
                throw reader.error("Error converting value {null} to type 'System.Decimal'.")
            }
            model.value = value
        case .customFields:
            guard try reader.readAndMoveToContent() else {
                throw readEnded()
            }
            try readCustomFieldList(into: &model.customFields)
        }
    }

    // MARK: CustomFields

    /// Sets `CustomFields` from the current token. A repeated `CustomFields` adds to the
    /// list, as Json.NET reuses an existing collection (`ObjectCreationHandling.Auto`).
    private mutating func readCustomFieldList(into list: inout [UDFFieldModel]?) throws(JSONReadError) {
        switch reader.token {
        case .startArray:
            var items = list ?? []
            try populateCustomFields(&items)
            list = items
        case .null, .undefined:
            list = nil
        case .string where reader.withStringBytes({ $0.isEmpty }):
            list = nil
        case .startObject:
            guard try reader.read() else {
                throw reader.error("Unexpected end when reading JSON.")
            }
            throw reader.error(Self.objectIntoArrayMessage(KaptaTypeNames.customFieldList))
        case .string, .integer, .float, .boolean, .date, .startConstructor:
            let typeName = KaptaTypeNames.customFieldList
            throw reader.error("Error converting value \(currentValueText()) to type '\(typeName)'.")
        default:
            throw reader.error("Unexpected token while deserializing object: \(reader.token)")
        }
    }

    private mutating func populateCustomFields(_ items: inout [UDFFieldModel]) throws(JSONReadError) {
        let initialDepth = reader.depth
        var previousErrorIndex: Int?
        var finished = false
        itemLoop: repeat {
            do throws(JSONReadError) {
                guard try reader.readAndMoveToContent() else {
                    break itemLoop
                }
                switch reader.token {
                case .endArray:
                    finished = true
                case .comment:
                    break
                default:
                    items.append(try readCustomFieldItem())
                }
            } catch {
                let errorIndex = reader.containerIndex(atDepth: initialDepth)
                record(error)
                try skipPastError(initialDepth: initialDepth + 1)
                // Json.NET stops a list whose reader did not move since the previous error.
                if previousErrorIndex == errorIndex {
                    throw reader.error("Infinite loop detected from error handling.")
                }
                previousErrorIndex = errorIndex
            }
        } while !finished
        if !finished {
            recordUnexpectedEnd("Unexpected end when deserializing array.")
        }
    }

    /// One list item. A null item is kept as an item with no members, so the custom-field
    /// check reports it by index.
    private mutating func readCustomFieldItem() throws(JSONReadError) -> UDFFieldModel {
        switch reader.token {
        case .startObject:
            return try populateCustomField()
        case .null, .undefined:
            return UDFFieldModel()
        case .string where reader.withStringBytes({ $0.isEmpty }):
            return UDFFieldModel()
        case .startArray:
            throw reader.error(Self.arrayIntoObjectMessage(KaptaTypeNames.customField))
        case .string, .integer, .float, .boolean, .date, .startConstructor:
            throw reader.error("Error converting value \(currentValueText()) to type '\(KaptaTypeNames.customField)'.")
        default:
            throw reader.error("Unexpected token while deserializing object: \(reader.token)")
        }
    }

    private mutating func populateCustomField() throws(JSONReadError) -> UDFFieldModel {
        var item = UDFFieldModel()
        guard try reader.read() else {
            throw reader.error("Unexpected end when reading JSON.")
        }
        let initialDepth = reader.depth
        var finished = false
        repeat {
            switch reader.token {
            case .propertyName:
                do throws(JSONReadError) {
                    try readCustomFieldProperty(into: &item)
                } catch {
                    record(error)
                    try skipPastError(initialDepth: initialDepth)
                }
            case .endObject:
                finished = true
            case .comment:
                break
            default:
                throw reader.error("Unexpected token when deserializing object: \(reader.token)")
            }
        } while try readNext(unless: finished)
        if !finished {
            recordUnexpectedEnd("Unexpected end when deserializing object.")
        }
        return item
    }

    private mutating func readCustomFieldProperty(into item: inout UDFFieldModel) throws(JSONReadError) {
        guard let property = matchProperty(Self.customFieldProperties, \.jsonName) else {
            guard try reader.read() else {
                return
            }
            try reader.skip()
            return
        }
        switch property {
        case .fieldName, .type, .stringValue:
            let text = try reader.readAsString()
            guard reader.token != .none else {
                throw readEnded()
            }
            switch property {
            case .fieldName: item.fieldName = text
            case .type: item.type = text
            default: item.stringValue = text
            }
        case .doubleValue:
            let value = try reader.readAsDouble()
            guard reader.token != .none else {
                throw readEnded()
            }
            item.doubleValue = value
        case .datetimeValue:
            let date = try reader.readAsDateTime()
            guard reader.token != .none else {
                throw readEnded()
            }
            item.datetimeValue = date
        }
    }
}

extension JSONTextReader {
    /// Json.NET's `GetPosition(depth).Position`: the item index of the container at `depth`.
    func containerIndex(atDepth depth: Int) -> Int {
        var remaining = depth
        for frame in containers.frames {
            if remaining < Int(frame.repeatCount) {
                return Int(frame.index)
            }
            remaining -= Int(frame.repeatCount)
        }
        return Int(containers.top?.index ?? -1)
    }
}
