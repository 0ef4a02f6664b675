// OutlierDetectorConfiguration+Decoding.swift — reads `clusters[i].outlier_detection`.

import TracegateResilience

extension OutlierDetector.Configuration {
    static let keys = [
        "consecutive_5xx", "consecutive_gateway_failures", "base_ejection_time", "max_ejection_time",
        "max_ejection_percent", "always_eject_one", "decay_interval",
    ]

    /// Reads `outlier_detection:`; absent keys take `OutlierDetector.Configuration.default`'s
    /// values (Envoy's), except that an absent `max_ejection_time` is at least
    /// `base_ejection_time` (Envoy: "300s or base_ejection_time, whichever is larger"). nil when
    /// anything is wrong (reported).
    static func decode(_ field: Field, _ diagnostics: inout Diagnostics) -> OutlierDetector.Configuration? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let before = diagnostics.count
        let consecutive5xx = mapping["consecutive_5xx"]?.int(&diagnostics)
        let gatewayFailures = mapping["consecutive_gateway_failures"]?.int(&diagnostics)
        let baseEjection = mapping["base_ejection_time"]?.nanoseconds(&diagnostics)
        let maxEjection = mapping["max_ejection_time"]?.nanoseconds(&diagnostics)
        let maxPercent = mapping["max_ejection_percent"]?.int(&diagnostics)
        let alwaysEjectOne = mapping["always_eject_one"]?.bool(&diagnostics)
        let decayInterval = mapping["decay_interval"]?.nanoseconds(&diagnostics)
        guard diagnostics.count == before else { return nil }
        let defaults = OutlierDetector.Configuration.default
        let durations: Set<String> = ["base_ejection_time", "max_ejection_time", "decay_interval"]
        return mapping.resilience(durations: durations, &diagnostics) {
            (v: ResilienceValues) throws(ResilienceConfigError) in
            let base = v.pick("base_ejection_time", baseEjection, or: defaults.baseEjectionTime)
            return try OutlierDetector.Configuration(
                consecutive5xx: v.pick("consecutive_5xx", consecutive5xx, or: defaults.consecutive5xx),
                consecutiveGatewayFailures: v.pick(
                    "consecutive_gateway_failures",
                    gatewayFailures,
                    or: defaults.consecutiveGatewayFailures
                ),
                baseEjectionTime: base,
                maxEjectionTime: v.pick(
                    "max_ejection_time",
                    maxEjection,
                    or: Swift.max(defaults.maxEjectionTime, base)
                ),
                maxEjectionPercent: v.pick("max_ejection_percent", maxPercent, or: defaults.maxEjectionPercent),
                alwaysEjectOne: alwaysEjectOne ?? defaults.alwaysEjectOne,
                decayInterval: v.pick("decay_interval", decayInterval, or: defaults.decayInterval)
            )
        }
    }
}
