// OTLPEncoder.swift — spans to a serialized ExportTraceServiceRequest.
import SwiftProtobuf

/// Turns spans into the body of an OTLP/HTTP protobuf export request.
///
/// One `ResourceSpans` with one `ScopeSpans` per request: every span of a Tracegate process shares
/// the same resource and scope, so grouping further would only add bytes.
public enum OTLPEncoder {
    /// The serialized `ExportTraceServiceRequest` for `spans`, written directly in the wire format
    /// (`OTLPWireEncoder`): the same bytes as ``request(resource:spans:)`` serialized by
    /// swift-protobuf, at a fraction of the cost.
    public static func encode(resource: TelemetryResource, spans: some Collection<SpanData>) -> [UInt8] {
        OTLPWireEncoder.encode(resource: resource, spans: spans)
    }

    /// The request as generated swift-protobuf messages: the reference `encode` is checked against,
    /// byte for byte, in the tests.
    static func request(resource: TelemetryResource, spans: some Sequence<SpanData>) -> OTLPProto.ExportRequest {
        var scopeSpans = OTLPProto.ScopeSpans()
        scopeSpans.scope = scope(resource)
        scopeSpans.spans = spans.map(span)
        var resourceSpans = OTLPProto.ResourceSpans()
        resourceSpans.resource = OTLPProto.Resource.with { $0.attributes = keyValues(resource.attributes) }
        resourceSpans.scopeSpans = [scopeSpans]
        var request = OTLPProto.ExportRequest()
        request.resourceSpans = [resourceSpans]
        return request
    }

    static func scope(_ resource: TelemetryResource) -> OTLPProto.Scope {
        var scope = OTLPProto.Scope()
        scope.name = resource.scopeName
        scope.version = resource.scopeVersion
        return scope
    }
}
