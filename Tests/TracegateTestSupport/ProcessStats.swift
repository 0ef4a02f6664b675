import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Resource readings of a process from `/proc` (Linux, proc(5)), for leak checks: run a
/// load, read again, compare.
public enum ProcessStats {
    /// Resident set size in bytes (`VmRSS` of `/proc/<pid>/status`, reported in kB).
    public static func rss(pid: Int32) throws(TestSupportError) -> Int {
        let path = "/proc/\(pid)/status"
        let text = try readProcFile(path)
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        throw .malformed(what: path, detail: "no VmRSS line")
    }

    /// Number of open file descriptors (entries of `/proc/<pid>/fd`).
    public static func openFileCount(pid: Int32) throws(TestSupportError) -> Int {
        let path = "/proc/\(pid)/fd"
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).count
        } catch {
            throw .file(path: path, message: "\(error)")
        }
    }

    /// Number of threads (`Threads` of `/proc/<pid>/status`).
    public static func threadCount(pid: Int32) throws(TestSupportError) -> Int {
        let path = "/proc/\(pid)/status"
        for line in try readProcFile(path).split(separator: "\n") where line.hasPrefix("Threads:") {
            if let count = Int(line.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) { return count }
        }
        throw .malformed(what: path, detail: "no Threads line")
    }

    /// Reads a /proc file to its end. Its reported size is 0, and one `read` returns at
    /// most a page, so this loops until EOF.
    public static func readProcFile(_ path: String) throws(TestSupportError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .file(path: path, message: "cannot open: \(TestSupportError.describe(errno: errno))") }
        defer { close(fd) }
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 {
                throw .file(path: path, message: "read failed: \(TestSupportError.describe(errno: errno))")
            } else {
                return String(decoding: bytes, as: UTF8.self)
            }
        }
    }
}
