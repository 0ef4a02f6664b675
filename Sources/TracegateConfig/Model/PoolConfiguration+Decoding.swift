// PoolConfiguration+Decoding.swift — reads `clusters[i].pool`.

extension PoolConfiguration {
    static let keys = ["max_connections", "max_idle", "idle_timeout"]

    /// Reads `pool:`; absent keys keep their defaults. `max_idle` may not exceed
    /// `max_connections` (idle connections are a subset of open ones).
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        let maxConnections = mapping["max_connections"].map { $0.int(in: 1...65_535, &diagnostics) }
        let maxIdle = mapping["max_idle"].map { $0.int(in: 0...65_535, &diagnostics) }
        if let value = maxConnections ?? nil { self.maxConnections = value }
        if let value = maxIdle ?? nil { self.maxIdle = value }
        if let value = mapping["idle_timeout"]?.duration(max: .seconds(86_400), &diagnostics) {
            idleTimeout = value
        }
        // Only compare values that were read successfully (or defaulted), never a bad one.
        let bothValid = (maxConnections.map { $0 != nil } ?? true) && (maxIdle.map { $0 != nil } ?? true)
        if bothValid, self.maxIdle > self.maxConnections {
            let reason = "must not exceed max_connections (\(self.maxIdle) > \(self.maxConnections))"
            if let idleField = mapping["max_idle"] {
                idleField.report(reason, &diagnostics)
            } else {
                diagnostics.report(field.path.key("max_idle"), reason, at: mapping["max_connections"]?.mark)
            }
        }
    }
}
