import Testing
import TracegateTLS

#if canImport(Glibc)
import Glibc
#endif

/// A server and a client `TLSConnection` over a non-blocking AF_UNIX socket pair, driven in
/// lock step by one thread: each round gives each side one handshake/read/write step, the way
/// an event loop would after readiness. Deterministic and fast; no ports.
final class TLSPair {
    let serverFD: Int32
    let clientFD: Int32
    let server: TLSConnection
    let client: TLSConnection
    private var serverSocketClosed = false

    init(
        server serverContext: TLSServerContext,
        client clientContext: TLSClientContext,
        serverName: String? = "localhost",
        session: TLSSession? = nil
    ) throws {
        var fds: [Int32] = [-1, -1]
        guard
            socketpair(
                AF_UNIX,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                0,
                &fds
            ) == 0
        else {
            throw PairError("socketpair failed: errno \(errno)")
        }
        serverFD = fds[0]
        clientFD = fds[1]
        guard let server = TLSConnection.accept(fd: serverFD, context: serverContext),
            let client = TLSConnection.connect(
                fd: clientFD,
                context: clientContext,
                serverName: serverName,
                session: session
            )
        else {
            close(fds[0])
            close(fds[1])
            throw PairError("TLSConnection.accept/connect returned nil")
        }
        self.server = server
        self.client = client
    }

    deinit {
        server.free()
        client.free()
        if !serverSocketClosed { close(serverFD) }
        close(clientFD)
    }

    /// Where one side's handshake stands.
    enum Step {
        case pending
        case done
        case failed(TLSError)

        var isDone: Bool {
            if case .done = self { return true }
            return false
        }

        var error: TLSError? {
            if case .failed(let error) = self { return error }
            return nil
        }
    }

    /// Both sides' handshake results.
    struct Outcome {
        var server: Step = .pending
        var client: Step = .pending

        var bothDone: Bool { server.isDone && client.isDone }
    }

    /// Steps both handshakes until neither is pending, or one failed and the other stopped
    /// moving (a failure the peer never learns about), or 200 rounds passed.
    func handshake() -> Outcome {
        var outcome = Outcome()
        var roundsSinceFailure = 0
        for _ in 0..<200 {
            if case .pending = outcome.client { outcome.client = Self.step(client) }
            if case .pending = outcome.server { outcome.server = Self.step(server) }
            let pending = [outcome.server, outcome.client].filter { if case .pending = $0 { true } else { false } }
                .count
            if pending == 0 { break }
            if outcome.server.error != nil || outcome.client.error != nil {
                roundsSinceFailure += 1
                if roundsSinceFailure > 10 { break }
            }
        }
        return outcome
    }

    private static func step(_ connection: TLSConnection) -> Step {
        switch connection.handshake() {
        case .done: .done
        case .wantRead, .wantWrite: .pending
        case .failed(let error): .failed(error)
        }
    }

    /// Writes `bytes` from `writer` while reading them on `reader`, until all arrived.
    /// - Returns: what `reader` received.
    func transfer(
        _ bytes: [UInt8],
        from writer: TLSConnection,
        to reader: TLSConnection,
        readChunk: Int = 16 * 1024
    ) throws -> [UInt8] {
        var written = 0
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readChunk)
        var idleRounds = 0
        while received.count < bytes.count {
            var progressed = false
            if written < bytes.count {
                let result = bytes.withUnsafeBytes { writer.write(UnsafeRawBufferPointer(rebasing: $0[written...])) }
                switch result {
                case .bytes(let count):
                    written += count
                    progressed = true
                case .wantRead, .wantWrite: break
                case .closed(let clean): throw PairError("writer saw the stream close (clean: \(clean))")
                case .failed(let error): throw PairError("write failed: \(error)")
                }
            }
            readLoop: while true {
                let result = buffer.withUnsafeMutableBytes { reader.read(into: $0) }
                switch result {
                case .bytes(let count):
                    received += buffer[0..<count]
                    progressed = true
                case .wantRead, .wantWrite: break readLoop
                case .closed(let clean):
                    throw PairError("reader saw the stream close (clean: \(clean)) after \(received.count) bytes")
                case .failed(let error): throw PairError("read failed: \(error)")
                }
            }
            idleRounds = progressed ? 0 : idleRounds + 1
            if idleRounds > 100 { throw PairError("no progress after \(written) written, \(received.count) received") }
        }
        return received
    }

    /// Reads on `reader` until `.wantRead` twice in a row or the stream ends.
    /// - Returns: the bytes read and the final result (`.wantRead`, `.closed` or `.failed`).
    func drain(_ reader: TLSConnection) -> (bytes: [UInt8], last: TLSIOResult) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let result = buffer.withUnsafeMutableBytes { reader.read(into: $0) }
            switch result {
            case .bytes(let count): received += buffer[0..<count]
            default: return (received, result)
            }
        }
    }

    /// Closes the server's socket without a TLS close_notify (a crash, or a truncation attack).
    func closeServerSocketWithoutNotify() {
        close(serverFD)
        serverSocketClosed = true
    }
}

/// A test-harness failure (not a `TLSError` under test).
struct PairError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
