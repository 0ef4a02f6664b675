// DeployArtefactTests+Systemd: deploy/systemd/tracegate.service verified by systemd itself and
// read for the settings that make it drain, reload and stay confined.
import Foundation
import Testing
import TracegateTestSupport

extension Integration.DeployArtefacts {
    static let unitFile = "systemd/tracegate.service"
    static let installedBinary = "/usr/local/bin/tracegate"

    /// `systemd-analyze verify` on a copy whose commands point at the built binary: verify
    /// checks that every Exec path is executable, and /usr/local/bin/tracegate is not installed on
    /// a test machine. Everything else is the unit as shipped.
    @Test func systemdAnalyzeVerifiesTheUnit() throws {
        let tool = try ExternalTool.require("systemd-analyze")
        let binary = try ProxyProcess.locateBinary()
        let unit = try DeployFiles.text(Self.unitFile)
        #expect(unit.contains(Self.installedBinary))
        let directory = try TempDir(prefix: "systemd")
        let copy = try directory.write("tracegate.service", unit.replacingOccurrences(of: Self.installedBinary, with: binary))
        let result = try ExternalTool.run(tool, ["verify", "--man=no", copy])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderr)")
        // Unknown keys and bad values are warnings with exit 0: any output is a finding.
        #expect(result.stderr.isEmpty && result.stdoutText.isEmpty, "\(result.stdoutText)\(result.stderr)")
    }

    @Test func systemdUnitDrainsReloadsAndIsHardened() throws {
        let unit = SystemdUnit(parsing: try DeployFiles.text(Self.unitFile))
        let service = "Service"
        let start = try #require(unit.value(service, "ExecStart"))
        #expect(start.hasPrefix(Self.installedBinary + " "))
        #expect(start.hasSuffix("--config /etc/tracegate/tracegate.yaml"), "\(start)")
        #expect(unit.value(service, "ExecReload") == "/bin/kill -HUP $MAINPID")
        #expect(unit.value(service, "KillSignal") == "SIGTERM")
        #expect(unit.value(service, "Restart") == "on-failure")

        // The stop timeout must outlast the longest drain the unit may run: the documented default
        // (a config without timeouts.drain) and the drain of the shipped Kubernetes config.
        let stop = try #require(unit.value(service, "TimeoutStopSec").flatMap(DeployFiles.seconds))
        let documented = try Self.documentedDefaultDrain()
        let shipped = try #require(
            DeployFiles.seconds(try DeployFiles.configMapConfig().config[dig: "timeouts.drain"] as? String ?? ""))
        #expect(stop > max(documented, shipped), "TimeoutStopSec \(stop)s vs drain \(documented)s/\(shipped)s")

        for (key, value) in [
            ("DynamicUser", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
            ("PrivateTmp", "yes"), ("NoNewPrivileges", "yes"),
        ] {
            #expect(unit.value(service, key) == value, "\(key)=\(unit.value(service, key) ?? "unset")")
        }
        // Ports are ≥ 1024 (configmap.yaml), so the bounding set is empty and nothing is ambient.
        #expect(unit.value(service, "CapabilityBoundingSet") == "")
        #expect((unit.value(service, "AmbientCapabilities") ?? "").isEmpty)
        #expect(unit.value(service, "User") == nil, "DynamicUser allocates the user")
    }

    /// `timeouts.drain`'s default as docs/CONFIG.md states it.
    static func documentedDefaultDrain() throws -> Double {
        let config = try String(
            contentsOf: DeployFiles.packageRoot.appendingPathComponent("docs/CONFIG.md"), encoding: .utf8)
        let row = try #require(config.split(separator: "\n").first { $0.hasPrefix("| `drain` |") })
        let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        let value = cells.count > 2 ? cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`")) : ""
        return try #require(DeployFiles.seconds(value), "cannot read the default from: \(row)")
    }
}
