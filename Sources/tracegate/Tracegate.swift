// tracegate: the command-line entry point.
import ArgumentParser
import Foundation
import TracegateConfig
import TracegateControl
import TracegateDataPlane

/// `tracegate [run] [--config FILE]`, `tracegate check --config FILE`, `tracegate proxy …`,
/// `tracegate version`. With no arguments it serves the embedded default configuration in front of
/// its built-in demo echo upstream.
@main
struct Tracegate: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "tracegate",
        abstract: "An edge reverse proxy that makes distributed systems debuggable.",
        version: version,
        subcommands: [Run.self, Check.self, Proxy.self, DebugTokenCommand.self, Version.self],
        defaultSubcommand: Run.self)
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a configuration file, or the embedded default (127.0.0.1:8080 → demo echo on 127.0.0.1:8081).")

    @Option(name: .shortAndLong, help: "YAML configuration file. Without it, the embedded default is served.")
    var config: String?

    func run() async throws {
        Runner.bootstrapLogging()
        let loaded: TracegateConfiguration
        do {
            loaded = try (config.map { try TracegateConfiguration.load(contentsOf: $0) } ?? TracegateConfiguration.embeddedDefault())
                .applyingEnvironment(ProcessInfo.processInfo.environment)
        } catch let errors as ConfigErrors {
            printErrors(errors)
            throw ExitCode(1)
        }
        try await serve(.init(configPath: config, config: loaded, startDemoEcho: config == nil, version: Tracegate.version))
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a configuration file and print every error with its key path.")

    @Option(name: .shortAndLong, help: "YAML configuration file to validate.")
    var config: String

    func run() throws {
        do {
            let loaded = try TracegateConfiguration.load(contentsOf: config)
                .applyingEnvironment(ProcessInfo.processInfo.environment)
            print("\(config): ok (\(loaded.listeners.count) listeners, \(loaded.routes.count) routes, \(loaded.clusters.count) clusters)")
        } catch {
            printErrors(error)
            throw ExitCode(1)
        }
    }
}

struct Proxy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quick mode: proxy everything from one address to the given upstreams with all defaults.")

    @Option(help: "Address to listen on.")
    var listen: String = "127.0.0.1:8080"

    @Option(help: ArgumentHelp(
        "Upstream (repeatable; all with the same scheme): http://host[:port] or host:port (HTTP/1.1), h2c://host[:port] (HTTP/2 prior knowledge), https://host[:port] (TLS; HTTP/2 or HTTP/1.1 by ALPN).",
        valueName: "url"))
    var to: [String] = []

    @Option(name: .customLong("to-ca"), help: ArgumentHelp(
        "PEM file of CA certificates trusted for https upstreams instead of the system store.", valueName: "file"))
    var toCA: String?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp(
        "PEM certificate chain: serve TLS on --listen (HTTP/2 and HTTP/1.1 by ALPN). Needs --tls-key.", valueName: "file"))
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp(
        "PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(help: ArgumentHelp(
        "Mirror every request (fire-and-forget, responses compared and discarded) to this HTTP/1.1 service: http://host[:port], https://host[:port] (verified with --to-ca if given) or host:port.",
        valueName: "url"))
    var mirror: String?

    @Option(name: .customLong("mirror-fraction"), help: ArgumentHelp(
        "Share of traces mirrored, 0...1, decided from the trace id (default 1). Needs --mirror.", valueName: "fraction"))
    var mirrorFraction: Double?

    @Option(help: ArgumentHelp(
        "Retry a failed attempt up to N times (0...99) on connect failures, resets, 502 and 503 (all but connect failures only for idempotent requests or ones with Idempotency-Key). Default: one retry after a connect failure.",
        valueName: "n"))
    var retries: Int?

    @Option(name: .customLong("retry-budget"), help: ArgumentHelp(
        "Retries may add at most this share of the requests (default 0.2), plus 10 per second.", valueName: "ratio"))
    var retryBudget: Double?

    @Option(help: "Admin listener address.")
    var admin: String?

    @Option(help: "Worker threads (default: one per core).")
    var workers: Int?

    @Option(help: "Trusted peer network as a CIDR (repeatable); 'none' trusts nobody. Default: loopback.")
    var trust: [String] = []

    @Option(help: "File holding the HMAC secret that signs debug tokens (honoured from untrusted peers).")
    var debugSecretFile: String?

    func validate() throws {
        if to.isEmpty { throw ValidationError("at least one --to upstream is required") }
    }

    func run() async throws {
        Runner.bootstrapLogging()
        var config: TracegateConfiguration
        do {
            config = try TracegateConfiguration.quick(listen: listen, upstreams: to, admin: admin, workers: workers,
                                                      trust: trust.isEmpty ? nil : trust,
                                                      tlsCertificate: tlsCert, tlsKey: tlsKey, upstreamCA: toCA,
                                                      mirror: mirror, mirrorFraction: mirrorFraction, retries: retries,
                                                      retryBudget: retryBudget)
                .applyingEnvironment(ProcessInfo.processInfo.environment)
        } catch {
            printErrors(error)
            throw ExitCode(1)
        }
        config.context.debug.secretFile = debugSecretFile
        try await serve(.init(configPath: nil, config: config, startDemoEcho: false, version: Tracegate.version))
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")
    func run() { print("tracegate \(Tracegate.version)") }
}

/// Runs the proxy; configuration problems found at start-up (DNS, secret files) print like `check`.
func serve(_ options: ProxyService.Options) async throws {
    do {
        try await Runner.run(options)
    } catch let errors as ConfigErrors {
        printErrors(errors)
        throw ExitCode(1)
    } catch let error as SocketError {
        printToStandardError("tracegate: \(error)")
        throw ExitCode(1)
    }
}

func printErrors(_ errors: ConfigErrors) {
    for e in errors.errors { printToStandardError(e.description) }
}
