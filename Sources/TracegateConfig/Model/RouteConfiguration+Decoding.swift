// RouteConfiguration+Decoding.swift — reads `routes[i]`.

import TracegateResilience

extension RouteConfiguration {
    static let keys = ["name", "match", "cluster", "timeout", "retry", "mirror", "fault"]
    static let matchKeys = ["host", "path_prefix"]

    /// Reads one route; nil when it is not a mapping or has no cluster (reported).
    /// - Parameter defaultTimeout: `timeouts.upstream_response`, used when `timeout` is absent.
    static func decode(
        _ field: Field,
        index: Int,
        defaultTimeout: Duration,
        _ diagnostics: inout Diagnostics
    ) -> Decoded<Self>? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let name = mapping["name"]?.nonEmptyString(&diagnostics) ?? "route-\(index)"
        let cluster = mapping.required("cluster", &diagnostics)?.nonEmptyString(&diagnostics)
        var route = RouteConfiguration(name: name, cluster: cluster ?? "", timeout: defaultTimeout)
        if let matchField = mapping["match"], let match = matchField.mapping(keys: matchKeys, &diagnostics) {
            if let value = match["host"]?.validated(&diagnostics, HostMatch.parseChecked) {
                route.match.host = value
            }
            if let value = match["path_prefix"]?.validated(&diagnostics, RouteMatch.checkPathPrefix) {
                route.match.pathPrefix = value
            }
        }
        if let value = mapping["timeout"]?.duration(max: .seconds(86_400), &diagnostics) {
            route.timeout = value
        }
        if let retryField = mapping["retry"] { route.retry = RetryPolicy.decode(retryField, &diagnostics) }
        if let mirrorField = mapping["mirror"] { route.mirror = MirrorConfiguration.decode(mirrorField, &diagnostics) }
        if let faultField = mapping["fault"] { route.fault = FaultInjection.decode(faultField, &diagnostics) }
        return cluster == nil ? nil : Decoded(value: route, mapping: mapping)
    }
}
