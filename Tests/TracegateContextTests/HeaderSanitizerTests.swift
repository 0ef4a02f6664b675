// HeaderSanitizerTests.swift — strip / keep / edge-owned verdicts and metric labels.

import Testing
import TracegateContext

@Suite struct HeaderSanitizerTests {
    let sanitizer = HeaderSanitizer(.init(
        extraStripNames: ["X-Internal-Auth"],
        stripPrefixes: ["x-debug-"],
        debugHeaderName: "X-Tracegate-Debug",
        correlationHeaderNames: ["x-correlation-id", "x-request-id"],
        sessionHeaderName: "x-tracegate-session"
    ))

    private func label(_ name: StaticString, trusted: Bool = false) -> String? {
        guard case .strip(let label) = sanitizer.classify(bytes(name), trusted: trusted) else { return nil }
        return sanitizer.name(of: label)
    }

    @Test(arguments: [
        ("b3", "b3"), ("B3", "b3"),
        ("x-b3-traceid", "x-b3-*"), ("X-B3-Sampled", "x-b3-*"),
        ("uber-trace-id", "uber-trace-id"), ("uberctx-user", "uberctx-*"),
        ("ot-tracer-traceid", "ot-tracer-*"),
        ("x-datadog-trace-id", "x-datadog-*"), ("X-Datadog-Sampling-Priority", "x-datadog-*"),
        ("x-amzn-trace-id", "x-amzn-trace-id"),
        ("x-cloud-trace-context", "x-cloud-trace-context"),
        ("grpc-trace-bin", "grpc-trace-bin"),
        ("x-tracegate-internal", "x-tracegate-*"),
        ("x-internal-auth", "x-internal-auth"),
        ("x-debug-level", "x-debug-*"),
    ] as [(StaticString, String)])
    func stripsForeignContextFromUntrustedPeers(_ name: StaticString, _ expected: String) {
        #expect(label(name) == expected)
        #expect(sanitizer.classify(bytes(name), trusted: true) == .keep)
    }

    @Test(arguments: [
        ("traceparent", EdgeHeader.traceparent), ("TraceParent", .traceparent),
        ("tracestate", .tracestate), ("TRACESTATE", .tracestate),
        ("baggage", .baggage),
        ("x-tracegate-debug", .debug),
        ("x-correlation-id", .correlation), ("X-Request-ID", .correlation),
        ("x-tracegate-session", .session),
        ("x-tracegate-fault-delay-ms", .faultDelay), ("X-Tracegate-Fault-Abort", .faultAbort),
    ] as [(StaticString, EdgeHeader)])
    func edgeOwnedHeadersWinOverStripRules(_ name: StaticString, _ header: EdgeHeader) {
        #expect(sanitizer.classify(bytes(name), trusted: false) == .edge(header))
        #expect(sanitizer.classify(bytes(name), trusted: true) == .edge(header))
    }

    @Test(arguments: ["host", "b3x", "b", "x-b3", "uber-trace", "x-amzn-trace-id-2", "content-type", "x", "", "traceparentx"] as [StaticString])
    func keepsEverythingElse(_ name: StaticString) {
        #expect(sanitizer.classify(bytes(name), trusted: false) == .keep)
    }

    @Test func labelsAreAStableTable() {
        #expect(sanitizer.labels.count == 14)
        #expect(sanitizer.labels[0] == "b3")
        // The fault headers are edge-owned but keep labels of their own, for counting strips.
        #expect(sanitizer.name(of: HeaderSanitizer.faultDelayLabel) == "x-tracegate-fault-delay-ms")
        #expect(sanitizer.name(of: HeaderSanitizer.faultAbortLabel) == "x-tracegate-fault-abort")
        #expect(sanitizer.labels[12] == "x-internal-auth")
        #expect(sanitizer.labels[13] == "x-debug-*")
        #expect(sanitizer.name(of: StripLabel(rawValue: 999)) == "unknown")
    }

    @Test func defaultConfiguration() {
        let plain = HeaderSanitizer()
        #expect(plain.classify(bytes("x-tracegate-debug"), trusted: false) == .edge(.debug))
        #expect(plain.classify(bytes("x-session-id"), trusted: false) == .edge(.session))
        #expect(plain.classify(bytes("x-tracegate-other"), trusted: false) == .strip(StripLabel(rawValue: 9)))
    }

    @Test func caseFoldingIsExactForEveryByteInEveryPosition() {
        // "traceparent" is 11 bytes: positions 0-7 go through the 8-byte SWAR fold, 8-10 bytewise.
        let name = Array("traceparent".utf8)
        for position in name.indices {
            for value in 0...255 {
                var probe = name
                probe[position] = UInt8(value)
                let expected = UInt8(value) == name[position] || UInt8(value) == name[position] - 0x20
                let verdict = probe.withUnsafeBytes { sanitizer.classify($0, trusted: false) }
                #expect((verdict == .edge(.traceparent)) == expected, "byte \(value) at \(position)")
            }
        }
    }
}
