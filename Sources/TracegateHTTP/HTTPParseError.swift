// Typed parse errors with their HTTP status and stable code.

/// Why a head or body was rejected. Every kind maps to the status a proxy answers a *request* with and to
/// a stable snake_case code for JSON error bodies and metric labels. For a *response* from an upstream
/// the proxy answers 502 instead (RFC 9112 §6.3 item 5) and may use ``code`` as the reason.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The rule that was broken.
  public enum Kind: Sendable, Equatable, CaseIterable {
    case malformedRequestLine, invalidMethod, invalidTarget, uriTooLong,
      unsupportedVersion, headersTooLarge, tooManyHeaders, invalidHeaderName, invalidHeaderValue, obsFold,
      missingHost, duplicateHost, contentLengthWithTransferEncoding, invalidContentLength, conflictingContentLength,
      unsupportedTransferEncoding, malformedStatusLine, invalidChunkSize, invalidChunkTerminator,
      chunkExtensionTooLong, trailersTooLarge, bareLineFeed,
      /// A Host value that is not `uri-host [ ":" port ]` (added beyond the original list).
      invalidHost
  }

  /// The rule that was broken.
  public var kind: Kind

  /// Creates an error of the given kind.
  public init(_ kind: Kind) {
    self.kind = kind
  }

  /// The status a proxy answers a request with: 414 for a long target (RFC 9110 §15.5.15), 431 for
  /// oversized heads (RFC 6585 §5), 505 for other versions (RFC 9110 §15.6.6), 501 for transfer codings it
  /// does not implement (RFC 9112 §6.1), and 400 for everything else (RFC 9112 §3, §5, §6.3).
  public var status: Int {
    switch kind {
    case .uriTooLong: return 414
    case .headersTooLarge, .tooManyHeaders: return 431
    case .unsupportedVersion: return 505
    case .unsupportedTransferEncoding: return 501
    default: return 400
    }
  }

  /// Stable snake_case identifier, e.g. `"headers_too_large"`.
  public var code: StaticString {
    switch kind {
    case .malformedRequestLine: return "malformed_request_line"
    case .invalidMethod: return "invalid_method"
    case .invalidTarget: return "invalid_target"
    case .uriTooLong: return "uri_too_long"
    case .unsupportedVersion: return "unsupported_version"
    case .headersTooLarge: return "headers_too_large"
    case .tooManyHeaders: return "too_many_headers"
    case .invalidHeaderName: return "invalid_header_name"
    case .invalidHeaderValue: return "invalid_header_value"
    case .obsFold: return "obs_fold"
    case .missingHost: return "missing_host"
    case .duplicateHost: return "duplicate_host"
    case .contentLengthWithTransferEncoding: return "content_length_with_transfer_encoding"
    case .invalidContentLength: return "invalid_content_length"
    case .conflictingContentLength: return "conflicting_content_length"
    case .unsupportedTransferEncoding: return "unsupported_transfer_encoding"
    case .malformedStatusLine: return "malformed_status_line"
    case .invalidChunkSize: return "invalid_chunk_size"
    case .invalidChunkTerminator: return "invalid_chunk_terminator"
    case .chunkExtensionTooLong: return "chunk_extension_too_long"
    case .trailersTooLarge: return "trailers_too_large"
    case .bareLineFeed: return "bare_line_feed"
    case .invalidHost: return "invalid_host"
    }
  }

  /// `"<code> (<status>)"`, for logs and test output (not for the hot path).
  public var description: String { "\(code) (\(status))" }
}
