import Testing
@testable import KaptaMock

@Suite struct KaptaJSONScratch {
    func bind(_ text: String) -> BindingResult {
        JSONModelReader.read(body: Array(text.utf8), charset: nil)
    }

    @Test func dump() {
        let bodies = [
            #"{"OpportunityID":"OPP-2001","Name":"Renewal 2027","Description":"Annual renewal","CloseDate":"2027-03-31T00:00:00+00:00","Value":125000.50,"Stage":"negotiation","CustomFields":[{"FieldName":"Region","Type":"String","StringValue":"EMEA"}]}"#,
            "{}",
            #"{"Name":{"a":1},"Stage":"x"}"#,
            #"{"CloseDate":"tomorrow"}"#,
            #"{"Value":"abc"}"#,
            #"{"Name":"x""#,
            #"[[[[1]]]]"#,
            String(repeating: "[", count: 100_000),
            #"{"X":"# + String(repeating: "[", count: 300),
            "{'Name':'x', /* c */ Stage: \"a\", // c\n \"Value\": 012, \"CloseDate\": \"/Date(1700000000000+0130)/\",}garbage",
            #"{"Value":1.2.3,"Stage":"x","CloseDate":null}"#,
            #"{"CustomFields":[{"DoubleValue":"abc"},5,null,{"FieldName":1}]}"#,
        ]
        for body in bodies {
            let result = bind(body)
            print("BODY", body.prefix(120))
            print("  model", String(describing: result.model).prefix(300))
            for e in result.errors { print("  ", e.key, "=>", e.message.prefix(200)) }
            print("  warnings", result.warnings)
        }
    }
}
