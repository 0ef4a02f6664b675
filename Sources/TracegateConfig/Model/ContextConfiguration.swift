// ContextConfiguration.swift — request context: sampling, ids, baggage, sanitising, debug.

/// `context:` — everything the edge decision needs to give each request a trace context, a
/// correlation id and a session id, and to strip what untrusted clients must not control.
public struct ContextConfiguration: Sendable, Equatable {
    /// `enabled`. Default true. False turns the edge off entirely: no trace context, correlation or
    /// session ids, baggage filtering, sanitisation or debug handling — a plain reverse proxy
    /// (X-Forwarded-* and Via are still set). For comparisons and emergencies.
    public var enabled: Bool
    /// `sampling_ratio`. Default 1.0. 0.0...1.0. Fraction of new traces (started here) that are
    /// sampled; continued traces keep the caller's decision (W3C Trace Context §3.2.2.3).
    public var samplingRatio: Double
    /// `sampler`. Default `parent_based`. Whether a continued trace keeps its caller's decision
    /// (`parent_based`) or is sampled by `sampling_ratio` from its trace id too (`trace_id_ratio`).
    public var sampler: SamplerSetting
    /// `correlation`.
    public var correlation: CorrelationConfiguration
    /// `session`.
    public var session: SessionConfiguration
    /// `baggage`.
    public var baggage: BaggageConfiguration
    /// `sanitize`.
    public var sanitize: SanitizeConfiguration
    /// `debug`.
    public var debug: DebugConfiguration

    /// The defaults.
    public init(
        enabled: Bool = true,
        samplingRatio: Double = 1.0,
        sampler: SamplerSetting = .parentBased,
        correlation: CorrelationConfiguration = CorrelationConfiguration(),
        session: SessionConfiguration = SessionConfiguration(),
        baggage: BaggageConfiguration = BaggageConfiguration(),
        sanitize: SanitizeConfiguration = SanitizeConfiguration(),
        debug: DebugConfiguration = DebugConfiguration()
    ) {
        self.enabled = enabled
        self.samplingRatio = samplingRatio
        self.sampler = sampler
        self.correlation = correlation
        self.session = session
        self.baggage = baggage
        self.sanitize = sanitize
        self.debug = debug
    }
}
