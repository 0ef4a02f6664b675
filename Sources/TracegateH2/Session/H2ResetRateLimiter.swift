// Token bucket for received RST_STREAM frames (rapid reset, CVE-2023-44487).

/// The same token bucket nghttp2 ≥ 1.57 (and Debian's 1.52 backport) keeps for RST_STREAM, run by the
/// session itself so that the flood is caught inside the frame callback.
///
/// Why not only nghttp2's: on exhaustion nghttp2 queues GOAWAY(INTERNAL_ERROR, last received stream) and
/// keeps going — `nghttp2_session_mem_recv` returns success, the rest of the input is still processed
/// and new streams are accepted (and reported) until that GOAWAY is actually written, and nothing tells
/// the application (tested in `H2LibraryBehaviourTests`). Here exhaustion fails the callback, which stops
/// processing the input at once, and the session answers GOAWAY(ENHANCE_YOUR_CALM) (RFC 9113 §7:
/// "excessive load").
///
/// Semantics match `nghttp2_ratelim`: starts with `burst` tokens; every call to ``allow(now:)`` first adds
/// `rate` tokens per whole second elapsed (capped at `burst`), then takes one, failing when none is left.
struct H2ResetRateLimiter {
  let burst: UInt64
  let rate: UInt64
  private(set) var tokens: UInt64
  private var stamp: UInt64 = 0

  init(burst: UInt64, rate: UInt64) {
    self.burst = burst
    self.rate = rate
    tokens = burst
  }

  /// Takes a token at time `now` (whole seconds, monotonic); false when the bucket is empty.
  mutating func allow(now: UInt64) -> Bool {
    if now != stamp {
      let elapsed = now > stamp ? now - stamp : 1
      stamp = now
      let (gain, overflow) = rate.multipliedReportingOverflow(by: elapsed)
      let (sum, overflow2) = tokens.addingReportingOverflow(gain)
      tokens = overflow || overflow2 ? burst : min(sum, burst)
    }
    guard tokens > 0 else { return false }
    tokens -= 1
    return true
  }
}
