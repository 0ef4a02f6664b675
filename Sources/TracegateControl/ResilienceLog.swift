// ResilienceLog: breaker transitions and ejections from the workers, as log lines.
import Logging
import TracegateDataPlane
import TracegateResilience

/// Turns the workers' `ResilienceEvent`s into structured log lines on the process logger, so the
/// moment a breaker opened or an endpoint was ejected is in the same log stream as `ready` and
/// `reloaded`. Drained by the access-log thread on its 20 ms cycle (events are rare).
struct ResilienceLog: Sendable {
    let dataPlane: DataPlane
    let logger: Logger

    func drain() {
        for queue in dataPlane.resilienceEvents {
            let (events, dropped) = queue.take()
            for event in events { log(event) }
            if dropped > 0 { logger.warning("resilience_events_dropped", metadata: ["count": "\(dropped)"]) }
        }
    }

    private func log(_ event: ResilienceEvent) {
        var metadata: Logger.Metadata = [
            "cluster": .string(event.cluster),
            "endpoint": .string(event.endpoint.description),
            "worker": "\(event.worker)",
        ]
        switch event.kind {
        case .breaker(let transition):
            metadata["from"] = .string(transition.from.label)
            metadata["to"] = .string(transition.to.label)
            metadata["reason"] = .string(transition.reason.label)
            let message: Logger.Message = switch transition.to {
            case .open: "circuit_breaker_opened"
            case .halfOpen: "circuit_breaker_half_open"
            case .closed: "circuit_breaker_closed"
            }
            if transition.to == .open { logger.warning(message, metadata: metadata) } else { logger.notice(message, metadata: metadata) }
        case .ejected(let reason, let nanos, let times):
            metadata["reason"] = .string(reason.label)
            metadata["ejection_ms"] = "\(nanos / 1_000_000)"
            metadata["times_ejected"] = "\(times)"
            logger.warning("endpoint_ejected", metadata: metadata)
        case .ejectionSuppressed(let reason):
            metadata["reason"] = .string(reason.label)
            logger.notice("endpoint_ejection_suppressed", metadata: metadata)
        case .returned:
            logger.notice("endpoint_returned", metadata: metadata)
        }
    }
}
