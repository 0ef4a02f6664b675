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
        }
    }

    /// Matches `name` (any case) against the built-ins, dispatching on the first letter.
    static func match(_ name: UnsafeRawBufferPointer) -> BuiltInStrip? {
        guard let first = name.first else { return nil }
        switch ASCII.lower(first) {
        case 0x62:  // b
            return equals(name, "b3") ? .b3 : nil
        case 0x75:  // u
            if equals(name, "uber-trace-id") { return .uberTraceID }
            return starts(name, "uberctx-") ? .uberctx : nil
        case 0x6F:  // o
            return starts(name, "ot-tracer-") ? .otTracer : nil
        case 0x67:  // g
            return equals(name, "grpc-trace-bin") ? .grpcTraceBin : nil
        case 0x78:  // x
            if starts(name, "x-b3-") { return .xB3 }
            if starts(name, "x-datadog-") { return .xDatadog }
            if equals(name, "x-amzn-trace-id") { return .xAmznTraceID }
            if equals(name, "x-cloud-trace-context") { return .xCloudTraceContext }
            return starts(name, "x-tracegate-") ? .xTracegate : nil
        default:
            return nil
        }
    }

    private static func equals(_ name: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        ASCII.equalIgnoringCase(name, literal.rawBytes)
    }

    private static func starts(_ name: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        ASCII.hasPrefixIgnoringCase(name, literal.rawBytes)
    }
}
