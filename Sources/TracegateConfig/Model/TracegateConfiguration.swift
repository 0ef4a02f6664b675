// TracegateConfiguration.swift — the whole validated configuration, as one immutable snapshot.

/// A complete, validated Tracegate configuration.
///
/// Built by `load(yaml:)`, `load(contentsOf:)`, `embeddedDefault()` or `quick(...)`; each returns
/// only when the whole tree is valid (DESIGN.md principle 5), so the data plane can use every
/// field as is. It is a plain `Sendable` value: the control side hands a snapshot to the workers
/// on start-up and on reload.
///
/// Keys are snake_case in YAML and camelCase here; see `docs/CONFIG.md` for every key.
public struct TracegateConfiguration: Sendable, Equatable {
    /// `workers`. Default 0 = one per CPU core (resolved by the caller). 0...256.
    public var workers: Int
    /// `admin`.
    public var admin: AdminConfiguration
    /// `listeners` (required, at least one).
    public var listeners: [ListenerConfiguration]
    /// `routes` (required, at least one), in match order.
    public var routes: [RouteConfiguration]
    /// `clusters` (required, at least one).
    public var clusters: [ClusterConfiguration]
    /// `limits`.
    public var limits: LimitsConfiguration
    /// `timeouts`.
    public var timeouts: TimeoutsConfiguration
    /// `context`.
    public var context: ContextConfiguration
    /// `access_log`.
    public var accessLog: AccessLogConfiguration
    /// `telemetry`.
    public var telemetry: TelemetryConfiguration
    /// 64-bit FNV-1a of the source YAML text as 16 lowercase hex digits, shown by `/debug/state`
    /// to tell which configuration is running. For quick mode it hashes a canonical rendering of
    /// the flags; for configurations built in code it is whatever the caller passed (default "").
    public var sourceHash: String

    /// A configuration built in code: everything not given takes its default. Not validated;
    /// prefer the loaders, which are.
    public init(
        workers: Int = 0,
        admin: AdminConfiguration = AdminConfiguration(),
        listeners: [ListenerConfiguration],
        routes: [RouteConfiguration],
        clusters: [ClusterConfiguration],
        limits: LimitsConfiguration = LimitsConfiguration(),
        timeouts: TimeoutsConfiguration = TimeoutsConfiguration(),
        context: ContextConfiguration = ContextConfiguration(),
        accessLog: AccessLogConfiguration = AccessLogConfiguration(),
        telemetry: TelemetryConfiguration = TelemetryConfiguration(),
        sourceHash: String = ""
    ) {
        self.workers = workers
        self.admin = admin
        self.listeners = listeners
        self.routes = routes
        self.clusters = clusters
        self.limits = limits
        self.timeouts = timeouts
        self.context = context
        self.accessLog = accessLog
        self.telemetry = telemetry
        self.sourceHash = sourceHash
    }

    /// The index in `clusters` of the cluster called `name`, for building routing tables that
    /// refer to clusters by position.
    public func clusterIndex(named name: String) -> Int? {
        clusters.firstIndex { $0.name == name }
    }
}
