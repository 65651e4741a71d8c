import Testing
@testable import KaptaMock

private typealias Support = XMLTestSupport

/// DTDs, entities, processing instructions and nesting: the inputs an XML parser is attacked with.
@Suite struct XMLHostileInputTests {
    @Test func doctypeIsRejected() {
        let result = Support.read("<!DOCTYPE UpdateOpportunityModel [<!ENTITY a \"b\">]>" + Support.model(""))
        #expect(result.model == nil)
        let message = Support.deserializing + "CData elements not valid at top level of an XML document. "
            + "Line 1, position 3."
        #expect(result.errors == [ModelStateEntry(key: "model", message: message, isDeserializerError: true)])
    }

    @Test func doctypeAfterDeclarationIsRejected() {
        let result = Support.read("<?xml version=\"1.0\"?>\n<!DOCTYPE x SYSTEM "
            + "\"file:///etc/passwd\">" + Support.model(""))
        #expect(Support.errorMessage(result) == Support.deserializing
            + "CData elements not valid at top level of an XML document. Line 2, position 3.")
    }

    @Test func externalEntityIsNeverExpanded() {
        let xml = "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
            + Support.model("<Name>&xxe;</Name>")
        #expect(Support.read(xml).model == nil)
        #expect(Support.errorMessage(Support.read(xml))?.contains("CData elements not valid at top level") == true)
    }

    @Test func billionLaughsIsRejectedBeforeExpansion() {
        var dtd = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            dtd += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
        }
        dtd += "]>"
        let result = Support.read(dtd + Support.model("<Name>&lol9;</Name>"))
        #expect(result.model == nil)
        #expect(result.errors.count == 1)
    }

    @Test func undefinedEntityIsRejected() {
        let members = "<Name>&nope;</Name>"
        let position = Support.open.utf8.count + "<Name>".utf8.count + 1
        #expect(Support.errorMessage(Support.read(Support.model(members))) == Support.deserializing
            + "Character reference not valid. Line 1, position \(position).")
    }

    @Test(arguments: ["&ampx;", "&#xZZ;", "&#X41;", "&#1114112;", "&;", "&AMP;"])
    func malformedReferenceIsRejected(reference: String) {
        let message = Support.errorMessage(Support.read(Support.model("<Name>\(reference)</Name>")))
        #expect(message?.hasPrefix(Support.deserializing + "Character reference not valid.") == true)
    }

    @Test func referenceWithoutSemicolonRunsToEndOfFile() {
        let message = Support.errorMessage(Support.read(Support.model("<Name>&amp </Name>")))
        #expect(message?.contains("Unexpected end of file. Following elements are not closed: Name, "
            + "UpdateOpportunityModel.") == true)
    }

    /// WCF does not check that a referenced character is allowed in XML; neither does the fake.
    @Test func referenceToControlCharacterIsKept() {
        #expect(Support.read(Support.model("<Name>a&#1;b&#;</Name>")).model?.name == "a\u{1}b\u{0}")
    }

    @Test func processingInstructionIsRejected() {
        let result = Support.read("<?xml-stylesheet href=\"a.xsl\"?>" + Support.model(""))
        #expect(Support.errorMessage(result) == Support.deserializing
            + "Processing instructions (other than the XML declaration) and DTDs are not supported. "
            + "Line 1, position 2.")
    }

    @Test func processingInstructionInsideIsRejected() {
        let message = Support.errorMessage(Support.read(Support.model("<?php x ?>")))
        #expect(message?.contains("Processing instructions (other than the XML declaration) and DTDs are not "
            + "supported.") == true)
    }

    @Test func declarationAfterWhitespaceIsRejected() {
        let result = Support.read(" <?xml version=\"1.0\"?>" + Support.model(""))
        #expect(Support.errorMessage(result) == Support.deserializing
            + "No characters can appear before the XML declaration. Line 1, position 3.")
    }

    @Test(arguments: [
        ("<?xml encoding=\"utf-8\"?>", "Version not found in XML declaration."),
        ("<?xml version=\"1.1\"?>", "XML version must be '1.0'."),
        ("<?xml version=\"1.0\" standalone=\"maybe\"?>", "'standalone' value in declaration must be 'yes' or 'no'."),
        ("<?xml version=\"1.0\" standalone=\"no\" x=\"y\"?>", "Malformed XML declaration."),
    ])
    func invalidDeclarationIsRejected(declaration: String, reason: String) {
        let message = Support.errorMessage(Support.read(declaration + Support.model("")))
        #expect(message?.hasPrefix(Support.deserializing + reason) == true)
    }

    @Test func declarationWithEncodingAndStandaloneIsAccepted() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" + Support.model("<Name>x</Name>")
        #expect(Support.read(xml).model?.name == "x")
    }

    @Test func hundredThousandNestedElementsFailWithoutCrash() {
        let members = String(repeating: "<Extra>", count: 100_000) + String(repeating: "</Extra>", count: 100_000)
        let result = Support.read(Support.model(members))
        let position = Support.open.utf8.count + 255 * "<Extra>".utf8.count + 2
        #expect(result.model == nil)
        #expect(Support.errorMessage(result) == Support.deserializing + XMLMessages.maxDepthExceeded(256)
            + " Line 1, position \(position).")
    }

    @Test func nestingOf256IsAccepted() {
        let members = String(repeating: "<Extra>", count: 255) + String(repeating: "</Extra>", count: 255)
        #expect(Support.read(Support.model(members + "<Name>deep</Name>")).model?.name == "deep")
    }
}

