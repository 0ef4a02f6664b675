// Suggestion.swift — "did you mean" for misspelt keys and enum values.

/// Finds the candidate closest to a misspelling, for `did you mean "max_idle"?` hints.
enum Suggestion {
    /// The closest candidate within a small edit distance, or nil when none is close enough.
    ///
    /// The threshold grows with the word (1 edit up to 4 characters, 2 up to 8, 3 beyond) so that
    /// short keys are not "corrected" into unrelated ones. Case differences cost nothing.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = Array(word.lowercased().utf8)
        let threshold = lowered.count <= 4 ? 1 : (lowered.count <= 8 ? 2 : 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, Array(candidate.lowercased().utf8))
            if distance <= threshold, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// ` (did you mean "x"?)` or the empty string.
    static func hint(for word: String, among candidates: [String]) -> String {
        guard let match = closest(to: word, among: candidates) else { return "" }
        return " (did you mean \"\(match)\"?)"
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
    /// transpositions (the typo "max_idel" is one edit from "max_idle").
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
