// AccessLog: drains the workers' record rings into the access log and the request index.
import Glibc
import Logging
import TracegateContext
import TracegateDataPlane

/// A control-side thread that empties every worker's ring every 20 ms: each record becomes one
/// JSON access-log line (swift-log, to stdout) and an entry of the request index that
/// `/debug/requests` answers from. Workers never wait for it; when it falls behind, rings fill and
/// records are dropped and counted on the worker.
final class AccessLog: Sendable {
    let dataPlane: DataPlane
    let state: ControlState
    let index: RequestIndex
    let logger: Logger
    let enabled: Bool

    init(dataPlane: DataPlane, state: ControlState, index: RequestIndex, enabled: Bool) {
        self.dataPlane = dataPlane
        self.state = state
        self.index = index
        self.enabled = enabled
        var logger = Logger(label: "tracegate.access") { _ in JSONLogHandler(fd: 1, raw: true) }
        logger.logLevel = .info
        self.logger = logger
    }

    func start() {
        let log = self
        Thread.detach(name: "tg-access-log") {
            while true {
                log.drainOnce()
                usleep(20_000)
            }
        }
    }

    /// Empties every ring once (also called at shutdown, so the last requests are logged).
    func drainOnce() {
        let snapshot = state.snapshot
        for ring in dataPlane.rings {
            ring.drain { record in
                let summary = RequestSummary(record, snapshot: snapshot)
                index.append(summary)
                if enabled { logger.info(Logger.Message(stringLiteral: summary.json)) }
            }
        }
    }
}
