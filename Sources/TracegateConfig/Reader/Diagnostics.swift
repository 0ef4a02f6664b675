// Diagnostics.swift — collects every configuration error, then orders them as the document does.

import Yams

/// Collects errors while the whole tree is read, so that one run reports all of them.
///
/// Errors are reported in the order the decoder happens to check them (sections are decoded in
/// dependency order, cross-references last), then sorted by their position in the YAML text so
/// the user reads them top to bottom. Errors with no position (quick mode) keep their order.
struct Diagnostics: Sendable {
    private struct Entry: Sendable {
        var error: ConfigError
        var line: Int
        var column: Int
        var sequence: Int
    }

    private var entries: [Entry] = []

    /// True when nothing was reported.
    var isEmpty: Bool { entries.isEmpty }

    /// Number of errors reported so far; lets a decoder tell whether a part added errors.
    var count: Int { entries.count }

    /// Records `reason` at `path`, located at `mark` in the source (if known).
    mutating func report(_ path: ConfigPath, _ reason: String, at mark: Mark?) {
        entries.append(
            Entry(
                error: ConfigError(keyPath: path.description, reason: reason),
                line: mark?.line ?? Int.max,
                column: mark?.column ?? Int.max,
                sequence: entries.count
            )
        )
    }

    /// The errors in document order (line, then column, then order reported).
    var errors: [ConfigError] {
        entries.sorted { lhs, rhs in
            if lhs.line != rhs.line { return lhs.line < rhs.line }
            if lhs.column != rhs.column { return lhs.column < rhs.column }
            return lhs.sequence < rhs.sequence
        }.map(\.error)
    }
}
