import Foundation
import SwiftProtobuf
import Testing
import TracegateContext

@testable import TracegateTelemetry

/// The encoder, checked by decoding its output with the generated SwiftProtobuf types.
@Suite struct OTLPEncoderTests {
    private func decode(
        _ spans: [SpanData],
        resource: TelemetryResource = TestSpans.resource
    ) throws -> OTLPProto.ExportRequest {
        try OTLPProto.ExportRequest(serializedBytes: OTLPEncoder.encode(resource: resource, spans: spans))
    }

    /// The direct wire encoder writes exactly what swift-protobuf writes for the generated
    /// messages: every field, every value type, long messages (multi-byte lengths), empty strings
    /// in attribute values, negative integers, unset and error statuses, roots and children.
    @Test func wireEncodingIsByteForByteSwiftProtobufs() throws {
        var odd = TestSpans.simple(3)
        odd.attributes = [.init("empty", .string("")), .init("neg", .int(-42)), .init("zero", .int(0)),
                          .init("no", .bool(false)), .init("pi", .double(3.25)), .init("", .string("keyless")),
                          .init("long", .string(String(repeating: "x", count: 300)))]
        odd.status = .ok
        odd.kind = .internal
        odd.parentSpanID = .invalid
        var big = TestSpans.full(9)
        big.attributes += (0..<40).map { .init("k\($0)", .string(String(repeating: "v", count: $0 * 7))) }
        let batches: [[SpanData]] = [[], [TestSpans.full(7)], [odd], (1...50).map { TestSpans.simple($0) } + [big, odd]]
        for (i, batch) in batches.enumerated() {
            let reference: [UInt8] = try OTLPEncoder.request(resource: TestSpans.resource, spans: batch).serializedBytes()
            let direct = OTLPEncoder.encode(resource: TestSpans.resource, spans: batch)
            #expect(direct == reference, "batch \(i): \(direct.count) bytes vs swift-protobuf's \(reference.count)")
        }
    }

    @Test func encodesEveryFieldOfASpan() throws {
        let data = TestSpans.full(7)
        let request = try decode([data])
        try #require(request.resourceSpans.count == 1)
        let resourceSpans = request.resourceSpans[0]
        #expect(resourceSpans.resource.attributes.map(\.key) == ["service.name", "service.instance.id"])
        #expect(resourceSpans.resource.attributes[0].value.stringValue == "tracegate")
        try #require(resourceSpans.scopeSpans.count == 1)
        #expect(resourceSpans.scopeSpans[0].scope.name == "tracegate.proxy")
        #expect(resourceSpans.scopeSpans[0].scope.version == "0.9.0")
        try #require(resourceSpans.scopeSpans[0].spans.count == 1)
        let span = resourceSpans.scopeSpans[0].spans[0]

        #expect([UInt8](span.traceID) == [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0F] + bigEndian(data.traceID.lo))
        #expect(span.traceID.count == 16 && span.spanID.count == 8 && span.parentSpanID.count == 8)
        #expect(hex(span.traceID) == data.traceID.description)
        #expect([UInt8](span.spanID) == [0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x07, 0x1F])
        #expect(hex(span.parentSpanID) == data.parentSpanID.description)
        #expect(span.traceState == "vendor=abc,tg=7")
        #expect(span.flags == 0x301)  // sampled | has-is-remote | is-remote
        #expect(span.name == "GET /items/{id}")
        #expect(span.kind == .server)
        #expect(span.startTimeUnixNano == data.startUnixNanos)
        #expect(span.endTimeUnixNano == data.endUnixNanos)

        #expect(
            span.attributes.map(\.key) == [
                "http.request.method", "http.response.status_code", "tracegate.retried", "tracegate.upstream.seconds",
                "tracegate.index",
            ]
        )
        #expect(span.attributes[0].value.value == .stringValue("GET"))
        #expect(span.attributes[1].value.value == .intValue(503))
        #expect(span.attributes[2].value.value == .boolValue(true))
        #expect(span.attributes[3].value.value == .doubleValue(0.125))
        #expect(span.attributes[4].value.value == .intValue(7))

        try #require(span.events.count == 1)
        #expect(span.events[0].name == "upstream.connected")
        #expect(span.events[0].timeUnixNano == 1_700_000_000_010_000_000)
        #expect(span.events[0].attributes.first?.key == "server.address")
        #expect(span.events[0].attributes.first?.value.stringValue == "10.0.0.7")

        try #require(span.links.count == 1)
        #expect(hex(span.links[0].traceID) == "ffeeddccbbaa99887766554433221100")
        #expect(hex(span.links[0].spanID) == "0f0e0d0c0b0a0908")
        #expect(span.links[0].traceState == "other=1")
        #expect(span.links[0].flags == 0x300)  // not sampled, known remote
        #expect(span.links[0].attributes.first?.value.stringValue == "restarted")

        #expect(span.status.code == .error)
        #expect(span.status.message == "upstream answered 503")
        #expect(span.droppedAttributesCount == 0 && span.droppedEventsCount == 0 && span.droppedLinksCount == 0)
    }

    @Test func rootSpanHasNoParentBytesAndLocalFlags() throws {
        var data = TestSpans.simple(1)
        data.sampledFlag = false
        let span = try decode([data]).resourceSpans[0].scopeSpans[0].spans[0]
        #expect(span.parentSpanID.isEmpty)
        #expect(span.flags == 0x100)  // not sampled, parent known not remote
        #expect(span.kind == .client)
        #expect(!span.hasStatus)
        #expect(span.status.code == .unset)
        #expect(span.traceState.isEmpty)
        #expect(span.events.isEmpty && span.links.isEmpty)
    }

    @Test func mapsKindsAndStatuses() throws {
        var a = TestSpans.simple(1)
        a.kind = .internal
        a.status = .ok
        var b = TestSpans.simple(2)
        b.kind = .server
        b.status = .error(message: "")
        let spans = try decode([a, b]).resourceSpans[0].scopeSpans[0].spans
        #expect(spans.map(\.kind) == [.internal, .server])
        #expect(spans[0].status.code == .ok)
        #expect(spans[1].status.code == .error)
        #expect(spans[1].status.message == "")
    }

    @Test func linkWithUnknownRemotenessLeavesTheBitsClear() throws {
        var data = TestSpans.simple(3)
        data.links = [SpanLinkData(traceID: TraceID(hi: 1, lo: 2), spanID: SpanID(3))]
        let link = try decode([data]).resourceSpans[0].scopeSpans[0].spans[0].links[0]
        #expect(link.flags == 0x01)
        #expect([UInt8](link.traceID) == [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2])
        #expect([UInt8](link.spanID) == [0, 0, 0, 0, 0, 0, 0, 3])
    }

    @Test func keepsSpanOrderAndSharesOneResourceAndScope() throws {
        let spans = (0..<50).map { TestSpans.simple(UInt64($0)) }
        let request = try decode(spans)
        #expect(request.resourceSpans.count == 1)
        #expect(request.resourceSpans[0].scopeSpans.count == 1)
        #expect(request.resourceSpans[0].scopeSpans[0].spans.map(\.name) == spans.map(\.name))
    }

    @Test func emptyBatchAndEmptyResourceStillDecode() throws {
        let request = try decode([], resource: TelemetryResource(scopeName: "", scopeVersion: ""))
        #expect(request.resourceSpans.count == 1)
        #expect(request.resourceSpans[0].scopeSpans[0].spans.isEmpty)
        #expect(request.resourceSpans[0].resource.attributes.isEmpty)
    }

    private func hex(_ data: Data) -> String {
        data.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    private func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
    }
}
