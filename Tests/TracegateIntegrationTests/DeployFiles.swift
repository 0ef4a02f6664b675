// DeployFiles: reading the artefacts under deploy/ for Integration.DeployArtefacts: paths, YAML
// documents as plain dictionaries, and the duration spellings of Tracegate and systemd.
import Foundation
import Yams

/// The files under `deploy/` and the small amount of interpretation the deploy tests share.
///
/// Why plain `[String: Any]` and not Codable models: the tests check a handful of fields across
/// manifests whose full schemas belong to Kubernetes (and are checked by kubernetes-validate);
/// modelling them here would only duplicate that schema.
enum DeployFiles {
    /// The package root, found from this file (Tests/TracegateIntegrationTests/<file>).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `deploy/<relative>` as an absolute path.
    static func path(_ relative: String) -> String {
        packageRoot.appendingPathComponent("deploy").appendingPathComponent(relative).path
    }

    /// The text of `deploy/<relative>`.
    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// The single YAML document in `deploy/<relative>`, which must be a mapping.
    static func mapping(_ relative: String) throws -> [String: Any] {
        try parseMapping(try text(relative), source: relative)
    }

    /// `yaml` parsed as one mapping document.
    static func parseMapping(_ yaml: String, source: String) throws -> [String: Any] {
        guard let mapping = try Yams.load(yaml: yaml) as? [String: Any] else {
            throw DeployFileError(source: source, message: "not a YAML mapping")
        }
        return mapping
    }

    /// The YAML files directly in `deploy/<directory>`, sorted by name.
    static func yamlFiles(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(directory))
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
    }

    /// The Tracegate configuration embedded in `deploy/kubernetes/configmap.yaml`: the ConfigMap
    /// itself, the key holding the config, and the config text and its parsed mapping.
    static func configMapConfig() throws -> (configMap: [String: Any], key: String, text: String, config: [String: Any]) {
        let configMap = try mapping("kubernetes/configmap.yaml")
        let data = configMap[dig: "data"] as? [String: Any] ?? [:]
        guard data.count == 1, let (key, value) = data.first, let text = value as? String else {
            throw DeployFileError(source: "kubernetes/configmap.yaml", message: "data must hold exactly one config file, found \(data.keys.sorted())")
        }
        return (configMap, key, text, try parseMapping(text, source: "kubernetes/configmap.yaml data.\(key)"))
    }

    /// The port of a `host:port` address (`[v6]:port` too).
    static func port(ofAddress address: String) -> Int? {
        address.split(separator: ":").last.flatMap { Int($0) }
    }

    /// Seconds in a Tracegate duration (`500ms`, `20s`, `2m`, `1h`) or a systemd time span
    /// (the same suffixes plus `min`, and a bare number of seconds).
    static func seconds(_ duration: String) -> Double? {
        let text = duration.trimmingCharacters(in: .whitespaces)
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("min", 60), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where text.hasSuffix(unit.suffix) {
            return Double(text.dropLast(unit.suffix.count)).map { $0 * unit.seconds }
        }
        return Double(text)
    }
}

/// A deploy file that does not have the shape the tests read.
struct DeployFileError: Error, CustomStringConvertible {
    var source: String
    var message: String
    var description: String { "\(source): \(message)" }
}

extension Dictionary where Key == String, Value == Any {
    /// The value at a dotted path (`spec.template.spec`); list elements are not addressed.
    subscript(dig path: String) -> Any? {
        var current: Any? = self
        for component in path.split(separator: ".") {
            current = (current as? [String: Any])?[String(component)]
        }
        return current
    }
}
