// HeaderSanitizer+BuiltIns.swift — the built-in list of foreign trace-context headers.

/// Headers stripped from untrusted peers by default; the raw value is the ``StripLabel`` index.
enum BuiltInStrip: UInt16, CaseIterable {
    case b3 = 0                 // Zipkin B3 single header
    case xB3                    // x-b3-* (Zipkin B3 multi)
    case uberTraceID            // Jaeger
    case uberctx                // uberctx-* (Jaeger baggage)
    case otTracer               // ot-tracer-* (OpenTracing basic tracer)
    case xDatadog               // x-datadog-*
    case xAmznTraceID           // AWS X-Ray
    case xCloudTraceContext     // Google Cloud Trace
    case grpcTraceBin           // gRPC binary trace context (OpenCensus)
    case xTracegate             // x-tracegate-* (Tracegate's own namespace)
    case faultDelay             // x-tracegate-fault-delay-ms (edge-owned; counted when unauthorised)
    case faultAbort             // x-tracegate-fault-abort (edge-owned; counted when unauthorised)

    /// The metric label: lowercase name, `*` marking a prefix.
    var label: String {
        switch self {
        case .b3: return "b3"
        case .xB3: return "x-b3-*"
        case .uberTraceID: return "uber-trace-id"
        case .uberctx: return "uberctx-*"
        case .otTracer: return "ot-tracer-*"
        case .xDatadog: return "x-datadog-*"
        case .xAmznTraceID: return "x-amzn-trace-id"
        case .xCloudTraceContext: return "x-cloud-trace-context"
        case .grpcTraceBin: return "grpc-trace-bin"
        case .xTracegate: return "x-tracegate-*"
        case .faultDelay: return "x-tracegate-fault-delay-ms"
        case .faultAbort: return "x-tracegate-fault-abort"
        }
    }

    /// The name or prefix matched (lowercase).
    var pattern: String {
        isPrefix ? String(label.dropLast()) : label
    }

    /// The fault headers are edge-owned (always removed, honoured for authorised callers) and
    /// have a label here only so an unauthorised one is counted under its own name.
    var isEdgeOwned: Bool { self == .faultDelay || self == .faultAbort }

    /// `true` for the `*` families.
    var isPrefix: Bool { label.hasSuffix("*") }
}
