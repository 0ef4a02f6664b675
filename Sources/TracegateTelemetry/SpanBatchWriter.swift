// SpanBatchWriter.swift — writing spans straight into their wire format.
import TracegateContext

/// Writes whole spans into one buffer, for callers that hold their facts as bytes (the proxy's
/// request records): no `String`, array or message object is created per attribute.
///
/// `span(_:_:)` writes the ids, lets `body` write the name, attributes, events, links and status
/// (``SpanFields``), then writes the kind, times and flags. Protobuf readers accept fields in any
/// order; ``span(_:)`` writes a `SpanData` in canonical order for callers that have one.
public struct SpanBatchWriter {
    /// The identity and timing of one span.
    public struct Header {
        public var traceID: TraceID
        public var spanID: SpanID
        /// `SpanID.invalid` for a root span.
        public var parentSpanID: SpanID
        public var kind: SpanData.Kind
        public var startUnixNanos: UInt64
        public var endUnixNanos: UInt64
        public var sampled: Bool
        public var parentIsRemote: Bool

        public init(traceID: TraceID, spanID: SpanID, parentSpanID: SpanID, kind: SpanData.Kind,
                    startUnixNanos: UInt64, endUnixNanos: UInt64, sampled: Bool, parentIsRemote: Bool) {
            self.traceID = traceID
            self.spanID = spanID
            self.parentSpanID = parentSpanID
            self.kind = kind
            self.startUnixNanos = startUnixNanos
            self.endUnixNanos = endUnixNanos
            self.sampled = sampled
            self.parentIsRemote = parentIsRemote
        }
    }

    var fields: SpanFields
    public private(set) var count = 0

    public init(capacity: Int = 2048) { fields = SpanFields(w: ProtobufWriter(capacity: capacity)) }

    /// One span: `header`, then whatever `body` writes.
    public mutating func span(_ header: Header, _ body: (inout SpanFields) -> Void) {
        let lengthAt = fields.w.openMessage(2)                          // ScopeSpans.spans
        fields.w.id(1, hi: header.traceID.hi, lo: header.traceID.lo)    // trace_id
        fields.w.id(2, header.spanID.rawValue)                          // span_id
        if header.parentSpanID.isValid { fields.w.id(4, header.parentSpanID.rawValue) }
        body(&fields)
        fields.w.uint(6, OTLPWireEncoder.kind(header.kind))             // kind
        fields.w.fixed64(7, header.startUnixNanos)
        fields.w.fixed64(8, header.endUnixNanos)
        fields.w.fixed32(16, OTLPEncoder.flags(sampled: header.sampled, isRemote: header.parentIsRemote))
        fields.w.closeMessage(lengthAt)
        count += 1
    }

    /// One span from its plain-value form, in canonical field order.
    public mutating func span(_ data: SpanData) {
        fields.w.message(2) { w in OTLPWireEncoder.span(data, &w) }
        count += 1
    }

    /// The spans written so far.
    public func finish() -> EncodedSpans { EncodedSpans(bytes: fields.w.bytes, count: count) }
}
