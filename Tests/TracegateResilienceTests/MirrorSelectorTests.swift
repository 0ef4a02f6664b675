// MirrorSelectorTests.swift — mirror fraction accuracy, determinism, and independence from sampling.

import Testing
import TracegateContext

@testable import TracegateResilience

@Suite struct MirrorSelectorTests {
    static let sampleSize = 100_000

    /// `count` random trace ids, the same ones every run.
    static func traceIDs(seed: UInt64, count: Int = sampleSize) -> [TraceID] {
        var random = FastRandom(seed: seed)
        return (0..<count).map { _ in random.nextTraceID() }
    }

    func mirroredShare(_ selector: MirrorSelector, _ ids: [TraceID]) -> Double {
        let mirrored = ids.lazy.filter { selector.shouldMirror(traceIDHigh: $0.hi, low: $0.lo) }.count
        return Double(mirrored) / Double(ids.count)
    }

    /// Four standard deviations of a share of `n` Bernoulli(`p`) draws.
    func tolerance(_ p: Double, _ n: Int) -> Double {
        4 * (p * (1 - p) / Double(n)).squareRoot()
    }

    @Test(arguments: [0.01, 0.1, 0.5, 0.9])
    func theMirroredShareMatchesTheFraction(fraction: Double) throws {
        let selector = try MirrorSelector(fraction: fraction)
        let share = mirroredShare(selector, Self.traceIDs(seed: 2_024))
        #expect(abs(share - fraction) <= 0.01, "within one percentage point")
        #expect(abs(share - fraction) <= tolerance(fraction, Self.sampleSize), "within 4σ: \(share)")
    }

    /// Level 2 promises only the right-most 7 bytes are random: fix everything else.
    @Test(arguments: [0.01, 0.1, 0.5, 0.9])
    func theShareHoldsWhenOnlyTheRightmostSevenBytesAreRandom(fraction: Double) throws {
        let selector = try MirrorSelector(fraction: fraction)
        var random = FastRandom(seed: 77)
        let ids = (0..<Self.sampleSize).map { _ in
            TraceID(hi: 0x0123_4567_89AB_CDEF, lo: 0x6500_0000_0000_0000 | (random.next() & 0x00FF_FFFF_FFFF_FFFF))
        }
        let share = mirroredShare(selector, ids)
        #expect(abs(share - fraction) <= tolerance(fraction, Self.sampleSize), "share \(share)")
    }

    @Test(arguments: [0.1, 0.5])
    func theShareHoldsEvenForSequentialIDs(fraction: Double) throws {
        let selector = try MirrorSelector(fraction: fraction)
        let ids = (0..<UInt64(Self.sampleSize)).map { TraceID(hi: 0, lo: $0 + 1) }
        let share = mirroredShare(selector, ids)
        #expect(abs(share - fraction) <= tolerance(fraction, Self.sampleSize), "share \(share)")
    }

    @Test func zeroMirrorsNothingAndOneMirrorsEverything() throws {
        let never = try MirrorSelector(fraction: 0)
        let always = try MirrorSelector(fraction: 1)
        #expect(never.threshold == 0)
        #expect(always.threshold == 1 << 56)
        var ids = Self.traceIDs(seed: 5)
        ids += [
            TraceID(hi: 0, lo: 1), TraceID(hi: .max, lo: .max), TraceID(hi: 0, lo: 0x00FF_FFFF_FFFF_FFFF),
            TraceID(hi: 1, lo: 0), TraceID(hi: 0, lo: MirrorSelector.defaultSalt),
        ]
        #expect(mirroredShare(never, ids) == 0)
        #expect(mirroredShare(always, ids) == 1)
    }

    @Test func theSameTraceIDGetsTheSameDecisionEverywhere() throws {
        // Two instances, built separately, with the same setting.
        let here = try MirrorSelector(fraction: 0.3)
        let there = try MirrorSelector(fraction: 0.3)
        for id in Self.traceIDs(seed: 9, count: 10_000) {
            let first = here.shouldMirror(traceIDHigh: id.hi, low: id.lo)
            #expect(first == there.shouldMirror(traceIDHigh: id.hi, low: id.lo))
            #expect(first == here.shouldMirror(traceIDHigh: id.hi, low: id.lo))
        }
    }

    /// Pins the mixing function and salt: a change here changes which traces every instance
    /// mirrors, and instances on the old and new versions would disagree during a deploy.
    @Test func theSelectionValueIsPinned() throws {
        // The trace id of the W3C Trace Context examples.
        let hi: UInt64 = 0x4BF9_2F35_77B3_4DA6
        let lo: UInt64 = 0xA3CE_929D_0E0E_4736
        let value = MirrorSelector.selectionValue(high: hi, low: lo, salt: MirrorSelector.defaultSalt)
        #expect(value == 0x00F3_13B5_56FA_443C)
        #expect(try !MirrorSelector(fraction: 0.9).shouldMirror(traceIDHigh: hi, low: lo))
        #expect(try MirrorSelector(fraction: 0.95).shouldMirror(traceIDHigh: hi, low: lo))
    }

