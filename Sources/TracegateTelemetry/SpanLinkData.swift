// SpanLinkData.swift — a reference from a span to another span.
import TracegateContext

/// A link from a span to another span, e.g. from a restarted trace to the client's original one.
public struct SpanLinkData: Sendable, Equatable {
    public var traceID: TraceID
    public var spanID: SpanID
    public var traceState: String
    public var sampledFlag: Bool
    /// Whether the linked span lives in another process; `nil` when unknown, which leaves the
    /// has-is-remote bit of `Link.flags` clear as the proto asks.
    public var isRemote: Bool?
    public var attributes: [SpanAttribute]

    public init(
        traceID: TraceID,
        spanID: SpanID,
        traceState: String = "",
        sampledFlag: Bool = true,
        isRemote: Bool? = nil,
        attributes: [SpanAttribute] = []
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceState = traceState
        self.sampledFlag = sampledFlag
        self.isRemote = isRemote
        self.attributes = attributes
    }
}