@Suite struct XMLMalformedTests {
    @Test func wrongRootNamespace() {
        let xml = "<UpdateOpportunityModel xmlns=\"http://example.invalid/wrong\"><Name>x</Name>"
            + "</UpdateOpportunityModel>"
        let result = Support.read(xml)
        let message = "Error in line 1 position 62. Expecting element 'UpdateOpportunityModel' from namespace "
            + "'\(Support.contractNamespace)'.. Encountered 'Element'  with name 'UpdateOpportunityModel', "
            + "namespace 'http://example.invalid/wrong'. "
        #expect(result.model == nil)
        #expect(result.errors == [ModelStateEntry(key: "model", message: message, isDeserializerError: true)])
    }

    @Test func rootWithoutNamespace() {
        let result = Support.read("<UpdateOpportunityModel/>")
        #expect(Support.errorMessage(result) == "Error in line 1 position 26. Expecting element "
            + "'UpdateOpportunityModel' from namespace '\(Support.contractNamespace)'.. Encountered 'Element'  "
            + "with name 'UpdateOpportunityModel', namespace ''. ")
    }

    @Test func wrongRootName() {
        let result = Support.read("<Opportunity xmlns=\"\(Support.contractNamespace)\"/>")
        #expect(Support.errorMessage(result)?.contains("Encountered 'Element'  with name 'Opportunity', namespace "
            + "'\(Support.contractNamespace)'. ") == true)
    }

    @Test func whitespaceOnlyDocument() {
        let result = Support.read("    ")
        #expect(Support.errorMessage(result) == "Error in line 1 position 5. Expecting element "
            + "'UpdateOpportunityModel' from namespace '\(Support.contractNamespace)'.. Encountered 'None'  "
            + "with name '', namespace ''. ")
    }

    @Test func textAfterRootIsRejected() {
        let xml = Support.model("<Name>x</Name>") + "junk"
        let position = xml.utf8.count - 3
        #expect(Support.errorMessage(Support.read(xml)) == Support.deserializing
            + "The data at the root level is invalid. Line 1, position \(position).")
    }

    /// The serializer reads one node past the root and stops, so text behind white space is never seen.
    @Test func textAfterWhitespaceAfterRootIsNotRead() {
        #expect(Support.read(Support.model("<Name>x</Name>") + "\n junk").model?.name == "x")
    }

    @Test func secondRootElementIsRejected() {
        let message = Support.errorMessage(Support.read(Support.model("") + "<Other/>"))
        #expect(message?.hasPrefix(Support.deserializing + "There are multiple root elements.") == true)
    }

    @Test func textBeforeRootIsRejected() {
        #expect(Support.errorMessage(Support.read("x" + Support.model(""))) == Support.deserializing
            + "The data at the root level is invalid. Line 1, position 1.")
    }

    @Test func mismatchedEndTag() {
        let xml = Support.model("<Name>x</Nam>")
        let position = Support.open.utf8.count + "<Name>x</Nam".utf8.count + 1
        #expect(Support.errorMessage(Support.read(xml)) == Support.deserializing
            + "Start element 'Name' does not match end element 'Nam'. Line 1, position \(position).")
    }

    @Test func unclosedElements() {
        let message = Support.errorMessage(Support.read(Support.open + "<Name>x"))
        #expect(message?.contains("Unexpected end of file. Following elements are not closed: Name, "
            + "UpdateOpportunityModel.") == true)
    }

    @Test func elementInsideStringMember() {
        let message = Support.errorMessage(Support.read(Support.model("<Name>a<b/>c</Name>")))
        #expect(message?.contains("End element 'Name' from namespace '\(Support.contractNamespace)' expected. "
            + "Found element 'b' from namespace '\(Support.contractNamespace)'.") == true)
    }

    @Test func textBetweenMembers() {
        let xml = Support.model("stray<Name>x</Name>")
        let position = Support.open.utf8.count + "stray".utf8.count + 1
        #expect(Support.errorMessage(Support.read(xml)) == "Error in line 1 position \(position). Expecting state "
            + "'Element'.. Encountered 'Text'  with name '', namespace ''. ")
    }

    @Test func repeatedAttribute() {
        let message = Support.errorMessage(Support.read(Support.model("<Name a=\"1\" a=\"2\">x</Name>")))
        #expect(message?.contains("Duplicate attribute found. Both 'a' and 'a' are from the namespace ''.") == true)
    }

    @Test func repeatedNamespaceDeclaration() {
        let message = Support.errorMessage(Support.read(Support.model("<Name xmlns:p=\"a\" xmlns:p=\"b\">x</Name>")))
        #expect(message?.contains("Duplicate attribute found. Both 'xmlns:p' and 'xmlns:p' are from the namespace "
            + "'http://www.w3.org/2000/xmlns/'.") == true)
    }

    @Test(arguments: [
        ("<Name a=\"<\">x</Name>", "The token '\"' was expected but found '<'."),
        ("<Name a=1>x</Name>", "The token '\"' was expected but found '1'."),
        ("<Name a>x</Name>", "The token '=' was expected but found '>'."),
        ("<Name a=\"1\"b=\"2\">x</Name>", "Whitespace must appear between attributes."),
        ("<1Name>x</1Name>", "Name cannot begin with the '1' character, hexadecimal value 0x31."),
        ("<Na&me>x</Na&me>", "Name cannot begin with the '&' character, hexadecimal value 0x26."),
        ("<Name a\u{E9}\u{2030}=\"1\">x</Name>", "The '\u{2030}' character, hexadecimal value 0x2030, cannot be "
            + "included in a name."),
        ("<p:Name>x</p:Name>", "The prefix 'p' is not defined."),
        ("<Name>x]]>y</Name>", "']]>' not valid in text node content."),
        ("<Name>a\u{1}</Name>", "The byte 0x01 is not valid at this location."),
        ("<!-- a -- b -->", "XML comments cannot contain '--' or end with '-'."),
        ("<Name><!DOCTYPE x></Name>", "The token '[CDATA[' was expected but found 'DOCTYPE'."),
        ("<Name xmlns:p=\"\">x</Name>", "The empty namespace requires a null or empty prefix."),
        ("<Name>x</Name  junk>", "The token '>' was expected but found 'j'."),
    ])
    func malformedMarkup(members: String, reason: String) {
        let message = Support.errorMessage(Support.read(Support.model(members)))
        #expect(message?.hasPrefix(Support.deserializing + reason + " Line 1, position ") == true)
    }

    @Test func emptyNameIsArgumentError() {
        #expect(Support.errorMessage(Support.read("  <a:")) == "The empty string '' is not a valid local "
            + "name.\r\nParameter name: name")
    }

    @Test func bodyShorterThanFourBytes() {
        #expect(Support.errorMessage(Support.read("<a>")) == "Unexpected end of file.")
    }

    @Test func typeAttributeNamingOtherContract() {
        let xml = "<UpdateOpportunityModel xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" i:type=\"Other\" "
            + "xmlns=\"\(Support.contractNamespace)\"/>"
        let position = xml.utf8.count + 1
        #expect(Support.errorMessage(Support.read(xml))?.hasPrefix("Error in line 1 position \(position). Element "
            + "'\(Support.contractNamespace):UpdateOpportunityModel' contains data of the "
            + "'\(Support.contractNamespace):Other' data contract.") == true)
    }

    @Test func serializationIdOnValueTypeIsError() {
        let xml = Support.model("<Value xmlns:z=\"http://schemas.microsoft.com/2003/10/Serialization/\" "
            + "z:Id=\"1\">5</Value>")
        #expect(Support.errorMessage(Support.read(xml)) == "ValueType 'System.Decimal' cannot have id.")
    }

    @Test func serializationRefReusesString() {
        let z = "xmlns:z=\"http://schemas.microsoft.com/2003/10/Serialization/\""
        let xml = Support.model("<Description \(z) z:Id=\"d\">same</Description><Name \(z) z:Ref=\"d\"/>")
        #expect(Support.read(xml).model?.name == "same")
    }

    @Test func serializationRefToUnknownIdIsError() {
        let xml = Support.model("<Name xmlns:z=\"http://schemas.microsoft.com/2003/10/Serialization/\" z:Ref=\"9\"/>")
        #expect(Support.errorMessage(Support.read(xml)) == "Deserialized object with reference id '9' not found "
            + "in stream.")
    }
}
