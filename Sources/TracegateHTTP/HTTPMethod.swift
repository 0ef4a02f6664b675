// Request methods.

/// The request method, classified from the request-line; `.other` for extension methods, whose exact
/// bytes stay available through ``RequestHead/methodRange``. Methods are case-sensitive (RFC 9110 §9.1),
/// so `get` is `.other`.
public enum HTTPMethod: UInt8, Sendable {
  case get, head, post, put, delete, connect, options, trace, patch, other

  /// Idempotent methods per RFC 9110 §9.2.2 (GET, HEAD, OPTIONS, TRACE, PUT, DELETE): a proxy may retry
  /// them automatically. Extension methods are treated as non-idempotent.
  public var isIdempotent: Bool {
    switch self {
    case .get, .head, .options, .trace, .put, .delete: return true
    case .post, .connect, .patch, .other: return false
    }
  }

  /// Classifies the token at `p` (`count` bytes), comparing case-sensitively.
  static func classify(_ p: UnsafeRawPointer, _ count: Int) -> HTTPMethod {
    switch count {
    case 3:
      if eq(p, "GET") { return .get }
      if eq(p, "PUT") { return .put }
    case 4:
      if eq(p, "POST") { return .post }
      if eq(p, "HEAD") { return .head }
    case 5:
      if eq(p, "PATCH") { return .patch }
      if eq(p, "TRACE") { return .trace }
    case 6:
      if eq(p, "DELETE") { return .delete }
    case 7:
      if eq(p, "OPTIONS") { return .options }
      if eq(p, "CONNECT") { return .connect }
    default:
      break
    }
    return .other
  }

  @inline(__always)
  private static func eq(_ p: UnsafeRawPointer, _ literal: StaticString) -> Bool {
    literal.withUTF8Buffer { lit in
      var i = 0
      while i < lit.count {
        if ASCII.byte(p, i) != lit[i] { return false }
        i += 1
      }
      return true
    }
  }
}
