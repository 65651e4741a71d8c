/// Choices about the real service that cannot be known from outside, as settings.
public struct FidelitySettings: Sendable, Equatable {
    /// ASP.NET's IncludeErrorDetail. Off, a remote caller's view: deserializer errors read
    /// `An error has occurred.`. On: the Json.NET or DataContractSerializer message.
    public var errorDetail = false
    /// Send `Server: Microsoft-IIS/10.0`, `X-AspNet-Version` and `X-Powered-By` as IIS does.
    public var iisHeaders = true

    public init(errorDetail: Bool = false, iisHeaders: Bool = true) {
        self.errorDetail = errorDetail
        self.iisHeaders = iisHeaders
    }
}
