// SamplerSetting.swift — `context.sampler`: whether continued traces keep their caller's decision.

/// `context.sampler` — which traces `context.sampling_ratio` decides.
///
/// Both modes decide from the trace id alone (never from a counter or a random draw), which is
/// what lets every instance of a fleet, whatever its worker count, agree on every trace.
public enum SamplerSetting: String, Sendable, Equatable, CaseIterable {
    /// Default. New traces by ratio; a continued trace keeps its caller's `sampled` flag
    /// (OpenTelemetry `parentbased_traceidratio`), so a trace is never cut in two at the edge.
    case parentBased = "parent_based"
    /// Every trace by ratio, continued ones included (OpenTelemetry `traceidratio`): caps the
    /// volume of callers that sample everything. A trace the caller recorded and the ratio
    /// rejects loses Tracegate's and later hops' spans.
    case traceIDRatio = "trace_id_ratio"
}
