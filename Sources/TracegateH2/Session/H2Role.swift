// Which end of an HTTP/2 connection a session plays.

/// The side of the connection an ``H2Session`` speaks for.
///
/// The role decides who sends the connection preface (the client, RFC 9113 §3.4), who opens streams
/// (odd ids from the client, RFC 9113 §5.1.1) and which header blocks are requests or responses.
public enum H2Role: Sendable, Equatable {
  /// Accepts streams from a downstream client (the proxy's listener side).
  case server
  /// Opens streams to an upstream server.
  case client
}