    @Test func aLargerFractionMirrorsASuperset() throws {
        let small = try MirrorSelector(fraction: 0.1)
        let large = try MirrorSelector(fraction: 0.5)
        for id in Self.traceIDs(seed: 31, count: 20_000) where small.shouldMirror(traceIDHigh: id.hi, low: id.lo) {
            #expect(large.shouldMirror(traceIDHigh: id.hi, low: id.lo))
        }
    }

    /// The point of the salt: mirroring must tell nothing about sampling, which uses the same
    /// bytes of the same id. The phi coefficient (correlation of the two yes/no decisions) over
    /// 100 000 ids has a standard deviation of about 0.003 when they are independent.
    @Test(arguments: [(0.5, 0.5), (0.1, 0.1), (0.9, 0.1), (0.25, 0.75)] as [(Double, Double)])
    func mirroringIsIndependentOfSampling(samplingRatio: Double, mirrorFraction: Double) throws {
        let sampler = RatioSampler(ratio: samplingRatio)
        let selector = try MirrorSelector(fraction: mirrorFraction)
        let table = ContingencyTable(Self.traceIDs(seed: 4_242)) {
            (sampler.shouldSample($0), selector.shouldMirror(traceIDHigh: $0.hi, low: $0.lo))
        }
        #expect(abs(table.phi) < 0.015, "phi \(table.phi)")
        // Under independence, P(sampled ∧ mirrored) = P(sampled) · P(mirrored).
        let expectedBoth = Double(table.firstYes) * Double(table.secondYes) / Double(table.total)
        #expect(abs(Double(table.bothYes) - expectedBoth) < 5 * expectedBoth.squareRoot())
    }

    /// The test above can fail: comparing the raw randomness with a threshold, as sampling does,
    /// ties the two decisions completely.
    @Test func theUnmixedRandomnessWouldBeFullyCorrelatedWithSampling() {
        let sampler = RatioSampler(ratio: 0.9)
        let naiveThreshold = UInt64(0.1 * 0x1p56)
        let table = ContingencyTable(Self.traceIDs(seed: 4_242)) {
            (sampler.shouldSample($0), $0.randomness < naiveThreshold)
        }
        #expect(table.phi < -0.99, "the naive 10% mirror is exactly the unsampled 10%")
    }

    @Test func aDifferentSaltSelectsADifferentButEquallySizedSet() throws {
        let standard = try MirrorSelector(fraction: 0.5)
        let other = try MirrorSelector(fraction: 0.5, salt: 0x1234_5678_9ABC_DEF0)
        let table = ContingencyTable(Self.traceIDs(seed: 8)) {
            (standard.shouldMirror(traceIDHigh: $0.hi, low: $0.lo), other.shouldMirror(traceIDHigh: $0.hi, low: $0.lo))
        }
        #expect(abs(table.phi) < 0.015)
        #expect(abs(Double(table.secondYes) / Double(table.total) - 0.5) < tolerance(0.5, table.total))
    }

    @Test func invalidFractionsAreRejected() {
        for fraction in [-0.01, 1.0001, .nan, .infinity, -.infinity] {
            #expect(configError { _ = try MirrorSelector(fraction: fraction) }?.key == "fraction", "\(fraction)")
        }
    }
}

/// Counts of two yes/no decisions over the same items.
struct ContingencyTable {
    private(set) var total = 0
    private(set) var firstYes = 0
    private(set) var secondYes = 0
    private(set) var bothYes = 0

    init<T>(_ items: [T], _ decide: (T) -> (Bool, Bool)) {
        for item in items {
            let (first, second) = decide(item)
            total += 1
            firstYes += first ? 1 : 0
            secondYes += second ? 1 : 0
            bothYes += first && second ? 1 : 0
        }
    }

    /// The phi coefficient: Pearson's correlation of the two decisions, in -1...1.
    var phi: Double {
        let n11 = Double(bothYes)
        let n10 = Double(firstYes - bothYes)
        let n01 = Double(secondYes - bothYes)
        let n00 = Double(total - firstYes - secondYes + bothYes)
        let denominator =
            (Double(firstYes) * Double(total - firstYes) * Double(secondYes)
            * Double(total - secondYes)).squareRoot()
        return denominator == 0 ? 0 : (n11 * n00 - n10 * n01) / denominator
    }
}
