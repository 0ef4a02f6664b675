// FilePaths.swift — resolves the file paths a configuration names and checks they can be read.

import Foundation

/// Where relative file paths in a configuration point, and whether the files can be opened.
///
/// Why check at load: a certificate or key file that cannot be opened would otherwise surface only
/// when the data plane builds its TLS contexts, after the configuration was accepted (DESIGN.md
/// principle 5: fail loud at start-up, with the key path). Only readability is checked here; the
/// data plane parses the PEM itself and reports bad contents.
///
/// Relative paths are resolved against the directory of the configuration file, so a file and
/// its certificates can be moved together and `tracegate check` works from any directory (as
/// nginx resolves them against its configuration prefix). YAML given as text and quick-mode
/// flags have no file: their relative paths are left as written (the current directory).
struct FilePaths: Sendable {
    /// The configuration file's directory; nil leaves relative paths as written.
    var baseDirectory: String?

    /// `path` as the data plane must open it.
    func resolve(_ path: String) -> String {
        guard let baseDirectory, !path.hasPrefix("/"), !baseDirectory.isEmpty else { return path }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
    }

    /// Why `path` cannot be read as a file, in `strerror(3)` words (`No such file or directory`,
    /// `Permission denied`, `Is a directory`), or nil when it can be opened for reading.
    ///
    /// Opens and closes the file rather than asking `access(2)`, which answers for the real
    /// rather than the effective user and says nothing about directories.
    static func readProblem(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return String(cString: strerror(errno)) }
        if (status.st_mode & S_IFMT) == S_IFDIR { return String(cString: strerror(EISDIR)) }
        return nil
    }

    /// The directory of the configuration file at `path` (`deploy/examples` for
    /// `deploy/examples/full.yaml`, nil for a bare file name, which is already relative to the
    /// current directory).
    static func directory(of path: String) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}

extension Field {
    /// A non-empty path, resolved by `files`, naming a file that can be opened for reading;
    /// reports `cannot read "<resolved path>": <reason>`.
    func readableFile(_ files: FilePaths, _ diagnostics: inout Diagnostics) -> String? {
        guard let text = nonEmptyString(&diagnostics) else { return nil }
        let path = files.resolve(text)
        if let problem = FilePaths.readProblem(path) {
            report("cannot read \"\(path)\": \(problem)", &diagnostics)
            return nil
        }
        return path
    }
}
