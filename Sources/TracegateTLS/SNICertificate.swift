/// A certificate a server context presents instead of its default one when the client's
/// Server Name Indication (RFC 6066 §3) matches one of `serverNames`.
public struct SNICertificate: Sendable, Hashable {
    /// Host names this certificate serves: exact names ("api.example.com") or wildcards of one
    /// leftmost label ("*.example.com", which matches "a.example.com" but neither
    /// "example.com" nor "a.b.example.com", as in RFC 6125 §6.4.3). Matched case-insensitively.
    public var serverNames: [String]
    /// PEM file with the leaf certificate first, then any intermediates.
    public var certificateChainFile: String
    /// PEM file with the private key of the leaf certificate.
    public var privateKeyFile: String

    public init(serverNames: [String], certificateChainFile: String, privateKeyFile: String) {
        self.serverNames = serverNames
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }
}
