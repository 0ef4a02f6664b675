// ClientLoad: many HTTP/1.1 clients, each on its own thread, sending GETs in a paced loop and
// recording every response's status and latency.
import Foundation
import Synchronization
import TracegateTestSupport

/// A closed-loop load of `clients` keep-alive clients, each sending one request, waiting for its
/// response, pausing `pause`, and again, until `stop()`.
///
/// Why threads and not h2load: the scenario needs latencies per request and per phase (healthy,
/// slow, healed) while it runs, and a client that waits for its answer is how a caller retrying
/// through a proxy behaves. Why not the cooperative pool: blocking reads on 32 clients would
/// starve it on a 2-core machine.
final class ClientLoad: Sendable {
    struct Sample: Sendable {
        /// When the request was sent.
        var sent: ContinuousClock.Instant
        var latency: Duration
        /// The response status; 0 when no complete response came within the request timeout.
        var status: Int
    }

    private let samples = Mutex<[Sample]>([])
    private let stopping = Atomic<Bool>(false)
    private let group = DispatchGroup()

    private init() {}

    /// Starts the clients now.
    static func start(port: Int, clients: Int, path: String = "/", pause: Duration = .milliseconds(50),
                      requestTimeout: Duration = .seconds(5)) -> ClientLoad {
        let load = ClientLoad()
        for i in 0..<clients {
            load.group.enter()
            let thread = Thread { [load] in
                load.run(port: port, path: "\(path)?client=\(i)", pause: pause, requestTimeout: requestTimeout)
                load.group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        return load
    }

    private func run(port: Int, path: String, pause: Duration, requestTimeout: Duration) {
        let clock = ContinuousClock()
        var client: RawHTTPClient?
        let request = "GET \(path) HTTP/1.1\r\nHost: api.test\r\n\r\n"
        while !stopping.load(ordering: .relaxed) {
            if client == nil { client = try? RawHTTPClient.connect(port: port) }
            let sent = clock.now
            var status = 0
            if let c = client, c.send(request), let response = c.readResponse(timeout: requestTimeout) {
                status = response.status
                if response.announcesClose { c.close(); client = nil }
            } else {
                client?.close()
                client = nil
            }
            let sample = Sample(sent: sent, latency: clock.now - sent, status: status)
            samples.withLock { $0.append(sample) }
            if pause > .zero { Thread.sleep(forTimeInterval: Self.seconds(pause)) }
        }
        client?.close()
    }

    /// Every sample so far.
    var snapshot: [Sample] { samples.withLock { $0 } }

    /// Stops the clients (each finishes its request in flight) and returns every sample.
    @discardableResult
    func stop(timeout: Duration = .seconds(15)) -> [Sample] {
        stopping.store(true, ordering: .relaxed)
        _ = group.wait(timeout: .now() + Self.seconds(timeout))
        return snapshot
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
