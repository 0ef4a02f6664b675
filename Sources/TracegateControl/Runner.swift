// Runner: process entry for `tracegate run` and `tracegate proxy`.
import Logging
import ServiceLifecycle
import TracegateConfig

/// Bootstraps logging and runs the proxy service in a ServiceGroup that turns SIGTERM and SIGINT
/// into a graceful drain.
public enum Runner {
    public static func bootstrapLogging() {
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(fd: 2)
            handler.logLevel = label == "tracegate" ? .info : .warning
            return handler
        }
    }

    public static func run(_ options: ProxyService.Options) async throws {
        let logger = Logger(label: "tracegate")
        let service = ProxyService(options: options, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "servicelifecycle")))
        try await group.run()
    }
}
