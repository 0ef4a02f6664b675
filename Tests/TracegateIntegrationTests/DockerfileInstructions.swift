// DockerfileInstructions: a structural reading of deploy/Dockerfile (no Docker engine needed).
import Foundation

/// The instructions of a Dockerfile grouped into build stages.
///
/// Why a parser and not a build: there is no Docker engine on the test machines. What can go wrong
/// structurally (a root runtime, a missing EXPOSE or HEALTHCHECK, a remote ADD, a runtime stage
/// that does not take the binary from the builder) is visible in the instructions themselves.
/// Handles comments, parser directives, `\` continuations and `AS name`; not heredocs.
struct DockerfileInstructions {
    /// One instruction: its keyword upper-cased and its arguments as written (continuations joined).
    struct Instruction {
        var keyword: String
        var arguments: String
        /// 1-based line where it starts.
        var line: Int
    }

    /// One `FROM` and everything up to the next.
    struct Stage {
        /// The image after `FROM` (flags such as `--platform` removed).
        var image: String
        /// The name after `AS`, lower-cased, if any.
        var name: String?
        var instructions: [Instruction]

        /// The instructions with `keyword`.
        func all(_ keyword: String) -> [Instruction] {
            instructions.filter { $0.keyword == keyword }
        }
    }

    /// Instructions before the first `FROM` (only `ARG` is legal there).
    var preamble: [Instruction] = []
    var stages: [Stage] = []

    init(parsing text: String) {
        var pending: (text: String, line: Int)?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            // Comments (and parser directives) are whole lines, also inside a continuation.
            if trimmed.hasPrefix("#") { continue }
            if trimmed.isEmpty && pending == nil { continue }
            let continues = trimmed.hasSuffix("\\")
            let piece = continues ? String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces) : trimmed
            if var current = pending {
                current.text += current.text.isEmpty || piece.isEmpty ? piece : " " + piece
                pending = current
            } else {
                pending = (piece, index + 1)
            }
            if !continues, let complete = pending {
                add(complete.text, line: complete.line)
                pending = nil
            }
        }
        if let complete = pending { add(complete.text, line: complete.line) }
    }

    private mutating func add(_ text: String, line: Int) {
        let parts = text.split(separator: " ", maxSplits: 1)
        guard let first = parts.first else { return }
        let instruction = Instruction(
            keyword: first.uppercased(), arguments: parts.count > 1 ? String(parts[1]) : "", line: line)
        if instruction.keyword == "FROM" {
            let words = instruction.arguments.split(separator: " ").map(String.init).filter { !$0.hasPrefix("--") }
            let name = words.count >= 3 && words[1].uppercased() == "AS" ? words[2].lowercased() : nil
            stages.append(Stage(image: words.first ?? "", name: name, instructions: []))
        } else if stages.isEmpty {
            preamble.append(instruction)
        } else {
            stages[stages.count - 1].instructions.append(instruction)
        }
    }

    /// The words of an exec-form (`["a", "b"]`) or shell-form argument string.
    static func words(_ arguments: String) -> [String] {
        let trimmed = arguments.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("["), let data = trimmed.data(using: .utf8),
           let array = try? JSONSerialization.jsonObject(with: data) as? [String] {
            return array
        }
        return trimmed.split(separator: " ").map(String.init)
    }
}
