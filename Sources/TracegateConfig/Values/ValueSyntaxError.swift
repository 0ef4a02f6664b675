// ValueSyntaxError.swift — why a scalar could not be read as a typed value.

/// Why a piece of text is not a valid duration, size, address, CIDR or header name.
///
/// The reader turns it into a `ConfigError` at the key path of the value.
struct ValueSyntaxError: Error, Equatable, Sendable {
    /// A reason phrased to follow `keyPath: `, e.g. `invalid port 70000`.
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
