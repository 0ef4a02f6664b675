// HTTP2HeldClient: one HTTP/2 connection (h2c or TLS + ALPN h2) held open by a Python `h2` client
// and driven command by command, for what the one-shot clients (curl, nghttp) cannot show: a
// connection that outlives a reload, and the frames a server sends after a client's RST_STREAM.
import Foundation
import Synchronization
import Testing
import TracegateTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A Python HTTP/2 client process holding one connection to the proxy.
///
/// The script (`script` below, written to a temporary file) connects, prints a `connected` JSON
/// line (ALPN, TLS version, the server certificate's subject CN), then executes one command per
/// stdin line and answers each with one JSON line:
///
/// - `get PATH`: a GET stream; `{"event": "response", "stream_id", "status", "body_length",
///   "headers"}`, or `{"event": "stream_reset", "stream_id", "error_code"}`, or
///   `{"event": "closed"}` when the server ends the connection first.
/// - `reset PATH`: HEADERS (END_STREAM) and at once RST_STREAM(CANCEL) in one write, as a client
///   giving up on a request does; then a PING, read until its ACK. Answers
///   `{"event": "reset_checked", "stream_id", "frames_on_stream": [{"type", "flags", "error_code"}]}`:
///   every frame the server sent on that stream meanwhile (parsed from the raw bytes, not by h2).
/// - `quit`: GOAWAY(NO_ERROR) and exit 0.
///
/// Always `defer { client.stop() }`.
final class HeldH2Client {
    private let process: Process
    private let stdin: FileHandle
    private let lines: LineCollector
    private let directory: TempDir
    /// The `connected` line.
    let connected: [String: Any]

