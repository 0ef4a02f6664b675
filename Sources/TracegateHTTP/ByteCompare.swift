// Case-insensitive ASCII comparisons over byte spans.

/// ASCII case-insensitive comparisons over byte spans, so the proxy can match configured header names and
/// tokens against parsed heads without creating `String`s (field names and most tokens are
/// case-insensitive, RFC 9110 §5.1, §5.6.2).
public enum ByteCompare {
  /// True when `a` equals `lowercaseASCII` ignoring ASCII case. The literal must be lower-case: only the
  /// bytes of `a` are folded.
  public static func equalsCaseInsensitive(_ a: UnsafeRawBufferPointer, _ lowercaseASCII: StaticString) -> Bool {
    lowercaseASCII.withUTF8Buffer { lit in
      guard lit.count == a.count else { return false }
      var i = 0
      while i < lit.count {
        if ASCII.lower(a[i]) != lit[i] { return false }
        i += 1
      }
      return true
    }
  }

  /// True when `a` and `b` are equal ignoring ASCII case (both sides are folded).
  public static func equalsCaseInsensitive(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    var i = 0
    while i < a.count {
      let x = a[i]
      let y = b[i]
      if x != y && ASCII.lower(x) != ASCII.lower(y) { return false }
      i += 1
    }
    return true
  }

  /// True when `a` starts with `lowercasePrefix` ignoring ASCII case (the literal must be lower-case).
  public static func hasPrefixCaseInsensitive(_ a: UnsafeRawBufferPointer, _ lowercasePrefix: StaticString) -> Bool {
    lowercasePrefix.withUTF8Buffer { lit in
      guard lit.count <= a.count else { return false }
      var i = 0
      while i < lit.count {
        if ASCII.lower(a[i]) != lit[i] { return false }
        i += 1
      }
      return true
    }
  }

  /// True when `a` starts with `prefix` ignoring ASCII case (both sides are folded).
  public static func hasPrefixCaseInsensitive(_ a: UnsafeRawBufferPointer, _ prefix: UnsafeRawBufferPointer) -> Bool {
    guard prefix.count <= a.count else { return false }
    return equalsCaseInsensitive(UnsafeRawBufferPointer(rebasing: a[0..<prefix.count]), prefix)
  }

  /// True when `a` is byte for byte `literal` (case-sensitive).
  public static func equalsExactly(_ a: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    literal.withUTF8Buffer { lit in
      guard lit.count == a.count else { return false }
      var i = 0
      while i < lit.count {
        if a[i] != lit[i] { return false }
        i += 1
      }
      return true
    }
  }
}
