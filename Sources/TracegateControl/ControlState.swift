// ControlState: what the admin endpoints report about the running process.
import Synchronization
import TracegateDataPlane

/// Shared, lock-protected facts the control side updates (config version, drain) and the admin
/// handlers read. Never touched by workers.
public final class ControlState: Sendable {
    struct Facts {
        var version = 1
        var configHash = ""
        var configPath: String?
        var draining = false
        var ready = false
        var snapshot: RuntimeSnapshot?
        /// `telemetry.trace_url_template` of the running config (the dashboard's trace links).
        var traceURLTemplate: String?
    }

    private let facts = Mutex(Facts())

    var draining: Bool { facts.withLock { $0.draining } }
    var ready: Bool { facts.withLock { $0.ready && !$0.draining } }
    var snapshot: RuntimeSnapshot? { facts.withLock { $0.snapshot } }
    var traceURLTemplate: String? { facts.withLock { $0.traceURLTemplate } }

    func update(_ body: (inout Facts) -> Void) { facts.withLock { body(&$0) } }
}
