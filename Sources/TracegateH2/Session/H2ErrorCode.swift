// HTTP/2 error codes (RFC 9113 §7).

/// An HTTP/2 error code as carried by RST_STREAM and GOAWAY (RFC 9113 §7).
///
/// A struct rather than an enum because peers may send codes this list does not know; RFC 9113 §7
/// says unknown codes "MUST NOT trigger any special behavior" and may be treated as INTERNAL_ERROR,
/// but they are kept verbatim so logs show what the peer actually sent.
public struct H2ErrorCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  public var rawValue: UInt32

  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// Graceful shutdown or a stream that is no longer needed.
  public static let noError = H2ErrorCode(rawValue: 0x0)
  /// Unspecific protocol violation.
  public static let protocolError = H2ErrorCode(rawValue: 0x1)
  /// Unexpected internal error.
  public static let internalError = H2ErrorCode(rawValue: 0x2)
  /// The peer violated flow control.
  public static let flowControlError = H2ErrorCode(rawValue: 0x3)
  /// A SETTINGS frame was not acknowledged in time.
  public static let settingsTimeout = H2ErrorCode(rawValue: 0x4)
  /// A frame arrived after the stream was half-closed.
  public static let streamClosed = H2ErrorCode(rawValue: 0x5)
  /// A frame had an invalid size.
  public static let frameSizeError = H2ErrorCode(rawValue: 0x6)
  /// The stream was refused before any application processing (RFC 9113 §8.7: safe to retry).
  public static let refusedStream = H2ErrorCode(rawValue: 0x7)
  /// The stream is no longer needed.
  public static let cancel = H2ErrorCode(rawValue: 0x8)
  /// The HPACK compression context could not be maintained.
  public static let compressionError = H2ErrorCode(rawValue: 0x9)
  /// A CONNECT tunnel failed.
  public static let connectError = H2ErrorCode(rawValue: 0xa)
  /// The peer is generating excessive load.
  public static let enhanceYourCalm = H2ErrorCode(rawValue: 0xb)
  /// The transport does not meet minimum security requirements.
  public static let inadequateSecurity = H2ErrorCode(rawValue: 0xc)
  /// HTTP/1.1 is required for this request.
  public static let http11Required = H2ErrorCode(rawValue: 0xd)

  /// The RFC 9113 name, or the hex value for unknown codes.
  public var description: String {
    switch rawValue {
    case 0x0: "NO_ERROR"
    case 0x1: "PROTOCOL_ERROR"
    case 0x2: "INTERNAL_ERROR"
    case 0x3: "FLOW_CONTROL_ERROR"
    case 0x4: "SETTINGS_TIMEOUT"
    case 0x5: "STREAM_CLOSED"
    case 0x6: "FRAME_SIZE_ERROR"
    case 0x7: "REFUSED_STREAM"
    case 0x8: "CANCEL"
    case 0x9: "COMPRESSION_ERROR"
    case 0xa: "CONNECT_ERROR"
    case 0xb: "ENHANCE_YOUR_CALM"
    case 0xc: "INADEQUATE_SECURITY"
    case 0xd: "HTTP_1_1_REQUIRED"
    default: "0x" + String(rawValue, radix: 16)
    }
  }
}
