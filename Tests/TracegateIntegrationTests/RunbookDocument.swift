// RunbookDocument: docs/runbook.md read as the test runs it: its headings (for alert anchors)
// and its fenced blocks in order, each with its language and the section it sits in.
import Foundation

struct RunbookDocument {
    struct Block {
        /// The fence's info string: `sh`, `yaml`, `promql`…
        var language: String
        var text: String
        /// The slug of the `##` section the block is in.
        var section: String
        /// 1-based line of the opening fence, for messages.
        var line: Int
    }

    var headings: [String] = []
    var blocks: [Block] = []

    /// GitHub's anchor slugs of every heading.
    var anchors: Set<String> { Set(headings.map(Self.slug)) }

    init(text: String) {
        var section = ""
        var open: (language: String, line: Int, lines: [String])?
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if var current = open {
                if line.hasPrefix("```") {
                    blocks.append(Block(language: current.language, text: current.lines.joined(separator: "\n") + "\n",
                                        section: section, line: current.line))
                    open = nil
                } else {
                    current.lines.append(line)
                    open = current
                }
            } else if line.hasPrefix("```") {
                open = (String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), index + 1, [])
            } else if line.hasPrefix("#") {
                let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                headings.append(title)
                if line.hasPrefix("## ") { section = Self.slug(title) }
            }
        }
    }

    /// GitHub's heading anchor: lowercase, punctuation other than `-` and `_` removed, spaces to `-`.
    static func slug(_ heading: String) -> String {
        var out = ""
        for character in heading.lowercased() {
            if character == " " {
                out.append("-")
            } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
                out.append(character)
            }
        }
        return out
    }
}
