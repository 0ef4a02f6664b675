// OTLPWireEncoder.swift — an ExportTraceServiceRequest written field by field.
import TracegateContext

/// Writes the OTLP export request for a batch of spans with `ProtobufWriter`, field numbers as in
/// opentelemetry-proto v1.11.0 (the generated `OTLPProto` types are the reference the tests
/// compare against, byte for byte). Fields appear in field-number order and proto3 defaults are
/// left out, exactly as swift-protobuf serializes.
enum OTLPWireEncoder {
    static func encode(resource: TelemetryResource, spans: some Collection<SpanData>) -> [UInt8] {
        var writer = SpanBatchWriter(capacity: spans.count * 768)
        for span in spans { writer.span(span) }
        return request(resource: resource, chunks: [writer.finish()])
    }

    /// The request around spans already encoded as `ScopeSpans.spans` entries.
    ///
    /// The envelope's lengths are computed up front (the spans' size is known), so the batch —
    /// hundreds of kilobytes — is copied once instead of being shifted when each enclosing
    /// message's length turns out to need more than one byte.
    static func request(resource: TelemetryResource, chunks: [EncodedSpans]) -> [UInt8] {
        // ResourceSpans.resource = 1 { attributes = 1 }, ScopeSpans.scope = 1 { name = 1, version = 2 }
        let head = ProtobufWriter(capacity: 512)
        head.message(1) { w in keyValues(1, resource.attributes, &w) }
        let resourceBytes = head.bytes
        let scope = ProtobufWriter(capacity: 128)
        scope.message(1) { w in
            w.string(1, resource.scopeName)
            w.string(2, resource.scopeVersion)
        }
        let scopeBytes = scope.bytes
        let spansSize = chunks.reduce(0) { $0 + $1.bytes.count }
        let scopeSpansSize = scopeBytes.count + spansSize
        let resourceSpansSize = resourceBytes.count + 1 + varintSize(scopeSpansSize) + scopeSpansSize

        let w = ProtobufWriter(capacity: resourceSpansSize + 16)
        w.tag(1, .lengthDelimited)                     // ExportTraceServiceRequest.resource_spans
        w.varint(UInt64(resourceSpansSize))
        resourceBytes.withUnsafeBytes { w.raw($0) }    // ResourceSpans.resource
        w.tag(2, .lengthDelimited)                     // ResourceSpans.scope_spans
        w.varint(UInt64(scopeSpansSize))
        scopeBytes.withUnsafeBytes { w.raw($0) }       // ScopeSpans.scope
        for chunk in chunks { chunk.bytes.withUnsafeBytes { w.raw($0) } }  // ScopeSpans.spans, framed
        return w.bytes
    }

    static func varintSize(_ value: Int) -> Int {
        var n = 1
        var v = UInt64(value) >> 7
        while v > 0 {
            n += 1
            v >>= 7
        }
        return n
    }

    static func span(_ s: SpanData, _ w: inout ProtobufWriter) {
        w.id(1, hi: s.traceID.hi, lo: s.traceID.lo)                 // trace_id
        w.id(2, s.spanID.rawValue)                                  // span_id
        w.string(3, s.traceState)                                   // trace_state
        if s.parentSpanID.isValid { w.id(4, s.parentSpanID.rawValue) }  // parent_span_id
        w.string(5, s.name)                                         // name
        w.uint(6, kind(s.kind))                                     // kind
        w.fixed64(7, s.startUnixNanos)                              // start_time_unix_nano
        w.fixed64(8, s.endUnixNanos)                                // end_time_unix_nano
        keyValues(9, s.attributes, &w)                              // attributes
        for e in s.events {                                         // events = 11
            w.message(11) { w in
                w.fixed64(1, e.timeUnixNanos)
                w.string(2, e.name)
                keyValues(3, e.attributes, &w)
            }
        }
        for l in s.links {                                          // links = 13
            w.message(13) { w in
                w.id(1, hi: l.traceID.hi, lo: l.traceID.lo)
                w.id(2, l.spanID.rawValue)
                w.string(3, l.traceState)
                keyValues(4, l.attributes, &w)
                w.fixed32(6, OTLPEncoder.flags(sampled: l.sampledFlag, isRemote: l.isRemote))
            }
        }
        switch s.status {                                           // status = 15 { message = 2, code = 3 }
        case .unset: break
        case .ok: w.message(15) { w in w.uint(3, 1) }
        case .error(let message):
            w.message(15) { w in
                w.string(2, message)
                w.uint(3, 2)
            }
        }
        w.fixed32(16, OTLPEncoder.flags(sampled: s.sampledFlag, isRemote: s.parentIsRemote))  // flags
    }

    /// SpanKind: INTERNAL = 1, SERVER = 2, CLIENT = 3.
    static func kind(_ kind: SpanData.Kind) -> UInt64 {
        switch kind {
        case .internal: 1
        case .server: 2
        case .client: 3
        }
    }

    /// Repeated `KeyValue { key = 1, value = 2 AnyValue { string 1 | bool 2 | int 3 | double 4 } }`.
    static func keyValues(_ field: UInt32, _ attributes: [SpanAttribute], _ w: inout ProtobufWriter) {
        for a in attributes {
            w.message(field) { w in
                w.string(1, a.key)
                w.message(2) { w in
                    switch a.value {
                    case .string(let s): w.stringAlways(1, s)
                    case .bool(let b):
                        w.tag(2, .varint)
                        w.varint(b ? 1 : 0)
                    case .int(let i):
                        w.tag(3, .varint)
                        w.varint(UInt64(bitPattern: i))
                    case .double(let d): w.fixed64Always(4, d.bitPattern)
                    }
                }
            }
        }
    }
}
