// SwitchableUpstream: an UpstreamFixture whose behaviour a test switches while it runs (healthy,
// a status, a status with Retry-After, reset, hang, slow), for the resilience suites.
import Synchronization
import TracegateTestSupport

/// One upstream endpoint that fails on command.
///
/// Why a switch rather than a routes table: the resilience tests are about an endpoint that
/// changes over time (it fails, the breaker opens, it heals, the breaker closes) while the proxy
/// keeps sending the same request, so the behaviour lives in a `Mutex` the handler reads on each
/// request. The fixture records every request before answering, hung and reset ones included,
/// so `requestCount` is exactly what reached this endpoint.
final class SwitchableUpstream: Sendable {
    enum Mode: Sendable, Equatable {
        /// 200 `text/plain` "<name> ok" with `X-Upstream: <name>`.
        case healthy
        /// A bodyless answer with this status (503 is the usual one).
        case status(Int)
        /// The status with `Retry-After: <value>`.
        case statusRetryAfter(Int, String)
        /// RST instead of an answer (`resetBeforeHead`).
        case reset
        /// Never answers (`hang`).
        case hang
        /// Answers healthy after this delay (`delayBeforeHead`).
        case slow(Duration)
    }

    /// The mode, and modes scripted for the next requests, shared between the test and the
    /// fixture's connection threads.
    private final class Switch: Sendable {
        struct State {
            var mode: Mode
            var next: [Mode] = []
        }

        let state: Mutex<State>
        init(_ mode: Mode) { state = Mutex(State(mode: mode)) }

        /// The mode for the request being answered now.
        func take() -> Mode {
            state.withLock { s in s.next.isEmpty ? s.mode : s.next.removeFirst() }
        }
    }

    let name: String
    let fixture: UpstreamFixture
    private let switcher: Switch

    private init(name: String, fixture: UpstreamFixture, switcher: Switch) {
        self.name = name
        self.fixture = fixture
        self.switcher = switcher
    }

    /// Starts a fixture named `name` (its healthy body says so) in `mode`.
    static func start(_ name: String, mode: Mode = .healthy) throws -> SwitchableUpstream {
        let switcher = Switch(mode)
        let fixture = try UpstreamFixture.start { _ in
            Self.response(name: name, mode: switcher.take())
        }
        return SwitchableUpstream(name: name, fixture: fixture, switcher: switcher)
    }

    static func response(name: String, mode: Mode) -> FixtureResponse {
        let healthy = FixtureResponse(status: 200, headers: [("Content-Type", "text/plain"), ("X-Upstream", name)],
                                      body: .bytes(Array("\(name) ok".utf8)))
        switch mode {
        case .healthy: return healthy
        case .status(let status): return FixtureResponse(status: status, headers: [("X-Upstream", name)])
        case .statusRetryAfter(let status, let after):
            return FixtureResponse(status: status, headers: [("X-Upstream", name), ("Retry-After", after)])
        case .reset: return .reset
        case .hang: return .hang
        case .slow(let delay): return healthy.with { $0.delayBeforeHead = delay }
        }
    }

    /// The current mode; setting it affects the next request the fixture reads.
    var mode: Mode {
        get { switcher.state.withLock { $0.mode } }
        set { switcher.state.withLock { $0.mode = newValue } }
    }

    /// The next requests are answered in `modes`, one each, before `mode` applies again
    /// (e.g. `script([.status(503)])`: the next request fails, the one after is healthy).
    func script(_ modes: [Mode]) {
        switcher.state.withLock { $0.next = modes }
    }

    /// "127.0.0.1:PORT".
    var address: String { fixture.address }
    /// Requests this endpoint received so far (answered, reset or hung alike).
    var requestCount: Int { fixture.requests.count }
    var requests: [FixtureRequest] { fixture.requests }

    func stop() { fixture.stop() }
}
