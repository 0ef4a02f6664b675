// Field.swift — one node of the YAML tree together with its key path.

import Yams

/// A YAML node and the key path that leads to it.
///
/// The typed readers (`Field+Scalars.swift`, `Field+Values.swift`) turn a field into a Swift value
/// or report why they cannot, so a decoder never has to build an error message by hand for a
/// type mismatch.
struct Field {
    /// The node as composed by Yams (aliases already resolved).
    let node: Node
    /// Where the node sits in the document.
    let path: ConfigPath

    /// Position in the YAML text, for ordering errors.
    var mark: Mark? { node.mark }

    /// The resolved YAML tag (`!!int`, `!!str`, `!!null`, ...) of this node; quoted scalars are
    /// always `!!str`, so `"4"` is not an integer.
    var tagName: Tag.Name { Tag.Name(rawValue: node.tag.description) }

    /// True for an explicit YAML null (`~`, `null`, or an empty value).
    var isNull: Bool {
        guard case .scalar = node else { return false }
        return tagName == .null
    }

    /// Reports `reason` at this field.
    func report(_ reason: String, _ diagnostics: inout Diagnostics) {
        diagnostics.report(path, reason, at: mark)
    }

    /// The field as a mapping with the given known keys; unknown keys are reported.
    func mapping(keys: [String], _ diagnostics: inout Diagnostics) -> MappingReader? {
        MappingReader(field: self, keys: keys, &diagnostics)
    }

    /// The items of a sequence, each with its indexed path; reports `expected a list` otherwise.
    func sequence(_ diagnostics: inout Diagnostics) -> [Field]? {
        guard case .sequence(let items) = node else {
            report("expected a list", &diagnostics)
            return nil
        }
        return items.enumerated().map { Field(node: $0.element, path: path.index($0.offset)) }
    }

    /// A list whose items are each read by `item`; items that fail are reported and left out.
    func list<T>(
        _ diagnostics: inout Diagnostics,
        item: (Field, inout Diagnostics) -> T?
    ) -> [T]? {
        guard let fields = sequence(&diagnostics) else { return nil }
        let before = diagnostics.count
        let values = fields.compactMap { item($0, &diagnostics) }
        return diagnostics.count == before ? values : nil
    }
}

/// A YAML mapping whose keys have been checked against the keys a config struct knows.
struct MappingReader {
    /// The mapping itself.
    let field: Field
    private var entries: [String: Field] = [:]

    /// Reads `field` as a mapping; reports `expected a mapping`, non-string keys, and every
    /// unknown key (with a "did you mean" hint when one of `keys` is close).
    init?(field: Field, keys: [String], _ diagnostics: inout Diagnostics) {
        guard case .mapping(let mapping) = field.node else {
            field.report("expected a mapping", &diagnostics)
            return nil
        }
        self.field = field
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                diagnostics.report(field.path, "mapping keys must be strings", at: keyNode.mark)
                continue
            }
            let key = scalar.string
            guard keys.contains(key) else {
                let hint = Suggestion.hint(for: key, among: keys)
                diagnostics.report(field.path.key(key), "unknown key \"\(key)\"\(hint)", at: keyNode.mark)
                continue
            }
            entries[key] = Field(node: value, path: field.path.key(key))
        }
    }

    /// The value of `key`, or nil when the key is absent.
    subscript(key: String) -> Field? { entries[key] }

    /// The value of `key`; reports `required key is missing` when absent.
    func required(_ key: String, _ diagnostics: inout Diagnostics) -> Field? {
        if let value = entries[key] { return value }
        diagnostics.report(field.path.key(key), "required key is missing", at: field.mark)
        return nil
    }
}

extension Field {
    /// The value of `key` when this field is a mapping that has it; no diagnostics. Used to point
    /// cross-field errors at the right line.
    func child(_ key: String) -> Field? {
        guard case .mapping(let mapping) = node else { return nil }
        for (keyNode, value) in mapping where keyNode.scalar?.string == key {
            return Field(node: value, path: path.key(key))
        }
        return nil
    }
}
