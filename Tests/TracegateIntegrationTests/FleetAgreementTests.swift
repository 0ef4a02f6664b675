// FleetAgreementTests: two Tracegate instances, as behind one Kubernetes Service, make the same
// sampling and mirroring decision for every one of the same 10,000 trace ids.
import Foundation
import Synchronization
import Testing
import TracegateContext
import TracegateResilience
import TracegateTestSupport

extension Integration {
    /// Why two processes and not one decision function called twice: what must agree is what the
    /// upstream and the shadow actually receive from separately started instances (their own
    /// random seeds, their own worker counts, their own connection pools), as a fleet behind a
    /// load balancer would see it. The reference functions (`RatioSampler`, `MirrorSelector`) are
    /// checked too, so "both wrong the same way" cannot pass.
    @Suite(.serialized) struct FleetAgreement {
        static let samplingRatio = 0.25
        static let mirrorFraction = 0.3
        static let traceCount = 10_000

        /// One instance: `Mirror.Setup` (its own primary and shadow fixtures, route `api`
        /// mirrored to `shadow`) with the fleet's sampling and mirroring. `workers` differs between
        /// the two, so the decision cannot depend on which worker took the connection.
        static func instance(workers: Int) throws -> Mirror.Setup {
            try Mirror.Setup(mirror: "fraction: \(mirrorFraction), max_in_flight: 1000",
                             extra: "context: { sampling_ratio: \(samplingRatio), sampler: trace_id_ratio }", workers: workers)
        }

        /// Trace id → the `sampled` flag the primary saw in `traceparent`.
        static func sampledByTrace(_ instance: Mirror.Setup) -> [String: Bool] {
            var out: [String: Bool] = [:]
            for request in instance.primary.requests {
                guard let tp = Wire.traceparent(request.header("traceparent")) else { continue }
                out[tp.traceID] = (UInt8(tp.flags, radix: 16) ?? 0) & 1 == 1
            }
            return out
        }

        /// The trace ids the shadow received.
        static func mirroredTraces(_ instance: Mirror.Setup) -> Set<String> {
            Set(instance.shadow.requests.compactMap { Wire.traceparent($0.header("traceparent"))?.traceID })
        }

