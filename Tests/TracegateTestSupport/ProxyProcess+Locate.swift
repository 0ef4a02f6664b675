import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Finding the `tracegate` executable the tests run.
extension ProxyProcess {
    /// The name of the executable product.
    public static let binaryName = "tracegate"

    /// Locates `tracegate`, first match wins:
    /// 1. `TRACEGATE_BIN` in `environment` (an error if it is set but not executable);
    /// 2. next to the running test executable: `swift test` on Linux runs
    ///    `.build/<triple>/<config>/<Package>PackageTests.xctest`, and the products of the
    ///    same build sit in that directory (checked via /proc/self/exe,
    ///    `CommandLine.arguments[0]` and `Bundle.main`, and up to three parents for a macOS
    ///    `.xctest/Contents/MacOS` bundle);
    /// 3. walking up from this source file to a package root with `.build/debug/tracegate`
    ///    (or `.build/release/tracegate`).
    /// - Throws: `binaryNotFound` listing every place tried and saying to run `swift build`.
    public static func locateBinary(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        sourceFile: String = #filePath,
        executableDirectories: [String]? = nil
    ) throws(TestSupportError) -> String {
        if let configured = environment["TRACEGATE_BIN"], !configured.isEmpty {
            guard isExecutableFile(configured) else {
                throw .binaryNotFound(searched: ["TRACEGATE_BIN=\(configured) (missing or not executable)"])
            }
            return configured
        }
        var searched = [String]()
        for directory in executableDirectories ?? testExecutableDirectories() {
            var current = URL(fileURLWithPath: directory)
            for _ in 0..<4 {
                let candidate = current.appendingPathComponent(binaryName).path
                if !searched.contains(candidate) {
                    searched.append(candidate)
                    if isExecutableFile(candidate) { return candidate }
                }
                current.deleteLastPathComponent()
            }
        }
        var root = URL(fileURLWithPath: sourceFile).deletingLastPathComponent()
        while root.path != "/" && !root.path.isEmpty {
            for configuration in ["debug", "release"] {
                let candidate = root.appendingPathComponent(".build/\(configuration)/\(binaryName)").path
                searched.append(candidate)
                if isExecutableFile(candidate) { return candidate }
            }
            root.deleteLastPathComponent()
        }
        throw .binaryNotFound(searched: searched)
    }

    /// `binary` when given, else `locateBinary()`.
    static func resolveBinary(_ binary: String?) throws(TestSupportError) -> String {
        if let binary { return binary }
        return try locateBinary()
    }

    /// Directories that may hold the running test executable.
    static func testExecutableDirectories() -> [String] {
        var directories = [String]()
        func add(_ executablePath: String?) {
            guard let executablePath, !executablePath.isEmpty else { return }
            let absolute = executablePath.hasPrefix("/")
                ? executablePath
                : FileManager.default.currentDirectoryPath + "/" + executablePath
            let directory = URL(fileURLWithPath: absolute).standardized.deletingLastPathComponent().path
            if !directories.contains(directory) { directories.append(directory) }
        }
        add(try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        add(CommandLine.arguments.first)
        add(Bundle.main.executableURL?.path)
        add(Bundle.main.bundleURL.appendingPathComponent("x").path)
        return directories
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue && access(path, X_OK) == 0
    }

    /// Runs the binary to completion, for `tracegate check …` and `tracegate version`.
    /// - Returns: exit status (128 + signal if killed by one), stdout and stderr.
    /// - Throws: `binaryNotFound`, or `timedOut` (after killing it).
    public static func runToCompletion(
        arguments: [String],
        environment: [String: String] = [:],
        timeout: Duration = .seconds(30),
        binary: String? = nil
    ) throws(TestSupportError) -> (status: Int32, stdout: String, stderr: String) {
        let executable = try resolveBinary(binary)
        let result = try ExternalTool.run(executable, arguments, environment: environment, timeout: timeout)
        return (result.status, result.stdoutText, result.stderr)
    }
}
