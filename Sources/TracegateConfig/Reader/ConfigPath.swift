// ConfigPath.swift — the YAML key path of a value being read, for error messages.

/// A key path in YAML spelling: `listeners[0].trusted_cidrs[1]`.
///
/// Built up while the reader walks the tree so that every error can name exactly where it is.
struct ConfigPath: Sendable, Equatable, CustomStringConvertible {
    /// The rendered path; empty for the document root.
    private(set) var text: String

    /// The document root.
    static let root = ConfigPath(text: "")

    /// A path that does not come from YAML (a quick-mode flag such as `--to[1]`).
    static func flag(_ name: String) -> ConfigPath { ConfigPath(text: name) }

    /// The path of `key` inside this mapping.
    func key(_ key: String) -> ConfigPath {
        ConfigPath(text: text.isEmpty ? key : "\(text).\(key)")
    }

    /// The path of item `index` (zero-based) of this sequence.
    func index(_ index: Int) -> ConfigPath {
        ConfigPath(text: "\(text)[\(index)]")
    }

    /// The rendered path; `<root>` for the document root.
    var description: String { text.isEmpty ? "<root>" : text }
}
