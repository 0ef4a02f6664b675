// OTLPProto.swift — short names for the generated OTLP messages.

/// Short names for the generated types in `Generated/`, whose full names repeat the proto package.
enum OTLPProto {
    typealias ExportRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
    typealias ExportResponse = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse
    typealias ResourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans
    typealias ScopeSpans = Opentelemetry_Proto_Trace_V1_ScopeSpans
    typealias Span = Opentelemetry_Proto_Trace_V1_Span
    typealias Status = Opentelemetry_Proto_Trace_V1_Status
    typealias SpanFlags = Opentelemetry_Proto_Trace_V1_SpanFlags
    typealias Resource = Opentelemetry_Proto_Resource_V1_Resource
    typealias Scope = Opentelemetry_Proto_Common_V1_InstrumentationScope
    typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue
    typealias AnyValue = Opentelemetry_Proto_Common_V1_AnyValue
}