        /// Sends one GET per trace id over `connections` keep-alive connections in parallel. The
        /// callers alternate `sampled` on and off: with `sampler: trace_id_ratio` neither may
        /// matter. Returns the number of 200 answers.
        static func send(_ traces: [String], to port: Int, connections: Int = 4) -> Int {
            let ok = Atomic<Int>(0)
            let group = DispatchGroup()
            for c in 0..<connections {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    guard var client = try? RawHTTPClient.connect(port: port) else { return }
                    for i in stride(from: c, to: traces.count, by: connections) {
                        let flags = i % 2 == 0 ? "01" : "00"
                        let request = "GET /fleet/\(i) HTTP/1.1\r\nHost: api.test\r\ntraceparent: 00-\(traces[i])-00f067aa0ba902b7-\(flags)\r\n\r\n"
                        if client.send(request), let response = client.readResponse(timeout: .seconds(10)) {
                            if response.status == 200 { ok.add(1, ordering: .relaxed) }
                            if response.announcesClose, let fresh = try? RawHTTPClient.connect(port: port) {
                                client.close()
                                client = fresh
                            }
                        } else if let fresh = try? RawHTTPClient.connect(port: port) {
                            client.close()
                            client = fresh
                        }
                    }
                    client.close()
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            _ = group.wait(timeout: .now() + 120)
            return ok.load(ordering: .relaxed)
        }

        @Test func twoInstancesSampleAndMirrorTheSameTenThousandTraces() throws {
            let a = try Self.instance(workers: 1)
            defer { a.stop() }
            let b = try Self.instance(workers: 2)
            defer { b.stop() }
            let traces = (0..<Self.traceCount).map { _ in Mirror.randomTraceID() }
            #expect(Set(traces).count == Self.traceCount)

            // The reference decisions, from the same pure functions the workers run.
            let sampler = RatioSampler(ratio: Self.samplingRatio)
            let selector = try MirrorSelector(fraction: Self.mirrorFraction)
            var expectedSampled = Set<String>()
            var expectedMirrored = Set<String>()
            for trace in traces {
                let hi = try #require(UInt64(trace.prefix(16), radix: 16))
                let lo = try #require(UInt64(trace.suffix(16), radix: 16))
                if sampler.shouldSample(TraceID(hi: hi, lo: lo)) { expectedSampled.insert(trace) }
                if selector.shouldMirror(traceIDHigh: hi, low: lo) { expectedMirrored.insert(trace) }
            }

            #expect(Self.send(traces, to: a.port) == Self.traceCount)
            #expect(Self.send(traces, to: b.port) == Self.traceCount)
            #expect(a.primary.waitForRequests(count: Self.traceCount, timeout: .seconds(30)))
            #expect(b.primary.waitForRequests(count: Self.traceCount, timeout: .seconds(30)))
            #expect(a.shadow.waitForRequests(count: expectedMirrored.count, timeout: .seconds(30)))
            #expect(b.shadow.waitForRequests(count: expectedMirrored.count, timeout: .seconds(30)))

            let sampledA = Self.sampledByTrace(a)
            let sampledB = Self.sampledByTrace(b)
            #expect(sampledA.count == Self.traceCount)
            #expect(sampledB.count == Self.traceCount)
            let disagreeing = traces.filter { sampledA[$0] != sampledB[$0] }
            #expect(disagreeing.isEmpty, "sampling differs for \(disagreeing.count) traces, e.g. \(disagreeing.prefix(3))")
            let sampled = Set(sampledA.filter(\.value).keys)
            #expect(sampled == expectedSampled, "the instances sample exactly what RatioSampler picks")
            let share = Double(sampled.count) / Double(Self.traceCount)
            #expect(abs(share - Self.samplingRatio) < 0.02, "sampled share \(share)")

            let mirroredA = Self.mirroredTraces(a)
            let mirroredB = Self.mirroredTraces(b)
            #expect(mirroredA == mirroredB, "mirroring differs: \(mirroredA.symmetricDifference(mirroredB).count) traces")
            #expect(mirroredA == expectedMirrored, "the instances mirror exactly what MirrorSelector picks")
            #expect(a.shadow.requests.count == expectedMirrored.count)
            #expect(b.shadow.requests.count == expectedMirrored.count)
            let mirroredShare = Double(mirroredA.count) / Double(Self.traceCount)
            #expect(abs(mirroredShare - Self.mirrorFraction) < 0.02, "mirrored share \(mirroredShare)")
        }

        @Test func tracesEachInstanceStartsAreSampledByTheSameFunctionOfTheirID() throws {
            // New traces get random ids, different on each instance; what must agree is the rule:
            // the decision each instance made is the one the other would make for that id.
            let a = try Self.instance(workers: 1)
            defer { a.stop() }
            let b = try Self.instance(workers: 2)
            defer { b.stop() }
            let sampler = RatioSampler(ratio: Self.samplingRatio)
            for instance in [a, b] {
                let client = try RawHTTPClient.connect(port: instance.port)
                defer { client.close() }
                for i in 0..<1000 {
                    #expect(Mirror.send(client, "GET /new/\(i) HTTP/1.1\r\nHost: api.test\r\n\r\n")?.status == 200)
                }
                let decisions = Self.sampledByTrace(instance)
                #expect(decisions.count == 1000)
                var mismatches = 0
                for (trace, sampled) in decisions {
                    let hi = try #require(UInt64(trace.prefix(16), radix: 16))
                    let lo = try #require(UInt64(trace.suffix(16), radix: 16))
                    if sampler.shouldSample(TraceID(hi: hi, lo: lo)) != sampled { mismatches += 1 }
                }
                #expect(mismatches == 0)
                let share = Double(decisions.values.filter { $0 }.count) / 1000
                #expect(abs(share - Self.samplingRatio) < 0.06, "sampled share \(share)")
            }
        }
    }
}
