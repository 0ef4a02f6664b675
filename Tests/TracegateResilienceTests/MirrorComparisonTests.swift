// MirrorComparisonTests.swift — the body hasher, the in-flight gate and the comparison results.

import Testing
import TracegateResilience

@Suite struct BodyDigestTests {
    func digest(_ text: String, maxBody: Int = 1_024) -> BodyDigest.Summary {
        var digest = BodyDigest(maxBody: maxBody)
        Array(text.utf8).withUnsafeBytes { digest.update($0) }
        return digest.summary
    }

    /// FNV-1a 64 test vectors (draft-eastlake-fnv; Landon Curt Noll's reference results).
    @Test(
        arguments: [
            ("", 0xCBF2_9CE4_8422_2325), ("a", 0xAF63_DC4C_8601_EC8C), ("foobar", 0x8594_4171_F739_67E8),
        ] as [(String, UInt64)]
    )
    func fnv1aTestVectors(text: String, hash: UInt64) {
        #expect(digest(text) == .complete(hash: hash, length: text.utf8.count))
    }

    @Test func anyChunkingGivesTheSameDigest() {
        var random = SeededRandom(seed: 99)
        let body = (0..<5_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        var whole = BodyDigest(maxBody: 10_000)
        body.withUnsafeBytes { whole.update($0) }
        for _ in 0..<20 {
            var chunked = BodyDigest(maxBody: 10_000)
            var offset = 0
            while offset < body.count {
                let size = min(body.count - offset, Int.random(in: 0...700, using: &random))
                body[offset..<(offset + size)].withUnsafeBytes { chunked.update($0) }
                offset += size
            }
            #expect(chunked.summary == whole.summary)
        }
        var changed = body
        changed[2_500] ^= 1
        var other = BodyDigest(maxBody: 10_000)
        changed.withUnsafeBytes { other.update($0) }
        #expect(other.summary != whole.summary)
    }

    @Test func bodiesLongerThanTheLimitAreTooLarge() {
        #expect(digest("12345678", maxBody: 8) != .tooLarge)
        #expect(digest("123456789", maxBody: 8) == .tooLarge)
        var digest = BodyDigest(maxBody: 4)
        Array("abc".utf8).withUnsafeBytes { digest.update($0) }
        Array("de".utf8).withUnsafeBytes { digest.update($0) }
        #expect(digest.isTooLarge)
        #expect(digest.length == 5)
        #expect(BodyDigest().maxBody == 65_536)
    }
}

@Suite struct MirrorGateTests {
    @Test func theGateAdmitsUpToItsLimit() throws {
        var gate = try MirrorGate(maxInFlight: 2)
        #expect(gate.tryStart() == true)
        #expect(gate.tryStart() == true)
        #expect(gate.tryStart() == false)
        #expect(gate.inFlight == 2)
        gate.finish()
        #expect(gate.tryStart() == true)
        #expect(gate.tryStart() == false)
    }

    @Test func aZeroGateDropsEverything() throws {
        var gate = try MirrorGate(maxInFlight: 0)
        #expect(gate.tryStart() == false)
        #expect(configError { _ = try MirrorGate(maxInFlight: -1) }?.key == "max_in_flight")
    }
}

@Suite struct MirrorComparisonTests {
    typealias Response = MirrorComparison.Response
    let body = BodyDigest.Summary.complete(hash: 42, length: 10)
    let otherBody = BodyDigest.Summary.complete(hash: 43, length: 10)

    @Test func statusModeComparesOnlyStatuses() {
        let compare = { (a: Response, b: Response) in MirrorComparison(mode: .status, primary: a, mirror: b) }
        #expect(compare(Response(status: 200, body: body), Response(status: 200, body: otherBody)) == .statusMatch)
        #expect(compare(Response(status: 200), Response(status: 503)) == .statusMismatch(primary: 200, mirror: 503))
    }

    @Test func bodyModeComparesStatusesThenBodies() {
        let compare = { (a: Response, b: Response) in MirrorComparison(mode: .body, primary: a, mirror: b) }
        #expect(compare(Response(status: 200, body: body), Response(status: 200, body: body)) == .bodyMatch)
        #expect(compare(Response(status: 200, body: body), Response(status: 200, body: otherBody)) == .bodyMismatch)
        let shorter = BodyDigest.Summary.complete(hash: 42, length: 9)
        #expect(compare(Response(status: 200, body: body), Response(status: 200, body: shorter)) == .bodyMismatch)
        #expect(
            compare(Response(status: 200, body: body), Response(status: 500, body: body))
                == .statusMismatch(primary: 200, mirror: 500)
        )
        #expect(
            compare(Response(status: 200, body: .tooLarge), Response(status: 200, body: body))
                == .skipped(.primaryBodyTooLarge)
        )
        #expect(
            compare(Response(status: 200, body: body), Response(status: 200, body: .tooLarge))
                == .skipped(.mirrorBodyTooLarge)
        )
    }

    @Test func missingResponsesAndDisabledComparisonAreSkipped() {
        let response = Response(status: 200)
        #expect(MirrorComparison(mode: .none, primary: response, mirror: response) == .skipped(.disabled))
        #expect(MirrorComparison(mode: .body, primary: nil, mirror: response) == .skipped(.primaryFailed))
        #expect(MirrorComparison(mode: .status, primary: response, mirror: nil) == .skipped(.mirrorFailed))
    }

    @Test func labelsAreDistinct() {
        let all: [MirrorComparison] = [
            .statusMatch, .statusMismatch(primary: 1, mirror: 2), .bodyMatch, .bodyMismatch, .skipped(.disabled),
            .skipped(.primaryFailed), .skipped(.mirrorFailed), .skipped(.primaryBodyTooLarge),
            .skipped(.mirrorBodyTooLarge),
        ]
        #expect(Set(all.map(\.label)).count == all.count)
    }
}
