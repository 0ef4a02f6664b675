// OTLPEncoder.swift — spans to a serialized ExportTraceServiceRequest.
import SwiftProtobuf

/// Turns spans into the body of an OTLP/HTTP protobuf export request.
///
/// One `ResourceSpans` with one `ScopeSpans` per request: every span of a Tracegate process shares
/// the same resource and scope, so grouping further would only add bytes.
public enum OTLPEncoder {
    /// The serialized `ExportTraceServiceRequest` for `spans`.
    ///
    /// Never fails: proto3 messages without `Any` or required fields always serialize, so the
    /// impossible error is mapped to an empty request rather than making every caller handle it.
    public static func encode(resource: TelemetryResource, spans: some Sequence<SpanData>) -> [UInt8] {
        (try? request(resource: resource, spans: spans).serializedBytes()) ?? []
    }

    /// The request message (kept separate so tests and a future JSON encoding can reuse it).
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
