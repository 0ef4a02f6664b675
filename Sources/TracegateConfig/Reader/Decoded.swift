// Decoded.swift — a decoded list item together with the mapping it came from.

import Yams

/// A value read from a list item, kept with its source mapping so that checks across items
/// (unique names, references between sections) can point at the exact key that is wrong.
struct Decoded<Value> {
    var value: Value
    var mapping: MappingReader

    /// The path and position of `key` in this item, or of the item itself when the key is absent
    /// (e.g. a defaulted name).
    func location(_ key: String) -> (path: ConfigPath, mark: Mark?) {
        if let field = mapping[key] { return (field.path, field.mark) }
        return (mapping.field.path.key(key), mapping.field.mark)
    }

    /// Reports `reason` at `key` of this item.
    func report(_ key: String, _ reason: String, _ diagnostics: inout Diagnostics) {
        let (path, mark) = location(key)
        diagnostics.report(path, reason, at: mark)
    }

    /// The item's own path, e.g. `listeners[1]`.
    var path: ConfigPath { mapping.field.path }
}
