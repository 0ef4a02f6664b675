// What translating an HTTP/2 response block into an HTTP/1.1 head produced.

/// The result of ``H2UpstreamResponseTranslator/writeHTTP1Head(_:endStream:requestMethod:into:)``.
public struct TranslatedResponseHead: Equatable, Sendable {
  /// The status code, 100...599.
  public var status: Int
  /// How the body that follows was framed in the HTTP/1.1 head; `.none` for informational heads.
  public var body: TranslatedBody

  /// Creates a result.
  public init(status: Int, body: TranslatedBody) {
    self.status = status
    self.body = body
  }

  /// True for a 1xx head: the final response head is still to come (RFC 9110 §15.2).
  public var isInformational: Bool { status < 200 }
}
