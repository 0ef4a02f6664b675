// AccessLog: drains the workers' record rings into the access log and the request index.
import Glibc
import Logging
import TracegateDataPlane

/// A control-side thread that empties every worker's ring every 20 ms: each record goes into the
/// request index behind `/debug/requests` and, when enabled, becomes one JSON access-log line
/// through swift-log (batched to stdout). Workers never wait for it; when it falls behind, rings
/// fill and records are dropped and counted on the worker.
final class AccessLog: Sendable {
    let dataPlane: DataPlane
    let state: ControlState
    let index: RequestIndex
    let logger: Logger
    let sink = LineSink(fd: 1)
    let enabled: Bool
    /// Where records of requests whose spans are exported go (sampled, or failing when
    /// `always_export_errors`); building spans happens here, off the workers.
    let spans: SpanPipeline
    /// Breaker and ejection events, logged on the same cycle.
    let events: ResilienceLog?

    init(dataPlane: DataPlane, state: ControlState, index: RequestIndex, enabled: Bool, spans: SpanPipeline,
         events: ResilienceLog? = nil) {
        self.events = events
        self.dataPlane = dataPlane
        self.state = state
        self.index = index
        self.enabled = enabled
        self.spans = spans
        let sink = self.sink
        var logger = Logger(label: "tracegate.access") { _ in BufferedLineHandler(sink: sink) }
        logger.logLevel = .info
        self.logger = logger
    }

    func start() {
        let log = self
        Thread.detach(name: "tg-access-log") {
            var json = ByteJSON()
            while true {
                log.drainOnce(json: &json)
                usleep(20_000)
            }
        }
    }

    /// Empties every ring once (also called at shutdown, so the last requests are logged): each
    /// record goes straight from the ring slot into the index and, when enabled, into one line.
    func drainOnce(json: inout ByteJSON) {
        let snapshot = state.snapshot
        let routes = snapshot?.routes
        let details = dataPlane.debugDetails
        var spanSink = spans.sink(snapshot: snapshot)
        for ring in dataPlane.rings {
            index.withBatch { add in
                ring.drain { record in
                    if record.shadow { spanSink?.consumeShadow(record); return }  // a span, not a request
                    add(record)
                    spanSink?.consume(record)
                    guard enabled else { return }
                    json.reset()
                    let detail = record.debug ? details.take(spanID: record.serverSpanID.rawValue) : nil
                    AccessLogLine.write(record, routes: routes, debug: detail, into: &json)
                    logger.info(Logger.Message(stringLiteral: json.text))
                }
            }
        }
        spanSink?.flush()
        sink.flush()
        events?.drain()
    }

    func drainOnce() {
        var json = ByteJSON()
        drainOnce(json: &json)
        json.release()
    }
}
