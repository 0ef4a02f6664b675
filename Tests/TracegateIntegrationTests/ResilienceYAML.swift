// ResilienceYAML: the configs of the resilience suites (one route and one cluster named api).

/// The YAML of the resilience suites: one listener, one route `api` (every path) to the cluster
/// `api`, one worker, the admin listener. Keys as `docs/CONFIG.md` names them.
enum ResilienceYAML {
    /// - Parameters:
    ///   - endpoints: the cluster's endpoints.
    ///   - routeTimeout: the route's `timeout` (the attempt timeout when there is no `per_try_timeout`).
    ///   - retry: the route's `retry:` flow mapping (without the key), e.g. `{max_attempts: 3}`.
    ///   - cluster: further cluster keys, each a full YAML line at cluster indentation (4 spaces).
    ///   - routes: further routes to the same cluster, each a flow mapping, placed before `api`.
    ///   - extra: top-level YAML appended (telemetry, context…).
    static func config(endpoints: [String], routeTimeout: String = "5s", retry: String? = nil, cluster: [String] = [],
                       routes: [String] = [], extra: String = "") -> String {
        let endpointList = endpoints.map { "\"\($0)\"" }.joined(separator: ", ")
        var yaml = """
        workers: 1
        admin: { address: "127.0.0.1:0" }
        listeners:
          - { name: public, address: "127.0.0.1:0" }
        routes:

        """
        for route in routes { yaml += "  - \(route)\n" }
        yaml += """
          - name: api
            match: { path_prefix: "/" }
            cluster: api
            timeout: \(routeTimeout)

        """
        if let retry { yaml += "    retry: \(retry)\n" }
        yaml += """
        clusters:
          - name: api
            endpoints: [\(endpointList)]
            balancing: round_robin

        """
        for line in cluster { yaml += "    \(line)\n" }
        yaml += extra
        return yaml + "\n"
    }

    /// `telemetry:` exporting to `receiver` every 100 ms, and `context:` sampling `ratio` of the
    /// requests that arrive without a sampled `traceparent`.
    static func telemetry(_ receiver: String, samplingRatio: Double = 1.0, alwaysExportErrors: Bool = true) -> String {
        """
        context: { sampling_ratio: \(samplingRatio) }
        telemetry:
          service_name: edge-resilience
          always_export_errors: \(alwaysExportErrors)
          otlp: { endpoint: "\(receiver)", schedule_delay: 100ms }
        """
    }
}
