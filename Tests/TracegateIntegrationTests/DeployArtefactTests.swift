// DeployArtefactTests: deploy/kubernetes validated against a pinned Kubernetes schema, its
// embedded config checked by the real binary, and the manifests consistent with that config.
// The Dockerfile and the systemd unit are in the +Dockerfile and +Systemd files.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct DeployArtefacts {
        /// The Kubernetes version the manifests must be valid for. 1.34 is the first with the
        /// `preStop.sleep` action GA; kubernetes-validate bundles its schema.
        static let kubernetesVersion = "1.34.0"

        /// Every manifest in deploy/kubernetes except the Kustomization (not a Kubernetes API
        /// object: kubernetes-validate has no schema for it and would only warn).
        static func manifests() throws -> [String] {
            try DeployFiles.yamlFiles(in: "kubernetes").filter { $0 != "kustomization.yaml" }
        }

        @Test func manifestsValidateStrictlyAgainstThePinnedKubernetesVersion() throws {
            guard let tool = ExternalTool.find("kubernetes-validate") else {
                Issue.record("`kubernetes-validate` is not installed: it is the PyPI package kubernetes-validate, which scripts/test.sh installs. Tests never skip a missing tool.")
                return
            }
            let files = try Self.manifests()
            #expect(files.count >= 5, "\(files)")
            for file in files {
                let result = try ExternalTool.run(
                    tool, ["-k", Self.kubernetesVersion, "--strict", DeployFiles.path("kubernetes/\(file)")])
                let output = result.stdoutText + result.stderr
                #expect(result.status == 0, "\(file): \(output)")
                // A kind without a schema only warns (exit 0): require the positive verdict.
                #expect(output.contains("passed for resource"), "\(file): \(output)")
                #expect(!output.contains("WARN"), "\(file): \(output)")
            }
        }

        @Test func configMapConfigPassesTracegateCheck() throws {
            let embedded = try DeployFiles.configMapConfig()
            let directory = try TempDir(prefix: "deploy")
            let file = try directory.write(embedded.key, embedded.text)
            let result = try ProxyProcess.runToCompletion(arguments: ["check", "--config", file])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("ok"), "\(result.stdout)")
            // What the Deployment relies on: reachable from the kubelet, the Service and Prometheus.
            #expect(embedded.config[dig: "admin.address"] as? String == "0.0.0.0:9901")
            let listeners = embedded.config["listeners"] as? [[String: Any]] ?? []
            #expect(listeners.map { $0["address"] as? String } == ["0.0.0.0:8080"])
        }

        @Test func kustomizationListsEveryManifestAndNothingElse() throws {
            let kustomization = try DeployFiles.mapping("kubernetes/kustomization.yaml")
            #expect(kustomization["kind"] as? String == "Kustomization")
            let resources = kustomization["resources"] as? [String] ?? []
            #expect(Set(resources).count == resources.count, "duplicates in \(resources)")
            #expect(Set(resources) == Set(try Self.manifests()))
        }

        @Test func deploymentDrainsWithinItsGracePeriod() throws {
            let pod = try Self.podSpec()
            let drain = try #require(
                DeployFiles.seconds(try DeployFiles.configMapConfig().config[dig: "timeouts.drain"] as? String ?? "30s"))
            let grace = try #require(pod["terminationGracePeriodSeconds"] as? Int)
            let container = try Self.container(pod)
            let preStop = container[dig: "lifecycle.preStop"] as? [String: Any]
            let sleep = try #require(preStop?[dig: "sleep.seconds"] as? Int, "preStop must sleep so endpoints go first")
            #expect(sleep > 0)
            #expect(Double(grace) > Double(sleep) + drain, "grace \(grace)s ≤ preStop \(sleep)s + drain \(drain)s")
        }

        @Test func probesAndServiceUseTheConfiguredPorts() throws {
            let config = try DeployFiles.configMapConfig().config
            let adminPort = try #require(DeployFiles.port(ofAddress: config[dig: "admin.address"] as? String ?? ""))
            let listenerPorts = (config["listeners"] as? [[String: Any]] ?? [])
                .compactMap { ($0["address"] as? String).flatMap(DeployFiles.port(ofAddress:)) }
            let container = try Self.container(try Self.podSpec())
            let ports = Dictionary(uniqueKeysWithValues: (container["ports"] as? [[String: Any]] ?? [])
                .compactMap { port in (port["name"] as? String).map { ($0, port["containerPort"] as? Int ?? 0) } })
            /// A probe or Service port: a number, or a container port's name.
            func resolve(_ port: Any?) -> Int? { (port as? Int) ?? (port as? String).flatMap { ports[$0] } }

            #expect(Set(ports.values) == Set(listenerPorts + [adminPort]), "container ports \(ports)")
            for (probe, path) in [("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")] {
                #expect(container[dig: "\(probe).httpGet.path"] as? String == path, "\(probe)")
                #expect(resolve(container[dig: "\(probe).httpGet.port"]) == adminPort, "\(probe) must ask the admin port")
            }
            let service = try DeployFiles.mapping("kubernetes/service.yaml")
            let targets = (service[dig: "spec.ports"] as? [[String: Any]] ?? []).map { resolve($0["targetPort"]) }
            #expect(targets.allSatisfy { $0 != nil }, "every Service port must target a container port: \(targets)")
            #expect(Set(targets.compactMap { $0 }) == Set(listenerPorts + [adminPort]))
            let podLabels = try #require(
                try DeployFiles.mapping("kubernetes/deployment.yaml")[dig: "spec.template.metadata.labels"] as? [String: String])
            let selector = try #require(service[dig: "spec.selector"] as? [String: String])
            #expect(selector.allSatisfy { podLabels[$0.key] == $0.value }, "Service selector \(selector) vs pods \(podLabels)")
        }

        @Test func deploymentRunsTheMountedConfigLockedDown() throws {
            let pod = try Self.podSpec()
            let container = try Self.container(pod)
            let embedded = try DeployFiles.configMapConfig()
            // --config names the ConfigMap's key under the volume's mount path.
            let command = (container["command"] as? [String] ?? []) + (container["args"] as? [String] ?? [])
            let configIndex = try #require(command.firstIndex(of: "--config"))
            let configPath = command[command.index(after: configIndex)]
            let volume = (pod["volumes"] as? [[String: Any]] ?? [])
                .first { $0[dig: "configMap.name"] as? String == embedded.configMap[dig: "metadata.name"] as? String }
            let volumeName = try #require(volume?["name"] as? String, "no volume from the ConfigMap")
            let mount = (container["volumeMounts"] as? [[String: Any]] ?? []).first { $0["name"] as? String == volumeName }
            let mountPath = try #require(mount?["mountPath"] as? String)
            #expect(configPath == mountPath + "/" + embedded.key)
            #expect(mount?["readOnly"] as? Bool == true)

            let security = container["securityContext"] as? [String: Any] ?? [:]
            #expect(security["runAsNonRoot"] as? Bool == true || pod[dig: "securityContext.runAsNonRoot"] as? Bool == true)
            let user = (security["runAsUser"] ?? pod[dig: "securityContext.runAsUser"]) as? Int
            #expect((user ?? 0) > 0, "runAsNonRoot needs a numeric non-zero user")
            #expect(security["readOnlyRootFilesystem"] as? Bool == true)
            #expect(security["allowPrivilegeEscalation"] as? Bool == false)
            #expect(security[dig: "capabilities.drop"] as? [String] == ["ALL"])
            #expect(security[dig: "capabilities.add"] == nil)
            for kind in ["requests", "limits"] {
                for resource in ["cpu", "memory"] {
                    #expect(container[dig: "resources.\(kind).\(resource)"] != nil, "resources.\(kind).\(resource)")
                }
            }
        }

        @Test func autoscalerAndDisruptionBudgetTargetTheDeployment() throws {
            let deployment = try DeployFiles.mapping("kubernetes/deployment.yaml")
            let name = try #require(deployment[dig: "metadata.name"] as? String)
            let podLabels = try #require(deployment[dig: "spec.template.metadata.labels"] as? [String: String])
            let hpa = try DeployFiles.mapping("kubernetes/hpa.yaml")
            #expect(hpa["apiVersion"] as? String == "autoscaling/v2")
            #expect(hpa[dig: "spec.scaleTargetRef.kind"] as? String == "Deployment")
            #expect(hpa[dig: "spec.scaleTargetRef.name"] as? String == name)
            let metrics = hpa[dig: "spec.metrics"] as? [[String: Any]] ?? []
            #expect(metrics.contains { $0[dig: "resource.name"] as? String == "cpu" })
            let minReplicas = hpa[dig: "spec.minReplicas"] as? Int ?? 1
            let pdb = try DeployFiles.mapping("kubernetes/pdb.yaml")
            #expect(pdb["apiVersion"] as? String == "policy/v1")
            let selector = try #require(pdb[dig: "spec.selector.matchLabels"] as? [String: String])
            #expect(selector.allSatisfy { podLabels[$0.key] == $0.value }, "PDB selector \(selector) vs pods \(podLabels)")
            // A budget that allows evicting every replica protects nothing.
            let maxUnavailable = pdb[dig: "spec.maxUnavailable"] as? Int
            #expect(maxUnavailable.map { $0 >= 1 && $0 < minReplicas } ?? (pdb[dig: "spec.minAvailable"] != nil))
        }

        /// The Deployment's pod spec.
        static func podSpec() throws -> [String: Any] {
            let deployment = try DeployFiles.mapping("kubernetes/deployment.yaml")
            return try #require(deployment[dig: "spec.template.spec"] as? [String: Any])
        }

        /// The tracegate container of `pod`.
        static func container(_ pod: [String: Any]) throws -> [String: Any] {
            let containers = pod["containers"] as? [[String: Any]] ?? []
            return try #require(containers.first { $0["name"] as? String == "tracegate" }, "no tracegate container")
        }
    }
}
