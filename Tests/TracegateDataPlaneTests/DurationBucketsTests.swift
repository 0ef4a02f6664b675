// DurationBucketsTests: bucket placement at, just above and between the bounds.
import Testing
@testable import TracegateDataPlane

@Suite struct DurationBucketsTests {
    @Test func aValueOnABoundLandsInThatBucketAndOneNanosecondMoreInTheNext() {
        for i in 0..<(DurationBuckets.count - 1) {
            let bound = DurationBuckets.boundNanos(i)
            #expect(DurationBuckets.index(nanos: bound) == i, "le is inclusive: \(bound) ns")
            #expect(DurationBuckets.index(nanos: bound + 1) == i + 1, "\(bound + 1) ns")
            #expect(DurationBuckets.index(nanos: bound - 1) == i, "\(bound - 1) ns")
        }
    }

    @Test func extremesLandInTheFirstAndTheInfiniteBucket() {
        #expect(DurationBuckets.index(nanos: 0) == 0)
        #expect(DurationBuckets.index(nanos: 10_000_000_001) == DurationBuckets.count - 1)
        #expect(DurationBuckets.index(nanos: .max) == DurationBuckets.count - 1)
        #expect(DurationBuckets.index(nanos: 3_000_000) == 2)  // 3 ms: (2.5 ms, 5 ms]
        #expect(DurationBuckets.index(nanos: 700_000_000) == 9)  // 700 ms: (0.5 s, 1 s]
    }

    @Test func labelsNameTheBoundsInSeconds() {
        #expect(DurationBuckets.labels.count == DurationBuckets.count)
        for i in 0..<(DurationBuckets.count - 1) {
            #expect(Double(DurationBuckets.labels[i]) == Double(DurationBuckets.boundNanos(i)) / 1e9, "\(DurationBuckets.labels[i])")
        }
        #expect(DurationBuckets.labels.last == "+Inf")
        #expect(DurationBuckets.boundNanos(DurationBuckets.count - 1) == .max)
    }
}
