// ConfigError.swift — one configuration problem, with the key path that caused it.

/// One problem found in a configuration, located by its key path.
///
/// Why a key path and not a line number: the same message must make sense for a YAML file, for the
/// quick-mode command line (`--to[1]`), and for the file itself (`<file>`). Key paths use the YAML
/// spelling: `listeners[0].address`, `clusters[1].pool.max_idle`, `context.correlation.header`.
///
/// Special key paths:
/// - `<file>`: the file could not be read (missing, a directory, not UTF-8).
/// - `<yaml>`: the text is not well-formed YAML; the reason starts with `line L, column C:`.
/// - `<root>`: the document is empty or is not a mapping.
/// - `--listen`, `--to[i]`, `--admin`, `--workers`, `--trust[i]`, `--tls-cert`, `--tls-key`,
///   `--to-ca`, `--mirror`, `--mirror-fraction`, `--retries`, `--retry-budget`: quick-mode flags.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the problem is, e.g. `routes[2].cluster`.
    public var keyPath: String
    /// What is wrong, e.g. `unknown cluster "paymnets"`.
    public var reason: String

    /// Creates an error for `keyPath` with a human-readable `reason`.
    public init(keyPath: String, reason: String) {
        self.keyPath = keyPath
        self.reason = reason
    }

    /// `keyPath: reason`, e.g. `routes[2].cluster: unknown cluster "paymnets"`.
    public var description: String { "\(keyPath): \(reason)" }
}

/// Every problem found in one configuration, in document order.
///
/// Thrown by the loaders only when at least one error was found; a configuration is never
/// half-applied (DESIGN.md principle 5: fail loud at start-up, never mid-flight).
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order they appear in the source document.
    public var errors: [ConfigError]

    /// Wraps a list of errors.
    public init(errors: [ConfigError]) {
        self.errors = errors
    }

    /// Convenience for a single error.
    public init(_ error: ConfigError) {
        self.errors = [error]
    }

    /// One error per line, `keyPath: reason`.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
