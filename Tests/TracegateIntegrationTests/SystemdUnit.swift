// SystemdUnit: the sections and settings of deploy/systemd/tracegate.service.
import Foundation

/// A systemd unit file as `section → [(key, value)]`, in file order.
///
/// Why a list and not a dictionary: systemd keys may repeat (`SystemCallFilter=` twice adds both,
/// an empty assignment resets), so the tests look at every assignment of a key.
struct SystemdUnit {
    private(set) var sections: [String: [(key: String, value: String)]] = [:]

    init(parsing text: String) {
        var section = ""
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (line.hasPrefix("#") || line.hasPrefix(";") || line.isEmpty) { continue }
            if line.hasSuffix("\\") {
                line.removeLast()
                pending += line + " "
                continue
            }
            line = pending + line
            pending = ""
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: []].append((key, value))
        }
    }

    /// Every value assigned to `key` in `section`, in order.
    func values(_ section: String, _ key: String) -> [String] {
        (sections[section] ?? []).filter { $0.key == key }.map(\.value)
    }

    /// The effective value of a single-valued `key` (the last assignment wins, as in systemd).
    func value(_ section: String, _ key: String) -> String? {
        values(section, key).last
    }
}