    /// Starts the client against `target` ("127.0.0.1:PORT"); with `caFile`, TLS verified against
    /// it (server name `serverName`, default the target host). Waits for the `connected` line.
    /// - Throws: `TestSupportError.toolMissing` without python3, `.pythonModuleMissing` without
    ///   `h2`, `.fixtureFailed` when the script exits or cannot connect.
    init(target: String, caFile: String? = nil, serverName: String? = nil, timeout: Duration = .seconds(20)) throws {
        let python = try ExternalTool.require("python3")
        directory = try TempDir(prefix: "h2held")
        let scriptPath = try directory.write("h2_held_client.py", Self.script)
        var arguments = [scriptPath, "--target", target]
        if let caFile { arguments += ["--ca", caFile] }
        if let serverName { arguments += ["--server-name", serverName] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        self.process = process
        stdin = input.fileHandleForWriting
        lines = LineCollector(stdout: output.fileHandleForReading.fileDescriptor,
                              stderr: errors.fileHandleForReading.fileDescriptor)
        guard let first = lines.next(timeout: timeout) else {
            process.terminate()
            process.waitUntilExit()
            let stderr = lines.stderrText
            if stderr.contains("missing-python-module") {
                throw TestSupportError.pythonModuleMissing(module: "h2", pipPackage: "h2")
            }
            throw TestSupportError.fixtureFailed(name: "h2_held_client.py", detail: "no connected line; stderr:\n\(stderr)")
        }
        guard first["event"] as? String == "connected" else {
            process.terminate()
            process.waitUntilExit()
            throw TestSupportError.fixtureFailed(name: "h2_held_client.py", detail: "\(first); stderr:\n\(lines.stderrText)")
        }
        connected = first
    }

    deinit { stop() }

    /// Sends one command line and returns its answer (nil on timeout or when the script died).
    func command(_ line: String, timeout: Duration = .seconds(15)) -> [String: Any]? {
        guard process.isRunning else { return nil }
        do {
            try stdin.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            return nil
        }
        return lines.next(timeout: timeout)
    }

    /// `get PATH` on the held connection.
    func get(_ path: String) -> [String: Any]? { command("get \(path)") }

    /// Ends the connection (GOAWAY) and the process; kills it if it does not exit. Idempotent.
    func stop() {
        if process.isRunning {
            try? stdin.write(contentsOf: Data("quit\n".utf8))
            try? stdin.close()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { process.terminate() }
        }
        lines.waitForEnd()
    }

    /// What the script wrote to stderr (a traceback, if it crashed).
    var stderrText: String { lines.stderrText }

    /// The client. Raw frames are counted beside h2 (which ignores frames on streams it reset).
    static let script = #"""
    import argparse, json, select, socket, ssl, struct, sys, time
    try:
        import h2.config, h2.connection, h2.events, h2.exceptions
        from h2.errors import ErrorCodes
    except ImportError as error:
        print(f"missing-python-module h2 h2 ({error})", file=sys.stderr, flush=True)
        sys.exit(3)

    FRAME_TYPES = {0: "DATA", 1: "HEADERS", 2: "PRIORITY", 3: "RST_STREAM", 4: "SETTINGS",
                   5: "PUSH_PROMISE", 6: "PING", 7: "GOAWAY", 8: "WINDOW_UPDATE", 9: "CONTINUATION"}

    def emit(document):
        print(json.dumps(document, sort_keys=True), flush=True)

    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--ca")
    parser.add_argument("--server-name")
    options = parser.parse_args()
    host, _, port = options.target.rpartition(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    connected = {"event": "connected", "tls": False, "alpn": None, "tls_version": None, "subject_cn": None}
    if options.ca:
        context = ssl.create_default_context(cafile=options.ca)
        context.set_alpn_protocols(["h2"])
        sock = context.wrap_socket(sock, server_hostname=options.server_name or host)
        subject = dict(item[0] for item in sock.getpeercert().get("subject", ()))
        connected.update(tls=True, alpn=sock.selected_alpn_protocol(), tls_version=sock.version(),
                         subject_cn=subject.get("commonName"))
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    emit(connected)

    raw = bytearray()
    frames = []        # (type, flags, stream_id, payload) of every frame received
    closed = False

    def receive(timeout):
        """Reads once; feeds the raw frame parser and h2; returns h2's events."""
        global closed
        if not (isinstance(sock, ssl.SSLSocket) and sock.pending()):
            readable, _, _ = select.select([sock], [], [], timeout)
            if not readable:
                return []
        try:
            data = sock.recv(65536)
        except (ConnectionError, OSError, ssl.SSLError):
            data = b""
        if not data:
            closed = True
            return []
        raw.extend(data)
        while len(raw) >= 9:
            length = int.from_bytes(raw[0:3], "big")
            if len(raw) < 9 + length:
                break
            kind, flags = raw[3], raw[4]
            stream = int.from_bytes(raw[5:9], "big") & 0x7FFFFFFF
            frames.append((FRAME_TYPES.get(kind, str(kind)), flags, stream, bytes(raw[9:9 + length])))
            del raw[:9 + length]
        events = conn.receive_data(data)
        pending = conn.data_to_send()
        if pending:
            sock.sendall(pending)
        return events

    def request_headers(path):
        return [(":method", "GET"), (":path", path), (":scheme", "https" if options.ca else "http"),
                (":authority", options.target), ("user-agent", "tracegate-held-client")]

    def get(path):
        stream = conn.get_next_available_stream_id()
        conn.send_headers(stream, request_headers(path), end_stream=True)
        sock.sendall(conn.data_to_send())
        status, headers, length = None, [], 0
        while not closed:
            for event in receive(10):
                if isinstance(event, h2.events.ResponseReceived) and event.stream_id == stream:
                    headers = [[n, v] for n, v in event.headers]
                    status = int(dict(event.headers).get(":status", "0"))
                elif isinstance(event, h2.events.DataReceived) and event.stream_id == stream:
                    length += len(event.data)
                    conn.acknowledge_received_data(event.flow_controlled_length, stream)
                    sock.sendall(conn.data_to_send())
                elif isinstance(event, h2.events.StreamEnded) and event.stream_id == stream:
                    return {"event": "response", "stream_id": stream, "status": status,
                            "body_length": length, "headers": headers}
                elif isinstance(event, h2.events.StreamReset) and event.stream_id == stream:
                    return {"event": "stream_reset", "stream_id": stream, "error_code": int(event.error_code)}
        return {"event": "closed"}

    def reset(path, linger):
        stream = conn.get_next_available_stream_id()
        conn.send_headers(stream, request_headers(path), end_stream=True)
        conn.reset_stream(stream, error_code=ErrorCodes.CANCEL)
        sock.sendall(conn.data_to_send())
        first = len(frames)
        conn.ping(b"tgcheck!")
        sock.sendall(conn.data_to_send())
        acked = False
        while not closed and not acked:
            receive(10)
            acked = any(kind == "PING" and flags & 1 and payload == b"tgcheck!" for kind, flags, _, payload in frames[first:])
        deadline = time.monotonic() + linger
        while not closed and time.monotonic() < deadline:
            receive(deadline - time.monotonic())
        seen = [{"type": kind, "flags": flags,
                 "error_code": struct.unpack(">I", payload[:4])[0] if kind == "RST_STREAM" else None}
                for kind, flags, sid, payload in frames[first:] if sid == stream]
        return {"event": "reset_checked" if acked else "closed", "stream_id": stream, "frames_on_stream": seen}

    def raw_send(hexdata):
        first = len(frames)
        sock.sendall(bytes.fromhex(hexdata))
        deadline = time.monotonic() + 3
        while not closed and time.monotonic() < deadline:
            receive(deadline - time.monotonic())
        seen = [{"type": kind, "stream_id": sid,
                 "error_code": struct.unpack(">I", payload[4:8])[0] if kind == "GOAWAY" else None}
                for kind, flags, sid, payload in frames[first:]]
        return {"event": "raw_done", "closed": closed, "frames": seen}

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            if words[0] == "get":
                emit(get(words[1]))
            elif words[0] == "reset":
                emit(reset(words[1], int(words[2]) / 1000 if len(words) > 2 else 0))
            elif words[0] == "raw":
                emit(raw_send(words[1]))
            elif words[0] == "quit":
                break
            else:
                emit({"event": "error", "detail": f"unknown command {words[0]}"})
        except (h2.exceptions.ProtocolError, OSError, ssl.SSLError, ValueError) as error:
            emit({"event": "error", "detail": f"{type(error).__name__}: {error}"})
    try:
        conn.close_connection()
        sock.sendall(conn.data_to_send())
    except Exception:
        pass
    sock.close()
    """#
}

/// Collects a child's stdout JSON lines and its stderr on a reader thread.
private final class LineCollector: Sendable {
    private struct State {
        var pending = [String]()
        var stderr = [UInt8]()
        var ended = false
    }
    private let state = Mutex(State())

    init(stdout: Int32, stderr: Int32) {
        let thread = Thread { [self] in run(stdout: stdout, stderr: stderr) }
        thread.start()
    }

    private func run(stdout: Int32, stderr: Int32) {
        var partial = [UInt8]()
        var open = [stdout, stderr]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), 1000) >= 0 || errno == EINTR else { break }
            for entry in fds where entry.revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if n <= 0 {
                    open.removeAll { $0 == entry.fd }
                    continue
                }
                let bytes = buffer[0..<n]
                if entry.fd == stderr {
                    state.withLock { $0.stderr.append(contentsOf: bytes) }
                    continue
                }
                partial.append(contentsOf: bytes)
                while let newline = partial.firstIndex(of: 10) {
                    let line = String(decoding: partial[..<newline], as: UTF8.self)
                    partial.removeSubrange(...newline)
                    state.withLock { $0.pending.append(line) }
                }
            }
        }
        state.withLock { $0.ended = true }
    }

    /// The next JSON object line, or nil after `timeout` or once stdout ended without one.
    func next(timeout: Duration) -> [String: Any]? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            enum Step { case line(String), ended, wait }
            let step: Step = state.withLock { state in
                if !state.pending.isEmpty { return .line(state.pending.removeFirst()) }
                return state.ended ? .ended : .wait
            }
            switch step {
            case .line(let line):
                guard line.hasPrefix("{"),
                      let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { continue }
                return object
            case .ended:
                return nil
            case .wait:
                usleep(5_000)
            }
        }
        return nil
    }

    /// Blocks (at most 5 s) until both pipes reached end of file.
    func waitForEnd() {
        let deadline = Date().addingTimeInterval(5)
        while !state.withLock({ $0.ended }) && Date() < deadline { usleep(5_000) }
    }

    var stderrText: String { state.withLock { String(decoding: $0.stderr, as: UTF8.self) } }
}
