// TracegateConfiguration+Decoding.swift — reads the top-level mapping.

import Yams

extension TracegateConfiguration {
    static let keys = [
        "workers", "admin", "listeners", "routes", "clusters", "limits", "timeouts", "context", "access_log",
        "telemetry",
    ]

    /// Reads the whole tree, then checks references between sections. Every problem is reported
    /// to `diagnostics`; the result is meaningful only when none was.
    /// - Parameter files: resolves and checks the file paths the configuration names.
    static func decode(
        root: Node,
        sourceHash: String,
        files: FilePaths,
        _ diagnostics: inout Diagnostics
    ) -> TracegateConfiguration? {
        let rootField = Field(node: root, path: .root)
        guard let mapping = rootField.mapping(keys: keys, &diagnostics) else { return nil }
        var config = TracegateConfiguration(listeners: [], routes: [], clusters: [], sourceHash: sourceHash)
        if let value = mapping["workers"]?.int(in: 0...256, &diagnostics) { config.workers = value }
        if let field = mapping["admin"] { config.admin = AdminConfiguration(decoding: field, &diagnostics) }
        if let field = mapping["limits"] { config.limits = LimitsConfiguration(decoding: field, &diagnostics) }
        if let field = mapping["timeouts"] { config.timeouts = TimeoutsConfiguration(decoding: field, &diagnostics) }
        if let field = mapping["context"] { config.context = ContextConfiguration(decoding: field, &diagnostics) }
        if let field = mapping["access_log"] {
            config.accessLog = AccessLogConfiguration(decoding: field, &diagnostics)
        }
        if let field = mapping["telemetry"] { config.telemetry = TelemetryConfiguration(decoding: field, &diagnostics) }
        let listeners = decodeList(mapping, "listeners", what: "listener", &diagnostics) { field, index, diagnostics in
            ListenerConfiguration.decode(field, index: index, files, &diagnostics)
        }
        let clusters = decodeList(mapping, "clusters", what: "cluster", &diagnostics) { field, _, diagnostics in
            ClusterConfiguration.decode(field, files, &diagnostics)
        }
        let defaultTimeout = config.timeouts.upstreamResponse
        let routes = decodeList(mapping, "routes", what: "route", &diagnostics) { field, index, diagnostics in
            RouteConfiguration.decode(field, index: index, defaultTimeout: defaultTimeout, &diagnostics)
        }
        config.listeners = listeners.map(\.value)
        config.clusters = clusters.map(\.value)
        config.routes = routes.map(\.value)
        let adminField = mapping["admin"]?.child("address") ?? mapping["admin"] ?? mapping.field
        Validation.check(
            admin: (config.admin.address, adminField),
            listeners: listeners,
            routes: routes,
            clusters: clusters,
            &diagnostics
        )
        return config
    }

    /// Reads a required, non-empty list of mappings; items that fail are reported and dropped.
    private static func decodeList<T>(
        _ mapping: MappingReader,
        _ key: String,
        what: String,
        _ diagnostics: inout Diagnostics,
        item: (Field, Int, inout Diagnostics) -> Decoded<T>?
    ) -> [Decoded<T>] {
        guard let field = mapping.required(key, &diagnostics), let items = field.sequence(&diagnostics) else {
            return []
        }
        if items.isEmpty { field.report("at least one \(what) is required", &diagnostics) }
        return items.enumerated().compactMap { item($0.element, $0.offset, &diagnostics) }
    }
}
