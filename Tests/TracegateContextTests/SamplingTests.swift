// SamplingTests.swift — ratio sampler (OTel consistent rule) and the FastRandom generator.

import Testing
import TracegateContext

@Suite struct RatioSamplerTests {
    @Test func thresholdsArePrecomputedPerTheOTelRule() {
        #expect(RatioSampler(ratio: 1).rejectionThreshold == 0)
        #expect(RatioSampler(ratio: 0).rejectionThreshold == 1 << 56)
        #expect(RatioSampler(ratio: 0.25).rejectionThreshold == 0x00C0_0000_0000_0000)
        #expect(RatioSampler(ratio: 0.5).rejectionThreshold == 0x0080_0000_0000_0000)
        #expect(RatioSampler(ratio: .nan).ratio == 0)
        #expect(RatioSampler(ratio: 7).ratio == 1)
        #expect(RatioSampler(ratio: -1).rejectionThreshold == 1 << 56)
    }

    @Test func decidesOnTheRightmostSevenBytesOnly() {
        let sampler = RatioSampler(ratio: 0.25)
        let t = sampler.rejectionThreshold
        #expect(!sampler.shouldSample(TraceID(hi: .max, lo: t - 1)))
        #expect(sampler.shouldSample(TraceID(hi: 0, lo: t)))
        // The top byte of `lo` and all of `hi` play no part.
        #expect(sampler.shouldSample(TraceID(hi: 0, lo: 0xFF00_0000_0000_0000 | t)))
        #expect(!sampler.shouldSample(TraceID(hi: .max, lo: 0xFF00_0000_0000_0000 | (t - 1))))
        #expect(RatioSampler.alwaysOn.shouldSample(TraceID(hi: 0, lo: 1)))
        #expect(!RatioSampler.alwaysOff.shouldSample(TraceID(hi: .max, lo: .max)))
    }

    @Test func instancesAgreeAndHigherRatiosSampleASuperset() {
        var random = FastRandom(seed: 42)
        let a = RatioSampler(ratio: 0.1)
        let b = RatioSampler(ratio: 0.1)
        let wider = RatioSampler(ratio: 0.25)
        for _ in 0..<10_000 {
            let id = random.nextTraceID()
            #expect(a.shouldSample(id) == b.shouldSample(id))
            if a.shouldSample(id) { #expect(wider.shouldSample(id)) }
        }
    }

    @Test func ratioIsAccurate() {
        var random = FastRandom(seed: 2024)
        let sampler = RatioSampler(ratio: 0.25)
        var sampled = 0
        let n = 100_000
        for _ in 0..<n where sampler.shouldSample(random.nextTraceID()) { sampled += 1 }
        let rate = Double(sampled) / Double(n)
        #expect(abs(rate - 0.25) < 0.01, "rate \(rate)")
    }
}

@Suite struct FastRandomTests {
    @Test func matchesTheXoshiro256StarStarReference() {
        var random = FastRandom(seed: (1, 2, 3, 4))
        #expect([random.next(), random.next(), random.next(), random.next()] == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test func isDeterministicPerSeed() {
        var a = FastRandom(seed: 99)
        var b = FastRandom(seed: 99)
        var c = FastRandom(seed: 100)
        let sa = (0..<8).map { _ in a.next() }
        #expect(sa == (0..<8).map { _ in b.next() })
        #expect(sa != (0..<8).map { _ in c.next() })
    }

    @Test func seedsFromThirtyTwoBytes() throws {
        let seed = (0..<32).map { UInt8($0) }
        var a = try #require(seed.withUnsafeBytes { FastRandom(seedBytes: $0) })
        var b = try #require(seed.withUnsafeBytes { FastRandom(seedBytes: $0) })
        #expect(a.next() == b.next())
        #expect(Array(repeating: UInt8(0), count: 31).withUnsafeBytes { FastRandom(seedBytes: $0) } == nil)
        #expect(Array(repeating: UInt8(0), count: 33).withUnsafeBytes { FastRandom(seedBytes: $0) } == nil)
    }

    @Test func allZeroSeedStillProducesRandomness() {
        var random = FastRandom(seed: (0, 0, 0, 0))
        let values = (0..<4).map { _ in random.next() }
        #expect(values.allSatisfy { $0 != 0 })
    }

    @Test func idsAreNeverZero() {
        // (1, 2, 3, 4) yields 0 as its second output: nextSpanID must skip it.
        var random = FastRandom(seed: (1, 2, 3, 4))
        #expect(random.nextSpanID() == SpanID(11520))
        #expect(random.nextSpanID() == SpanID(1_509_978_240))
        var more = FastRandom(seed: 5)
        for _ in 0..<1000 {
            #expect(more.nextTraceID().isValid)
            #expect(more.nextSpanID().isValid)
        }
    }
}
