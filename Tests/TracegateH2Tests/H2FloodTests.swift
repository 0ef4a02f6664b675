// Flood patterns from a hand-written peer end the connection with GOAWAY and a flood error.
import Testing
import TracegateH2
import TracegateHTTP

@Suite("H2 floods")
struct H2FloodTests {
  /// A server session and what it answers to `input`.
  static func serve(_ input: [UInt8], limits: H2FloodLimits) throws -> (error: H2Error?, frames: [ParsedFrame], seen: [Seen], session: H2Session) {
    let server = try H2Session(role: .server, limits: limits)
    let error = feed(server, input)
    let seen = drain(server)
    let out = output(of: server)
    #expect(out.error == error, "send reports the same failure")
    return (error, frames(out.bytes), seen, server)
  }

  /// HEADERS then RST_STREAM on `count` new streams: the rapid reset pattern (CVE-2023-44487).
  static func rapidReset(_ count: Int) -> [UInt8] {
    Raw.clientStart + (0..<count).flatMap { i -> [UInt8] in
      let stream = UInt32(2 * i + 1)
      return Raw.headers(stream) + Raw.rst(stream, .cancel)
    }
  }

  @Test("rapid reset: the RST_STREAM past the burst fails receive and answers GOAWAY(ENHANCE_YOUR_CALM)")
  func rapidResetFlood() throws {
    let limits = H2FloodLimits(resetBurst: 5, resetRatePerSecond: 0)
    let within = try Self.serve(Self.rapidReset(5), limits: limits)
    #expect(within.error == nil)
    #expect(!within.frames.contains { $0.type == 0x7 })

    let flood = try Self.serve(Self.rapidReset(50), limits: limits)
    #expect(flood.error == H2Error(kind: .flood(.rapidReset), code: .enhanceYourCalm))
    #expect(flood.frames.last?.goAwayCode == .enhanceYourCalm)
    let requests = flood.seen.filter { if case .headers(_, .request, _, _) = $0 { true } else { false } }
    #expect(requests.count == 6, "processing stopped at the sixth reset, not at the end of the input")
    #expect(!flood.session.wantsRead && !flood.session.wantsWrite)
    #expect(feed(flood.session, Raw.ping()) == flood.error, "a failed session keeps reporting its failure")
  }

  @Test("a SETTINGS frame with more entries than allowed: GOAWAY(ENHANCE_YOUR_CALM), detected inside receive")
  func settingsEntries() throws {
    let entries: [(UInt16, UInt32)] = (0..<5).map { _ in (0x3, 100) }
    let result = try Self.serve(Raw.clientStart + Raw.settings(entries), limits: H2FloodLimits(maxSettingsEntries: 4))
    #expect(result.error?.kind == .flood(.settingsEntries))
    #expect(result.error?.code == .enhanceYourCalm)
    #expect(result.frames.last?.goAwayCode == .enhanceYourCalm)
    let fine = try Self.serve(Raw.clientStart + Raw.settings(Array(entries.prefix(4))), limits: H2FloodLimits(maxSettingsEntries: 4))
    #expect(fine.error == nil)
  }

  @Test("SETTINGS and PING frames whose ACKs pile up unread: GOAWAY(ENHANCE_YOUR_CALM)", arguments: [true, false])
  func ackFlood(settings: Bool) throws {
    // 16 KiB of ACKs are staged inside the session before nghttp2's counter starts; 3,000 frames exceed both.
    let frame = settings ? Raw.settings() : Raw.ping()
    let input = Raw.clientStart + (0..<3000).flatMap { _ in frame }
    let result = try Self.serve(input, limits: H2FloodLimits(maxOutboundAcks: 20))
    #expect(result.error == H2Error(kind: .flood(.outboundAcks), code: .enhanceYourCalm))
    #expect(result.frames.last?.goAwayCode == .enhanceYourCalm)
    let acks = result.frames.filter { $0.flags & 0x1 != 0 && $0.type == (settings ? 0x4 : 0x6) }.count
    #expect(acks < 3000, "the queue was cut off")
  }

  @Test("ACKs that are read as they come are no flood")
  func acksReadInTime() throws {
    let server = try H2Session(role: .server, limits: H2FloodLimits(maxOutboundAcks: 20))
    #expect(feed(server, Raw.clientStart) == nil)
    for _ in 0..<200 {
      #expect(feed(server, Raw.ping() + Raw.settings()) == nil)
      #expect(output(of: server).error == nil)
    }
  }

  @Test("a header block split over more CONTINUATION frames than nghttp2 allows (8)")
  func continuationFlood() throws {
    let first = Raw.frame(0x1, flags: 0x1, stream: 1, Raw.getRequest)  // HEADERS without END_HEADERS
    let continuations = (0..<10).flatMap { _ in Raw.frame(0x9, stream: 1) }
    let result = try Self.serve(Raw.clientStart + first + continuations, limits: H2FloodLimits())
    #expect(result.error == H2Error(kind: .flood(.continuations), code: .enhanceYourCalm))
    #expect(result.frames.last?.goAwayCode == .enhanceYourCalm)
  }
}
