// TestOutput: where tests leave reports for a person to read after the run.
import Foundation

/// Where tests write what a person reads after the run (scenario numbers, metric lines, traces):
/// `$TRACEGATE_TEST_OUTPUT`, else `<package>/.build/test-output`.
enum TestOutput {
    static var directory: String {
        if let configured = ProcessInfo.processInfo.environment["TRACEGATE_TEST_OUTPUT"], !configured.isEmpty {
            return configured
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/test-output").path
    }

    /// Writes `text` to `<directory>/<name>` and returns the path.
    @discardableResult
    static func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }
}
