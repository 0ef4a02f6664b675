// Why an HTTP/2 session failed or refused a call.
import CNghttp2

/// The abusive pattern behind a flood error.
public enum H2FloodKind: Sendable, Equatable {
  /// RST_STREAM frames beyond ``H2FloodLimits/resetBurst`` / ``H2FloodLimits/resetRatePerSecond``
  /// (rapid reset, CVE-2023-44487).
  case rapidReset
  /// SETTINGS or PING frames whose ACKs piled up beyond ``H2FloodLimits/maxOutboundAcks`` because the
  /// peer does not read (nghttp2's NGHTTP2_ERR_FLOODED).
  case outboundAcks
  /// A SETTINGS frame with more than ``H2FloodLimits/maxSettingsEntries`` entries.
  case settingsEntries
  /// More than ``H2FloodLimits/maxHeaderResetsPerConnection`` streams exceeded
  /// ``H2Settings/maxHeaderListSize`` (HPACK bomb).
  case headerLists
  /// A header block split over more CONTINUATION frames than nghttp2 allows (8; CVE-2024-28182).
  case continuations
}

/// An HTTP/2 connection-level failure, or a call the session refused.
///
/// When ``H2Session/receive(_:)`` or ``H2Session/send(into:limit:)`` returns one, the session has already
/// queued GOAWAY with ``code``: keep calling `send` and writing its output until
/// ``H2Session/wantsWrite`` is false, then close the connection. Submission calls return an error without
/// failing the session when only that call was wrong (kind ``Kind/library(_:)``).
public struct H2Error: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// The peer broke RFC 9113 (bad connection preface, malformed frame, flow-control violation…).
    /// ``H2Error/code`` is the code nghttp2 put in the GOAWAY; ``H2Error/reason`` its explanation.
    case protocolError
    /// The peer's traffic matched a flood pattern; GOAWAY(ENHANCE_YOUR_CALM).
    case flood(H2FloodKind)
    /// nghttp2 reported that one of the session's callbacks misbehaved (a bug in this layer).
    case callbackFailure
    /// nghttp2 returned this error code (`nghttp2_error`) from an API call.
    case library(Int32)
  }

  /// What went wrong.
  public var kind: Kind
  /// The HTTP/2 error code sent (or to send) in GOAWAY.
  public var code: H2ErrorCode
  /// Extra explanation: the GOAWAY debug text nghttp2 chose, when there is one.
  public var reason: String?

  public init(kind: Kind, code: H2ErrorCode, reason: String? = nil) {
    self.kind = kind
    self.code = code
    self.reason = reason
  }

  /// An nghttp2 API error, with the GOAWAY code a connection failing with it would send.
  static func library(_ rv: Int, code: H2ErrorCode = .internalError) -> H2Error {
    H2Error(kind: .library(Int32(truncatingIfNeeded: rv)), code: code)
  }

  public var description: String {
    var text: String
    switch kind {
    case .protocolError: text = "HTTP/2 protocol error from peer"
    case .flood(let flood):
      switch flood {
      case .rapidReset: text = "HTTP/2 flood: stream resets above the rate limit (rapid reset)"
      case .outboundAcks: text = "HTTP/2 flood: SETTINGS/PING acknowledgements piling up unread"
      case .settingsEntries: text = "HTTP/2 flood: too many entries in one SETTINGS frame"
      case .headerLists: text = "HTTP/2 flood: too many streams over the header list size limit"
      case .continuations: text = "HTTP/2 flood: too many CONTINUATION frames in one header block"
      }
    case .callbackFailure: text = "HTTP/2 session callback failed"
    case .library(let rv): text = "nghttp2 error \(rv): " + String(cString: nghttp2_strerror(rv))
    }
    text += " (GOAWAY \(code))"
    if let reason { text += ": " + reason }
    return text
  }
}
