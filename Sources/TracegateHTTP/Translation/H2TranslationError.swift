// Typed errors of the HTTP/2 <-> HTTP/1.1 translation, with the status the proxy answers.

/// Why an HTTP/2 field block (or an HTTP/1.1 head bound for an HTTP/2 upstream) could not be translated.
///
/// Most kinds are the "malformed" cases of RFC 9113 §8.1.1, §8.2 and §8.3. Each error carries the status
/// the proxy answers with, fixed by the side the message came from:
/// - a request from a client: 400, or 501 for what Tracegate does not implement (CONNECT, transfer
///   codings HTTP/2 cannot carry), the way ``HTTPParseError`` answers HTTP/1.1 requests;
/// - a response from an upstream: 502 whatever the kind (RFC 9110 §15.6.3).
///
/// For malformed messages RFC 9113 §8.1.1 also allows a stream error of type PROTOCOL_ERROR; the data plane
/// chooses, ``status`` says what to answer when it answers.
public struct H2TranslationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The rule that was broken.
  public enum Kind: Sendable, Equatable, CaseIterable {
    /// A pseudo-header field after a regular field (RFC 9113 §8.3).
    case pseudoHeaderAfterRegularField
    /// The same pseudo-header field twice (RFC 9113 §8.3.1, §8.3.2).
    case duplicatePseudoHeader
    /// A pseudo-header field not defined for this message: `:status` in a request, `:path` in a response,
    /// any other name (RFC 9113 §8.3).
    case unknownPseudoHeader
    /// A pseudo-header field in a trailer section (RFC 9113 §8.1).
    case pseudoHeaderInTrailers
    /// No `:method` (RFC 9113 §8.3.1).
    case missingMethod
    /// No `:scheme` in a non-CONNECT request (RFC 9113 §8.3.1).
    case missingScheme
    /// No `:path` in a non-CONNECT request (RFC 9113 §8.3.1).
    case missingPath
    /// A `:method` that is not a token (RFC 9110 §9.1).
    case invalidMethod
    /// A `:scheme` that is not `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` (RFC 3986 §3.1).
    case invalidScheme
    /// An empty `:path` (RFC 9113 §8.3.1).
    case emptyPath
    /// A `:path` that is not origin-form (or `*` for OPTIONS), or holds bytes outside 0x21-0x7E, or a
    /// request-target an HTTP/2 request cannot carry.
    case invalidPath
    /// CONNECT, including extended CONNECT with `:protocol` (RFC 9113 §8.5, RFC 8441): not implemented.
    case connectNotSupported
    /// `:protocol` in a request whose method is not CONNECT (RFC 8441 §4).
    case protocolWithoutConnect
    /// Neither `:authority` nor `Host` (RFC 9113 §8.3.1; HTTP/1.1 requires Host, RFC 9112 §3.2).
    case missingAuthority
    /// An `:authority` or `Host` that is empty or not `uri-host [ ":" port ]` (userinfo included,
    /// RFC 9113 §8.3.1, RFC 9110 §7.2).
    case invalidAuthority
    /// `:authority` and `Host` name different authorities (RFC 9113 §8.3.1).
    case authorityMismatch
    /// More than one `Host` field (RFC 9110 §7.2).
    case duplicateHost
    /// An empty field name, or one with a byte outside `tchar` (RFC 9113 §8.2.1, RFC 9110 §5.6.2).
    case invalidFieldName
    /// A field name with an upper-case letter (RFC 9113 §8.2.1).
    case uppercaseFieldName
    /// A field value with NUL, CR, LF or another control byte, or starting or ending with SP/HTAB
    /// (RFC 9113 §8.2.1, RFC 9110 §5.5).
    case invalidFieldValue
    /// `Connection`, `Keep-Alive`, `Proxy-Connection`, `Transfer-Encoding` or `Upgrade` (RFC 9113 §8.2.2).
    case connectionSpecificField
    /// A `TE` field whose value is not `trailers` (RFC 9113 §8.2.2).
    case invalidTE
    /// A `content-length` that is not a decimal number (RFC 9110 §8.6).
    case invalidContentLength
    /// Several `content-length` values that differ (RFC 9110 §8.6).
    case conflictingContentLength
    /// A non-zero `content-length` on a HEADERS frame that ends the stream (RFC 9113 §8.1.1).
    case contentLengthWithEndStream
    /// No `:status` in a response (RFC 9113 §8.3.2).
    case missingStatus
    /// A `:status` that is not three digits in 100...599 (RFC 9110 §15).
    case invalidStatus
    /// 101 Switching Protocols, which HTTP/2 does not have (RFC 9113 §8.6).
    case switchingProtocols
    /// An informational (1xx) HEADERS frame that ends the stream (RFC 9113 §8.1).
    case informationalWithEndStream
    /// A request body with transfer codings besides `chunked`: HTTP/2 has no transfer codings
    /// (RFC 9113 §8.2.2), so those bytes cannot be forwarded as they are (RFC 9112 §6.1 answers 501).
    case unsupportedTransferCoding
  }

  /// The rule that was broken.
  public var kind: Kind
  /// The status the proxy answers with (see the type's documentation).
  public var status: Int

  /// Creates an error of the given kind and status.
  public init(_ kind: Kind, status: Int) {
    self.kind = kind
    self.status = status
  }

  /// An error in a request from a client: 501 for what is not implemented, else 400.
  static func request(_ kind: Kind) -> H2TranslationError {
    switch kind {
    case .connectNotSupported, .unsupportedTransferCoding: return H2TranslationError(kind, status: 501)
    default: return H2TranslationError(kind, status: 400)
    }
  }

  /// An error in a response from an upstream: 502 (RFC 9110 §15.6.3).
  static func response(_ kind: Kind) -> H2TranslationError {
    H2TranslationError(kind, status: 502)
  }

  /// Stable snake_case identifier, e.g. `"connection_specific_field"`.
  public var code: StaticString {
    switch kind {
    case .pseudoHeaderAfterRegularField: return "pseudo_header_after_regular_field"
    case .duplicatePseudoHeader: return "duplicate_pseudo_header"
    case .unknownPseudoHeader: return "unknown_pseudo_header"
    case .pseudoHeaderInTrailers: return "pseudo_header_in_trailers"
    case .missingMethod: return "missing_method"
    case .missingScheme: return "missing_scheme"
    case .missingPath: return "missing_path"
    case .invalidMethod: return "invalid_method"
    case .invalidScheme: return "invalid_scheme"
    case .emptyPath: return "empty_path"
    case .invalidPath: return "invalid_path"
    case .connectNotSupported: return "connect_not_supported"
    case .protocolWithoutConnect: return "protocol_without_connect"
    case .missingAuthority: return "missing_authority"
    case .invalidAuthority: return "invalid_authority"
    case .authorityMismatch: return "authority_mismatch"
    case .duplicateHost: return "duplicate_host"
    case .invalidFieldName: return "invalid_field_name"
    case .uppercaseFieldName: return "uppercase_field_name"
    case .invalidFieldValue: return "invalid_field_value"
    case .connectionSpecificField: return "connection_specific_field"
    case .invalidTE: return "invalid_te"
    case .invalidContentLength: return "invalid_content_length"
    case .conflictingContentLength: return "conflicting_content_length"
    case .contentLengthWithEndStream: return "content_length_with_end_stream"
    case .missingStatus: return "missing_status"
    case .invalidStatus: return "invalid_status"
    case .switchingProtocols: return "switching_protocols"
    case .informationalWithEndStream: return "informational_with_end_stream"
    case .unsupportedTransferCoding: return "unsupported_transfer_coding"
    }
  }

  /// One sentence saying which rule was broken, for error bodies and logs.
  public var message: StaticString {
    switch kind {
    case .pseudoHeaderAfterRegularField: return "pseudo-header field after a regular field (RFC 9113 8.3)"
    case .duplicatePseudoHeader: return "pseudo-header field repeated (RFC 9113 8.3)"
    case .unknownPseudoHeader: return "pseudo-header field not defined for this message (RFC 9113 8.3)"
    case .pseudoHeaderInTrailers: return "pseudo-header field in trailers (RFC 9113 8.1)"
    case .missingMethod: return "request without :method (RFC 9113 8.3.1)"
    case .missingScheme: return "request without :scheme (RFC 9113 8.3.1)"
    case .missingPath: return "request without :path (RFC 9113 8.3.1)"
    case .invalidMethod: return ":method is not a token (RFC 9110 9.1)"
    case .invalidScheme: return ":scheme is not a URI scheme (RFC 3986 3.1)"
    case .emptyPath: return ":path is empty (RFC 9113 8.3.1)"
    case .invalidPath: return "request target is not origin-form, or '*' for OPTIONS (RFC 9113 8.3.1)"
    case .connectNotSupported: return "CONNECT is not supported"
    case .protocolWithoutConnect: return ":protocol in a request that is not CONNECT (RFC 8441 4)"
    case .missingAuthority: return "request without :authority or Host (RFC 9113 8.3.1)"
    case .invalidAuthority: return "authority is empty or not host[:port] (RFC 9110 7.2)"
    case .authorityMismatch: return ":authority and Host differ (RFC 9113 8.3.1)"
    case .duplicateHost: return "more than one Host field (RFC 9110 7.2)"
    case .invalidFieldName: return "field name is empty or not a token (RFC 9113 8.2.1)"
    case .uppercaseFieldName: return "field name has upper-case letters (RFC 9113 8.2.1)"
    case .invalidFieldValue: return "field value has control bytes or surrounding whitespace (RFC 9113 8.2.1)"
    case .connectionSpecificField: return "connection-specific field (RFC 9113 8.2.2)"
    case .invalidTE: return "TE other than 'trailers' (RFC 9113 8.2.2)"
    case .invalidContentLength: return "content-length is not a decimal number (RFC 9110 8.6)"
    case .conflictingContentLength: return "content-length values differ (RFC 9110 8.6)"
    case .contentLengthWithEndStream: return "non-zero content-length on a stream that already ended (RFC 9113 8.1.1)"
    case .missingStatus: return "response without :status (RFC 9113 8.3.2)"
    case .invalidStatus: return ":status is not a three-digit code 100-599 (RFC 9110 15)"
    case .switchingProtocols: return "101 Switching Protocols does not exist in HTTP/2 (RFC 9113 8.6)"
    case .informationalWithEndStream: return "informational response ends the stream (RFC 9113 8.1)"
    case .unsupportedTransferCoding: return "transfer coding other than chunked cannot be sent over HTTP/2"
    }
  }

  /// `"<code> (<status>): <message>"`, for logs and test output (not for the hot path).
  public var description: String { "\(code) (\(status)): \(message)" }
}
