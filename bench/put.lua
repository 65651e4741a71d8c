-- wrk script: the benchmark PUT with a JSON body, as a client of the real service sends it.
-- WRK_BODY_FORMAT=xml sends the same opportunity as an XML body.
wrk.method = "PUT"
wrk.path = "/v1/account/ACC-1001/opportunity/OPP-2001"
wrk.headers["Authorization"] = "token alice-token"
if os.getenv("WRK_BODY_FORMAT") == "xml" then
  wrk.headers["Content-Type"] = "application/xml"
  wrk.body = '<UpdateOpportunityModel xmlns="http://schemas.datacontract.org/2004/07/KAPTA.Domain.ViewModel.v1">'
    .. '<CloseDate>2027-03-31T00:00:00+00:00</CloseDate><CustomFields><UDFFieldModel>'
    .. '<FieldName>Region</FieldName><StringValue>EMEA</StringValue><Type>String</Type></UDFFieldModel>'
    .. '</CustomFields><Description>Annual renewal</Description><Name>Renewal 2027</Name>'
    .. '<OpportunityID>OPP-2001</OpportunityID><Stage>negotiation</Stage><Value>125000.50</Value>'
    .. '</UpdateOpportunityModel>'
else
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"OpportunityID":"OPP-2001","Name":"Renewal 2027","Description":"Annual renewal",'
    .. '"CloseDate":"2027-03-31T00:00:00+00:00","Value":125000.50,"Stage":"negotiation",'
    .. '"CustomFields":[{"FieldName":"Region","Type":"String","StringValue":"EMEA"}]}'
end
