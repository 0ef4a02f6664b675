// DeployArtefactTests+Dockerfile: deploy/Dockerfile read instruction by instruction (there is no
// Docker engine to build it): a Swift builder stage, a slim non-root runtime stage with only the
// binary, the traffic and admin ports, a health check, and no remote downloads.
import Foundation
import Testing
import TracegateTestSupport

extension Integration.DeployArtefacts {
    static func dockerfile() throws -> DockerfileInstructions {
        DockerfileInstructions(parsing: try DeployFiles.text("Dockerfile"))
    }

    @Test func dockerfileBuildsWithSwiftAndRunsSlim() throws {
        let file = try Self.dockerfile()
        #expect(file.preamble.allSatisfy { $0.keyword == "ARG" }, "\(file.preamble)")
        try #require(file.stages.count >= 2, "multi-stage build expected")
        let builder = try #require(file.stages.first { $0.name == "builder" }, "no stage named builder")
        #expect(builder.image.hasPrefix("swift:6.3"), "builder image \(builder.image)")
        let builderRuns = builder.all("RUN").map(\.arguments).joined(separator: "\n")
        for package in ["libnghttp2-dev", "libssl-dev"] {
            #expect(builderRuns.contains(package), "builder installs \(package)")
        }
        #expect(builderRuns.contains("swift build -c release --product tracegate"))
        #expect(builderRuns.contains("--static-swift-stdlib"), "the runtime has no Swift toolchain")

        let runtime = try #require(file.stages.last)
        #expect(runtime.image == "debian:bookworm-slim", "runtime image \(runtime.image)")
        let runtimeRuns = runtime.all("RUN").map(\.arguments).joined(separator: "\n")
        for package in ["libnghttp2-14", "libssl3", "ca-certificates"] {
            #expect(runtimeRuns.contains(package), "runtime installs \(package)")
        }
        #expect(!runtimeRuns.contains("-dev"), "no development packages in the runtime")
        // Only the binary comes in, and from the builder.
        let copies = runtime.all("COPY")
        #expect(copies.count == 1, "\(copies)")
        #expect(copies.allSatisfy { $0.arguments.hasPrefix("--from=builder ") }, "\(copies)")
        #expect(copies.first?.arguments.hasSuffix("/usr/local/bin/tracegate") == true)
    }

    @Test func dockerfileRuntimeIsNonRootExposedAndHealthChecked() throws {
        let file = try Self.dockerfile()
        for add in file.stages.flatMap({ $0.all("ADD") }) {
            #expect(!add.arguments.contains("://"), "remote ADD on line \(add.line): \(add.arguments)")
        }
        let runtime = try #require(file.stages.last)
        let user = try #require(runtime.all("USER").last?.arguments, "runtime must set USER")
        let name = String(user.split(separator: ":").first ?? "")
        #expect(name != "root" && name != "0" && !name.isEmpty, "USER \(user)")
        #expect(Int(name) != nil, "a numeric USER lets Kubernetes' runAsNonRoot verify it")

        let config = try DeployFiles.configMapConfig().config
        let adminPort = try #require(DeployFiles.port(ofAddress: config[dig: "admin.address"] as? String ?? ""))
        let exposed = Set(runtime.all("EXPOSE").flatMap { $0.arguments.split(separator: " ") }
            .compactMap { Int($0.split(separator: "/").first ?? "") })
        #expect(exposed == [8080, adminPort], "EXPOSE \(exposed)")

        let health = try #require(runtime.all("HEALTHCHECK").last?.arguments)
        #expect(health.contains("CMD"))
        #expect(health.contains("127.0.0.1:\(adminPort)/healthz"), "\(health)")
        #expect(runtime.all("STOPSIGNAL").last?.arguments ?? "SIGTERM" == "SIGTERM")

        let entrypoint = DockerfileInstructions.words(try #require(runtime.all("ENTRYPOINT").last?.arguments))
        #expect(entrypoint.first == "/usr/local/bin/tracegate", "\(entrypoint)")
        let configIndex = try #require(entrypoint.firstIndex(of: "--config"))
        #expect(entrypoint[entrypoint.index(after: configIndex)] == "/etc/tracegate/tracegate.yaml")
    }
}
