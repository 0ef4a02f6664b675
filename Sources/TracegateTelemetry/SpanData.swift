// SpanData.swift — one finished span, as plain values.
import TracegateContext

/// One finished span, as the exporter's caller hands it over.
///
/// Plain values rather than a tracer API: the data plane has already chosen the trace and span ids
/// (they went upstream in `traceparent`), so the exporter must send exactly those ids and never mint
/// its own. The caller converts its own request records into these on the control side.
public struct SpanData: Sendable, Equatable {
    /// OTLP `SpanKind`; only the kinds a proxy produces.
    public enum Kind: Sendable, Equatable {
        case server, client, `internal`
    }

    /// OTLP `Status`. `unset` is what most spans should carry: the OpenTelemetry HTTP conventions set
    /// `error` for 5xx (server) or 4xx/5xx (client) and leave success unset.
    public enum Status: Sendable, Equatable {
        case unset, ok
        case error(message: String)
    }

    public var traceID: TraceID
    public var spanID: SpanID
    /// `SpanID.invalid` for a root span (encoded as an empty `parent_span_id`).
    public var parentSpanID: SpanID
    /// The W3C `tracestate` that went with this span; may be "".
    public var traceState: String
    /// The W3C `sampled` trace flag (bit 0 of `Span.flags`).
    public var sampledFlag: Bool
    /// Whether the parent span lives in another process (it came in a `traceparent`).
    public var parentIsRemote: Bool
    public var name: String
    public var kind: Kind
    public var startUnixNanos: UInt64
    public var endUnixNanos: UInt64
    public var attributes: [SpanAttribute]
    public var events: [SpanEvent]
    public var links: [SpanLinkData]
    public var status: Status

    public init(
        traceID: TraceID,
        spanID: SpanID,
        parentSpanID: SpanID = .invalid,
        traceState: String = "",
        sampledFlag: Bool = true,
        parentIsRemote: Bool = false,
        name: String,
        kind: Kind = .internal,
        startUnixNanos: UInt64,
        endUnixNanos: UInt64,
        attributes: [SpanAttribute] = [],
        events: [SpanEvent] = [],
        links: [SpanLinkData] = [],
        status: Status = .unset
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.traceState = traceState
        self.sampledFlag = sampledFlag
        self.parentIsRemote = parentIsRemote
        self.name = name
        self.kind = kind
        self.startUnixNanos = startUnixNanos
        self.endUnixNanos = endUnixNanos
        self.attributes = attributes
        self.events = events
        self.links = links
        self.status = status
    }
}
