// TestSupport.swift — helpers shared by the configuration tests.

import Foundation
import Testing
import TracegateConfig

/// The smallest valid document; tests append sections to it.
let baseYAML = """
    listeners: [{address: "127.0.0.1:8080"}]
    routes: [{cluster: c}]
    clusters: [{name: c, endpoints: ["127.0.0.1:9000"]}]

    """

/// Loads `yaml` and returns the error descriptions (empty when it loads).
func loadErrors(_ yaml: String) -> [String] {
    do {
        _ = try TracegateConfiguration.load(yaml: yaml)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// Loads `yaml`, recording an issue with every error when it does not load.
func loadValid(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> TracegateConfiguration? {
    do {
        return try TracegateConfiguration.load(yaml: yaml)
    } catch {
        Issue.record("unexpected errors:\n\(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The package root, found from this file's path (Tests/TracegateConfigTests/TestSupport.swift).
func packageRoot() -> String {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}

/// Folds 16 network-order bytes into the (high, low) pair `CIDRBlock.contains(ipv6:)` takes.
func fold(_ bytes: [UInt8]) -> (UInt64, UInt64) {
    var high: UInt64 = 0
    var low: UInt64 = 0
    for index in 0..<8 {
        high = high << 8 | UInt64(bytes[index])
        low = low << 8 | UInt64(bytes[index + 8])
    }
    return (high, low)
}

/// A fresh directory under the system temporary directory, removed with everything in it when
/// the value is released; for the certificate, key and CA files TLS keys name (the loader only
/// checks they can be read, so any content will do).
final class TemporaryDirectory {
    /// Absolute path, no trailing slash.
    let path: String

    init() throws {
        path = NSTemporaryDirectory().replacingOccurrences(of: "/$", with: "", options: .regularExpression)
            + "/tracegate-config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` (which may contain subdirectories) and returns its absolute path.
    @discardableResult
    func write(_ name: String, _ contents: String = "-----BEGIN CERTIFICATE-----\n") throws -> String {
        let file = path + "/" + name
        let directory = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Loads `yaml` with relative file paths resolved against `baseDirectory` and returns the error
/// descriptions (empty when it loads).
func loadErrors(_ yaml: String, baseDirectory: String) -> [String] {
    do {
        _ = try TracegateConfiguration.load(yaml: yaml, baseDirectory: baseDirectory)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// Loads `yaml` with relative file paths resolved against `baseDirectory`, recording an issue
/// with every error when it does not load.
func loadValid(
    _ yaml: String,
    baseDirectory: String,
    sourceLocation: SourceLocation = #_sourceLocation
) -> TracegateConfiguration? {
    do {
        return try TracegateConfiguration.load(yaml: yaml, baseDirectory: baseDirectory)
    } catch {
        Issue.record("unexpected errors:\n\(error)", sourceLocation: sourceLocation)
        return nil
    }
}
