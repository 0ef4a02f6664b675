// ProxyService: the running proxy as a ServiceLifecycle service.
import Foundation
import Logging
import Synchronization
import ServiceLifecycle
import TracegateConfig
import TracegateDataPlane
import UnixSignals

/// Starts the data plane, the admin listener and (for the embedded default) the demo upstream;
/// reloads on SIGHUP; drains on graceful shutdown (SIGTERM/SIGINT via the ServiceGroup).
public final class ProxyService: Service, Sendable {
    public struct Options: Sendable {
        public var configPath: String?
        public var config: TracegateConfiguration
        public var startDemoEcho: Bool
        /// The OTEL_* variables applied again on every reload (the environment wins over the file).
        public var environment: [String: String]
        /// Tracegate's version: `service.version` by default and the exporter's User-Agent.
        public var version: String
        public init(configPath: String?, config: TracegateConfiguration, startDemoEcho: Bool,
                    environment: [String: String] = ProcessInfo.processInfo.environment, version: String) {
            self.configPath = configPath
            self.config = config
            self.startDemoEcho = startDemoEcho
            self.environment = environment
            self.version = version
        }
    }

    let options: Options
    let logger: Logger
    let state = ControlState()
    /// Set once the service runs; reloads reconfigure it.
    let spans = Mutex<SpanPipeline?>(nil)
    /// Metric slots by route, cluster and endpoint name, for the life of the process (every
    /// snapshot, the first and each reload, takes its slots from here).
    let metricSlots = MetricSlots()

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    static func workerCount(_ configured: Int) -> Int {
        configured > 0 ? configured : max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    public func run() async throws {
        let config = options.config
        let workers = ProxyService.workerCount(config.workers)
        let snapshot = try SnapshotBuilder.build(config, version: 1, workers: workers, slots: metricSlots)
        var demo: SimpleHTTPServer?
        if options.startDemoEcho, let cluster = snapshot.clusters.first, let address = cluster.endpoints.first {
            demo = try DemoEchoServer.start(at: address)
        }
        let dataPlane = try DataPlane(snapshot: snapshot, workers: workers, slots: metricSlots)
        guard let adminAddress = SocketAddress.resolve(host: config.admin.address.host, port: config.admin.address.port).first else {
            throw ConfigErrors(errors: [ConfigError(keyPath: "admin.address", reason: "cannot resolve host \"\(config.admin.address.host)\"")])
        }
        let index = RequestIndex(capacity: config.admin.requestHistory)
        let spans: SpanPipeline
        do {
            spans = try SpanPipeline(telemetry: config.telemetry, version: options.version, logger: logger)
        } catch {
            throw ConfigErrors(errors: [ConfigError(keyPath: "telemetry.otlp", reason: "\(error)")])
        }
        self.spans.withLock { $0 = spans }
        let accessLog = AccessLog(dataPlane: dataPlane, state: state, index: index, enabled: config.accessLog.enabled, spans: spans,
                                  events: ResilienceLog(dataPlane: dataPlane, logger: logger))
        let admin = try AdminServer.start(at: adminAddress, state: state, dataPlane: dataPlane, index: index,
                                          spans: { spans.statistics })
        state.update {
            $0.snapshot = snapshot
            $0.configHash = config.sourceHash
            $0.configPath = options.configPath
            $0.traceURLTemplate = config.telemetry.traceURLTemplate
        }
        dataPlane.start()
        accessLog.start()
        state.update { $0.ready = true }
        announceReady(dataPlane: dataPlane, admin: admin, workers: workers)

        let reloads = Task { [self] in
            for await _ in await UnixSignalsSequence(trapping: .sighup) {
                reload(dataPlane: dataPlane, workers: workers)
            }
        }
        try? await gracefulShutdown()
        reloads.cancel()

        let drainNanos = state.snapshot?.timeouts.drainNanos ?? SnapshotBuilder.nanos(config.timeouts.drain)
        logger.info("draining", metadata: ["timeout_ms": "\(drainNanos / 1_000_000)"])
        state.update { $0.draining = true }
        dataPlane.drain(timeoutNanos: drainNanos)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detach(name: "tg-join") {
                dataPlane.join()
                done.resume()
            }
        }
        accessLog.drainOnce()
        spans.shutdown(flushWithin: .seconds(2))
        admin.stop()
        demo?.stop()
        logger.info("stopped", metadata: ["requests_total": "\(dataPlane.total(.requests))"])
    }

    /// The line test harnesses and operators wait for: every listener bound, with real ports.
    private func announceReady(dataPlane: DataPlane, admin: SimpleHTTPServer, workers: Int) {
        var listeners: Logger.Metadata = [:]
        for (name, address) in dataPlane.boundAddresses { listeners[name] = .string(address.description) }
        logger.info("ready", metadata: [
            "pid": "\(getpid())", "listeners": .dictionary(listeners), "admin": .string(admin.address.description),
            "workers": "\(workers)", "config_hash": .string(options.config.sourceHash),
        ])
    }

    /// Loads the config file again; an invalid file is rejected and the old config keeps serving.
    func reload(dataPlane: DataPlane, workers: Int) {
        do {
            // Without a file (embedded default, quick mode) the configuration cannot change, but a
            // reload still rebuilds the snapshot from it: certificate files are read again (renewed
            // certificates for new connections) and upstream names are resolved again.
            let config = try options.configPath.map {
                try TracegateConfiguration.load(contentsOf: $0).applyingEnvironment(options.environment)
            } ?? options.config
            var errors: [ConfigError] = []
            let current = state.snapshot
            // The sockets stay bound: names and addresses must be exactly those the process started with.
            if config.listeners.map(\.name) != options.config.listeners.map(\.name)
                || config.listeners.map(\.address) != options.config.listeners.map(\.address) {
                errors.append(ConfigError(keyPath: "listeners", reason: "listeners cannot change on reload; restart to change them"))
            }
            if config.admin.address != options.config.admin.address {
                errors.append(ConfigError(keyPath: "admin.address", reason: "the admin address cannot change on reload"))
            }
            if !errors.isEmpty { throw ConfigErrors(errors: errors) }
            let version = (current?.version ?? 1) + 1
            let next = try SnapshotBuilder.build(config, version: version, workers: workers, slots: metricSlots)
            dataPlane.apply(next)
            spans.withLock { $0 }?.reconfigure(config.telemetry)
            state.update {
                $0.snapshot = next
                $0.configHash = config.sourceHash
                $0.version = version
                $0.traceURLTemplate = config.telemetry.traceURLTemplate
            }
            logger.info("reloaded", metadata: ["version": "\(version)", "config_hash": .string(config.sourceHash)])
        } catch let error as ConfigErrors {
            logger.error("reload_failed", metadata: ["errors": .array(error.errors.map { .string($0.description) })])
        } catch {
            logger.error("reload_failed", metadata: ["errors": .array([.string("\(error)")])])
        }
    }
}
