// Result of a head parse attempt.

/// Whether a head was found whole in the buffer. `.incomplete` means: read more bytes and parse again
/// from the same start (the parser keeps no state between calls).
public enum ParseStatus: Equatable, Sendable {
  case complete, incomplete
}
