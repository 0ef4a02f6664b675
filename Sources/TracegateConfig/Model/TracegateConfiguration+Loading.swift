// TracegateConfiguration+Loading.swift — the public loaders: YAML text, a file, the embedded default.

import Foundation
import Yams

extension TracegateConfiguration {
    /// Parses, fills defaults and validates a YAML configuration.
    ///
    /// The whole tree is checked before anything is returned; every problem found is thrown
    /// together, in document order, each with its key path (`routes[2].cluster: unknown cluster
    /// "paymnets"`). Unknown keys are errors, with a "did you mean" hint when one is close.
    ///
    /// Files the configuration names (TLS certificates, keys and CA files) must be readable:
    /// each that is not is an error at its key path (`listeners[0].tls.private_key: cannot read
    /// "/etc/tracegate/key.pem": No such file or directory`). Their contents are not parsed here.
    ///
    /// - Parameter baseDirectory: the directory relative file paths are resolved against (the
    ///   configuration file's, see `load(contentsOf:)`); nil leaves them relative to the current
    ///   directory.
    /// - Throws: `ConfigErrors` with at least one error.
    public static func load(yaml: String, baseDirectory: String? = nil) throws(ConfigErrors) -> TracegateConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigErrors(ConfigError(keyPath: "<yaml>", reason: YAMLSyntax.describe(error)))
        }
        guard let root else {
            throw ConfigErrors(ConfigError(keyPath: "<root>", reason: "the document is empty"))
        }
        var diagnostics = Diagnostics()
        let files = FilePaths(baseDirectory: baseDirectory)
        let config = decode(root: root, sourceHash: FNV1a.hex(yaml), files: files, &diagnostics)
        guard diagnostics.isEmpty, let config else { throw ConfigErrors(errors: diagnostics.errors) }
        return config
    }

    /// Reads the file at `path` (UTF-8) and loads it like `load(yaml:)`, with relative file paths
    /// in it resolved against the file's own directory, so a configuration and its certificates
    /// can move together (`tls/server.pem` next to `/etc/tracegate/tracegate.yaml` is
    /// `/etc/tracegate/tls/server.pem`). The loaded configuration holds the resolved paths.
    /// (`context.debug.secret_file` is not resolved: it is opened as written.)
    ///
    /// - Throws: `ConfigErrors`; problems reading the file itself have the key path `<file>`.
    public static func load(contentsOf path: String) throws(ConfigErrors) -> TracegateConfiguration {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigErrors(ConfigError(keyPath: "<file>", reason: "cannot read \"\(path)\": no such file"))
        }
        guard !isDirectory.boolValue else {
            throw ConfigErrors(ConfigError(keyPath: "<file>", reason: "cannot read \"\(path)\": is a directory"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors(
                ConfigError(keyPath: "<file>", reason: "cannot read \"\(path)\": permission denied or I/O error")
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors(ConfigError(keyPath: "<file>", reason: "cannot read \"\(path)\": not valid UTF-8"))
        }
        return try load(yaml: text, baseDirectory: FilePaths.directory(of: path))
    }

    /// The configuration `tracegate` runs with no arguments: `embeddedDefaultYAML`, loaded.
    ///
    /// The embedded text is covered by a test, so a load failure here is a build defect; rather
    /// than trap, it falls back to the same configuration built in code.
    public static func embeddedDefault() -> TracegateConfiguration {
        if let config = try? load(yaml: embeddedDefaultYAML) { return config }
        return TracegateConfiguration(
            listeners: [
                ListenerConfiguration(name: "public", address: SocketAddressSpec(host: "127.0.0.1", port: 8080))
            ],
            routes: [RouteConfiguration(name: "default", cluster: "demo")],
            clusters: [
                ClusterConfiguration(name: "demo", endpoints: [SocketAddressSpec(host: "127.0.0.1", port: 8081)])
            ],
            sourceHash: FNV1a.hex(embeddedDefaultYAML)
        )
    }
}

/// Turns a Yams parse error into one line: `line 3, column 7: mapping values are not allowed in
/// this context` (Yams' own description spans several lines with a caret snippet).
enum YAMLSyntax {
    static func describe(_ error: any Error) -> String {
        guard let yamlError = error as? YamlError else { return "\(error)" }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            let contextText = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return "line \(mark.line), column \(mark.column): \(problem)\(contextText)"
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return "line \(context.mark.line), column \(context.mark.column): duplicate key \(keys)"
        case let .reader(problem, offset, _, _):
            return "\(problem)" + (offset.map { " at character \($0)" } ?? "")
        default:
            return yamlError.description
        }
    }
}
