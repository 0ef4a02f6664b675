import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A fresh private directory (`mkdtemp`) removed with everything in it when the value is
/// released, for configs, certificates, curl dumps and upload files.
///
/// A class because removal on `deinit` is the point: a failing test still cleans up.
public final class TempDir: Sendable {
    /// Absolute path of the directory.
    public let path: String

    /// Creates `$TMPDIR/tracegate-<prefix>-XXXXXX` (or under /tmp).
    public init(prefix: String = "test") throws(TestSupportError) {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/tracegate-\(prefix)-XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .file(path: base, message: "mkdtemp failed: errno \(errno)")
        }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` inside the directory (nothing is created).
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `contents` to `name` and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws(TestSupportError) -> String {
        try write(name, Data(contents.utf8))
    }

    /// Writes `contents` to `name` and returns its path. The write is atomic (temporary
    /// file + rename), so a process watching the file never reads half of it.
    @discardableResult
    public func write(_ name: String, _ contents: Data) throws(TestSupportError) -> String {
        let target = file(name)
        do {
            try contents.write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw .file(path: target, message: "\(error)")
        }
        return target
    }

    /// Writes `totalBytes` of `FixturePattern` to `name` (streamed, never all in memory),
    /// e.g. for `curl --data-binary @file` uploads of any size. Returns its path.
    @discardableResult
    public func writePattern(_ name: String, totalBytes: Int) throws(TestSupportError) -> String {
        let target = file(name)
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .file(path: target, message: "open failed: errno \(errno)") }
        defer { close(fd) }
        let complete = FixturePattern.forEachBlock(totalBytes: totalBytes) { block in
            var offset = 0
            while offset < block.count {
                let written = Glibc.write(fd, block.baseAddress! + offset, block.count - offset)
                if written < 0 { if errno == EINTR { continue } else { return false } }
                offset += written
            }
            return true
        }
        guard complete else { throw .file(path: target, message: "write failed: errno \(errno)") }
        return target
    }

    /// Reads `name` back.
    public func read(_ name: String) throws(TestSupportError) -> Data {
        let source = name.hasPrefix("/") ? name : file(name)
        guard let data = FileManager.default.contents(atPath: source) else {
            throw .file(path: source, message: "cannot read")
        }
        return data
    }
}
