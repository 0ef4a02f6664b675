// ClusterConfiguration+Decoding.swift — reads `clusters[i]`.

import TracegateResilience

extension ClusterConfiguration {
    static let keys = [
        "name", "endpoints", "balancing", "connect_timeout", "pool", "protocol", "tls", "http2", "retry_budget",
        "circuit_breakers", "outlier_detection",
    ]

    /// Reads one cluster; nil when it is not a mapping or has no name (reported). `h2` and `auto`
    /// get the default `tls` when none is written; whether `tls` and `http2` suit the protocol
    /// is checked by `Validation`.
    /// - Parameter files: resolves and checks the TLS file paths.
    static func decode(_ field: Field, _ files: FilePaths, _ diagnostics: inout Diagnostics) -> Decoded<Self>? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let name = mapping.required("name", &diagnostics)?.nonEmptyString(&diagnostics)
        var cluster = ClusterConfiguration(name: name ?? "", endpoints: [])
        if let endpointsField = mapping.required("endpoints", &diagnostics) {
            cluster.endpoints = decodeEndpoints(endpointsField, &diagnostics)
        }
        if let value = mapping["balancing"]?.oneOf(Balancing.self, &diagnostics) {
            cluster.balancing = value
        }
        if let value = mapping["connect_timeout"]?.duration(max: .seconds(86_400), &diagnostics) {
            cluster.connectTimeout = value
        }
        if let poolField = mapping["pool"] {
            cluster.pool = PoolConfiguration(decoding: poolField, &diagnostics)
        }
        if let value = mapping["protocol"]?.oneOf(UpstreamProtocol.self, &diagnostics) {
            cluster.protocol = value
        }
        if let tlsField = mapping["tls"] {
            cluster.tls = UpstreamTLSConfiguration(decoding: tlsField, files, &diagnostics)
        } else if cluster.protocol.requiresTLS {
            cluster.tls = UpstreamTLSConfiguration()
        }
        if let http2Field = mapping["http2"] {
            cluster.http2 = UpstreamHTTP2Configuration(decoding: http2Field, &diagnostics)
        }
        if let value = mapping["retry_budget"].flatMap({ RetryBudget.Configuration.decode($0, &diagnostics) }) {
            cluster.retryBudget = value
        }
        if let value = mapping["circuit_breakers"].flatMap({ CircuitBreakersConfiguration.decode($0, &diagnostics) }) {
            cluster.circuitBreakers = value
        }
        if let field = mapping["outlier_detection"] {
            cluster.outlierDetection = OutlierDetector.Configuration.decode(field, &diagnostics)
        }
        return name == nil ? nil : Decoded(value: cluster, mapping: mapping)
    }

    /// At least one endpoint, no duplicates.
    private static func decodeEndpoints(_ field: Field, _ diagnostics: inout Diagnostics) -> [SocketAddressSpec] {
        guard let items = field.sequence(&diagnostics) else { return [] }
        if items.isEmpty { field.report("at least one endpoint is required", &diagnostics) }
        var endpoints: [SocketAddressSpec] = []
        for item in items {
            guard let endpoint = item.endpointAddress(&diagnostics) else { continue }
            if endpoints.contains(endpoint) {
                item.report("duplicate endpoint \(endpoint)", &diagnostics)
                continue
            }
            endpoints.append(endpoint)
        }
        return endpoints
    }
}
