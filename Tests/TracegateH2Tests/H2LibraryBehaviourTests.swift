// What libnghttp2 1.52 (Debian's CVE-2023-44487 backport) does by itself on rapid reset, which is why
// H2Session runs its own reset limiter.
import CNghttp2
import Testing
@testable import TracegateH2

@Suite("nghttp2 and the reset limiter")
struct H2LibraryBehaviourTests {
  @Test("nghttp2's own limiter: GOAWAY(INTERNAL_ERROR) is only queued, mem_recv reports success and keeps accepting streams")
  func nghttp2RapidReset() throws {
    var callbacks: OpaquePointer?
    #expect(nghttp2_session_callbacks_new(&callbacks) == 0)
    defer { nghttp2_session_callbacks_del(callbacks) }
    var option: OpaquePointer?
    #expect(nghttp2_option_new(&option) == 0)
    defer { nghttp2_option_del(option) }
    nghttp2_option_set_stream_reset_rate_limit(option, 5, 0)
    var session: OpaquePointer?
    #expect(nghttp2_session_server_new2(&session, callbacks, nil, option) == 0)
    defer { nghttp2_session_del(session) }

    // 20 HEADERS+RST_STREAM pairs, then two more requests that are not reset.
    let input = H2FloodTests.rapidReset(20) + Raw.headers(41) + Raw.headers(43)
    let rv = input.withUnsafeBufferPointer { nghttp2_session_mem_recv(session, $0.baseAddress, $0.count) }
    #expect(rv == input.count, "no error reaches the application")
    #expect(nghttp2_session_get_stream_remote_close(session, 43) == 1, "a stream opened after the limit is open (half-closed remote)")

    var out: [UInt8] = []
    while true {
      var data: UnsafePointer<UInt8>?
      let n = nghttp2_session_mem_send(session, &data)
      if n <= 0 { break }
      out += UnsafeBufferPointer(start: data, count: n)
    }
    let goAways = frames(out).filter { $0.type == 0x7 }
    #expect(goAways.count == 1)
    #expect(goAways.first?.goAwayCode == .internalError)
    #expect(goAways.first.map { Array($0.payload.prefix(4)) } == Raw.be32(11), "last-stream-id: the stream of the sixth reset")
    #expect(nghttp2_session_get_stream_remote_close(session, 43) == -1, "streams above it are dropped only once the GOAWAY is written")
  }

  @Test("the session's bucket: burst first, then whole seconds refill at the rate, capped at the burst")
  func limiterArithmetic() {
    var limiter = H2ResetRateLimiter(burst: 3, rate: 2)
    var results: [Bool] = []
    for now: UInt64 in [100, 100, 100, 100] { results.append(limiter.allow(now: now)) }
    #expect(results == [true, true, true, false])
    results = []
    for now: UInt64 in [101, 101, 101] { results.append(limiter.allow(now: now)) }
    #expect(results == [true, true, false], "two tokens per second")
    results = []
    for now: UInt64 in [200, 200, 200, 200] { results.append(limiter.allow(now: now)) }
    #expect(results == [true, true, true, false], "refill caps at the burst")
    var unlimited = H2ResetRateLimiter(burst: .max, rate: .max)
    let first = unlimited.allow(now: 1)
    let second = unlimited.allow(now: 2)
    #expect(first && second, "no overflow trap")
  }
}
