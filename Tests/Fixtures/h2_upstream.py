#!/usr/bin/env python3
"""A real HTTP/2 origin for Tracegate's tests, built on PyPI `h2` (hyper-h2).

    h2_upstream.py [--cert FILE --key FILE] [--max-concurrent-streams N]
                   [--max-header-list-size BYTES] [--initial-window-size BYTES]

Listens on 127.0.0.1 (port chosen by the kernel) and prints `listening <port>` once it accepts
connections. Cleartext connections speak h2c with prior knowledge (RFC 9113 §3.3: the client
sends the connection preface at once, no Upgrade); with --cert/--key they are TLS and must
negotiate `h2` by ALPN (RFC 9113 §3.2). Exits 0 on SIGTERM or SIGINT.

Every event a test may assert on is one JSON object per stdout line (keys sorted):

    {"event": "connection", "connection": N, "peer": "127.0.0.1:P", "tls": bool, "alpn": str|null}
    {"event": "request", "connection": N, "stream_id": S, "method", "path", "authority", "scheme",
     "headers": [[name, value], ...]   every field as received, pseudo-headers included, in order,
     "body_length": B, "body_sha256": hex, "trailers": [[name, value], ...],
     "body_is_pattern": bool           the body is the test pattern (byte i is i % 251),
     "open_streams": K                 streams open on the connection when this one arrived,
     "complete": bool                  false when the client reset it or the connection ended first,
     "reset_code": name|null           the client's RST_STREAM error code, if any,
     "tls": bool, "alpn": str|null}
    {"event": "refused_stream", "connection": N, "stream_id": S, "reason": str, "open_streams": K}
    {"event": "goaway_received", "connection": N, "error_code": name, "last_stream_id": S}
    {"event": "protocol_error", "connection": N, "error": text, "error_code": name}

A request line is printed once the request is complete (END_STREAM received), before its response
is sent, so a client holding the response can rely on the line being there (or, for a reset or
lost stream, when that happens, with `complete: false`).

Responses, chosen by path (the query is ignored):

    (default)         200 application/json describing the request, the same shape as the HTTP/1
                      fixture's echo plus HTTP/2 fields: {"method", "path", "authority", "scheme",
                      "headers": {name: value or [values]} (regular fields only), "body_length",
                      "body_sha256", "trailers": {...}, "stream_id", "connection"}
    /status/NNN       status NNN (200..599) with body "NNN\\n" (none for 204 and 304)
    /bytes/N          N bytes of the test pattern (byte i is i % 251, FixturePattern in Swift) in
                      DATA frames no larger than the peer's window allows (RFC 9113 §5.2)
    /trailers         the echo JSON as body, then a trailing HEADERS block (RFC 9113 §8.1) with
                      `x-checksum: sha256=<hex of the body>` and `x-trailer-check: ok`
    /delay/MS         waits MS milliseconds (other streams go on), then the echo
    /reset            RST_STREAM(INTERNAL_ERROR) once the request is complete, no response;
    /reset/CODE       ... with error code CODE (a number or a name such as REFUSED_STREAM)
    /goaway           the echo, then GOAWAY(NO_ERROR, last_stream_id = highest stream seen): later
                      streams are refused (REFUSED_STREAM); the connection is closed 250 ms after
                      every open stream is done (RFC 9113 §6.8 graceful shutdown)
    POST /echo        200 at once, then the request body streamed back as it arrives. Received
                      DATA is acknowledged (WINDOW_UPDATE) only once echoed, so a client that does
                      not read the response sees its upload window close: flow control is
                      honoured both ways. Request trailers come back as response trailers.
    HEAD (any path)   the headers of the answer, no body.

SETTINGS_MAX_CONCURRENT_STREAMS (--max-concurrent-streams) is advertised and enforced per
RFC 9113 §5.1.2 as a stream error: a stream beyond the limit gets RST_STREAM(REFUSED_STREAM) and a
`refused_stream` line, so a test can check that a client (the proxy) respects it.
--max-header-list-size is advertised and enforced by h2's HPACK decoder, which answers a larger
header list with GOAWAY(ENHANCE_YOUR_CALM) (a `protocol_error` line).

If the `h2` module is missing, prints `missing-python-module h2 h2` on stderr and exits 3.
"""

import argparse
import asyncio
import hashlib
import json
import signal
import ssl
import sys

try:
    import h2.config
    import h2.connection
    import h2.events
    import h2.exceptions
    import h2.settings
    from h2.errors import ErrorCodes
    from h2.settings import SettingCodes
    from hyperframe.frame import GoAwayFrame
except ImportError as error:  # the Swift wrapper turns this line into a test failure
    print(f"missing-python-module h2 h2 ({error})", file=sys.stderr, flush=True)
    sys.exit(3)

PERIOD = 251
BLOCK = 64 * 1024
PATTERN = bytes(i % PERIOD for i in range(BLOCK + PERIOD))
UNLIMITED_STREAMS = 2**31 - 1
GOAWAY_LINGER = 0.25  # seconds a connection is read on after our GOAWAY (see close_if_done)


def emit(document):
    print(json.dumps(document, sort_keys=True), flush=True)


def text(value):
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


def error_name(code):
    try:
        return ErrorCodes(code).name
    except ValueError:
        return f"UNKNOWN_{code}"


def parse_error_code(token):
    if token.isdigit():
        return int(token)
    return ErrorCodes[token.upper()].value


def matches_pattern(data, offset):
    """Whether `data` equals the test pattern from byte `offset` on (compared a block at a time,
    so a 1 GiB pattern upload is checked at memcmp speed)."""
    view = memoryview(data)
    while view:
        take = min(BLOCK, len(view))
        phase = offset % PERIOD
        if view[:take] != PATTERN[phase:phase + take]:
            return False
        view = view[take:]
        offset += take
    return True


def header_map(fields):
    """{name: value} with repeated names mapped to a list, as the HTTP/1 fixture's echo does."""
    result = {}
    for name, value in fields:
        if name in result:
            if not isinstance(result[name], list):
                result[name] = [result[name]]
            result[name].append(value)
        else:
            result[name] = value
    return result


class Stream:
    """One request: what arrived, and the response task serving it."""

    def __init__(self, stream_id, headers, open_streams):
        self.id = stream_id
        self.headers = headers
        pseudo = {name: value for name, value in headers if name.startswith(":")}
        self.method = pseudo.get(":method", "")
        self.path = pseudo.get(":path", "")
        self.authority = pseudo.get(":authority")
        self.scheme = pseudo.get(":scheme")
        self.route = self.path.split("?", 1)[0]
        self.open_streams = open_streams
        self.body_length = 0
        self.sha256 = hashlib.sha256()
        self.body_is_pattern = True
        self.trailers = []
        self.complete = False
        self.reset_code = None
        self.responded = False  # this side has ended the stream (END_STREAM or RST_STREAM sent)
        self.released = False   # no longer counted as open
        self.logged = False
        self.echo_queue = None
        self.task = None

    @property
    def regular_headers(self):
        return [(name, value) for name, value in self.headers if not name.startswith(":")]


class Connection:
    """One client connection: an h2 state machine fed from the socket, one task per response."""

    def __init__(self, options, reader, writer, number):
        self.options = options
        self.reader = reader
        self.writer = writer
        self.number = number
        peer = writer.get_extra_info("peername") or ("?", 0)
        self.peer = f"{peer[0]}:{peer[1]}"
        ssl_object = writer.get_extra_info("ssl_object")
        self.tls = ssl_object is not None
        self.alpn = ssl_object.selected_alpn_protocol() if ssl_object else None
        config = h2.config.H2Configuration(
            client_side=False, header_encoding="utf-8", normalize_inbound_headers=False)
        self.conn = h2.connection.H2Connection(config=config)
        self.streams = {}
        self.open_streams = 0
        self.window_event = asyncio.Event()
        self.goaway_last_stream = None
        self.closed_by_peer = False
        self.linger = None
        self.closed = False

    # -- plumbing -------------------------------------------------------------------------------

    def flush(self, extra=b""):
        data = self.conn.data_to_send() + extra
        if data and not self.closed:
            self.writer.write(data)

    async def drain(self):
        if not self.closed:
            try:
                await self.writer.drain()
            except (ConnectionError, OSError):
                self.closed = True

    def window_opened(self):
        """Wakes every sender waiting for flow-control credit (or for its stream to die)."""
        self.window_event.set()
        self.window_event = asyncio.Event()

    def stream_open(self, stream):
        if self.closed or stream.reset_code is not None:
            return False
        h2_stream = self.conn.streams.get(stream.id)
        return h2_stream is not None and not h2_stream.closed

    async def send_data(self, stream, data):
        """Sends `data` in DATA frames within the stream's and the connection's windows
        (RFC 9113 §6.9) and the peer's SETTINGS_MAX_FRAME_SIZE; False if the stream died."""
        view = memoryview(data)
        while view:
            if not self.stream_open(stream):
                return False
            try:
                window = self.conn.local_flow_control_window(stream.id)
            except h2.exceptions.StreamClosedError:
                return False
            if window <= 0:
                await self.window_event.wait()
                continue
            size = min(window, self.conn.max_outbound_frame_size, len(view))
            self.conn.send_data(stream.id, view[:size].tobytes())
            view = view[size:]
            self.flush()
            await self.drain()
        return True

    async def send_pattern(self, stream, total):
        offset = 0
        while offset < total:
            take = min(BLOCK, total - offset)
            phase = offset % PERIOD
            if not await self.send_data(stream, PATTERN[phase:phase + take]):
                return False
            offset += take
        return True

    def finish(self, stream, trailers=None):
        if not self.stream_open(stream):
            return
        if trailers:
            self.conn.send_headers(stream.id, trailers, end_stream=True)
        else:
            self.conn.end_stream(stream.id)
        self.flush()

    def log(self, stream):
        if stream.logged:
            return
        stream.logged = True
        emit({
            "event": "request", "connection": self.number, "stream_id": stream.id,
            "method": stream.method, "path": stream.path, "authority": stream.authority,
            "scheme": stream.scheme, "headers": [list(field) for field in stream.headers],
            "body_length": stream.body_length, "body_sha256": stream.sha256.hexdigest(),
            "body_is_pattern": stream.body_is_pattern,
            "trailers": [list(field) for field in stream.trailers],
            "open_streams": stream.open_streams, "complete": stream.complete,
            "reset_code": stream.reset_code, "tls": self.tls, "alpn": self.alpn,
        })

    def echo_document(self, stream):
        return json.dumps({
            "method": stream.method, "path": stream.path, "authority": stream.authority,
            "scheme": stream.scheme, "headers": header_map(stream.regular_headers),
            "body_length": stream.body_length, "body_sha256": stream.sha256.hexdigest(),
            "trailers": header_map(stream.trailers), "stream_id": stream.id,
            "connection": self.number,
        }, sort_keys=True).encode()

    # -- responses ------------------------------------------------------------------------------

    async def respond(self, stream):
        route = stream.route
        head_only = stream.method == "HEAD"
        if route.startswith("/delay/"):
            await asyncio.sleep(int(route[len("/delay/"):]) / 1000)
        if route == "/reset" or route.startswith("/reset/"):
            code = parse_error_code(route[len("/reset/"):]) if route.startswith("/reset/") else ErrorCodes.INTERNAL_ERROR
            if self.stream_open(stream):
                self.conn.reset_stream(stream.id, error_code=code)
                self.flush()
            self.release(stream)  # RST_STREAM closes the stream whatever the client still sends
            return
        if route.startswith("/status/"):
            status = int(route[len("/status/"):])
            body = b"" if status in (204, 304) else f"{status}\n".encode()
            headers = [(":status", str(status))]
            if status not in (204, 304):
                headers += [("content-type", "text/plain"), ("content-length", str(len(body)))]
            await self.simple(stream, headers, body, head_only)
            return
        if route.startswith("/bytes/"):
            total = int(route[len("/bytes/"):])
            headers = [(":status", "200"), ("content-type", "application/octet-stream"),
                       ("content-length", str(total))]
            self.conn.send_headers(stream.id, headers, end_stream=head_only or total == 0)
            self.flush()
            if not head_only and total > 0 and await self.send_pattern(stream, total):
                self.finish(stream)
            return
        body = self.echo_document(stream)
        if route == "/trailers":
            self.conn.send_headers(stream.id, [(":status", "200"), ("content-type", "application/json")],
                                   end_stream=head_only)
            self.flush()
            if not head_only and await self.send_data(stream, body):
                self.finish(stream, [("x-checksum", "sha256=" + hashlib.sha256(body).hexdigest()),
                                     ("x-trailer-check", "ok")])
            return
        headers = [(":status", "200"), ("content-type", "application/json"),
                   ("content-length", str(len(body)))]
        await self.simple(stream, headers, body, head_only)
        if route == "/goaway" and self.goaway_last_stream is None:
            self.send_goaway()

    async def simple(self, stream, headers, body, head_only):
        if not self.stream_open(stream):
            return
        self.conn.send_headers(stream.id, headers, end_stream=head_only or not body)
        self.flush()
        if body and not head_only and await self.send_data(stream, body):
            self.finish(stream)

    def send_goaway(self):
        """GOAWAY written by hand: h2's close_connection() would move its state machine to CLOSED
        and forbid finishing the streams still open, which a graceful shutdown must do."""
        self.goaway_last_stream = self.conn.highest_inbound_stream_id
        frame = GoAwayFrame(stream_id=0, last_stream_id=self.goaway_last_stream,
                            error_code=ErrorCodes.NO_ERROR, additional_data=b"goaway requested")
        self.flush(frame.serialize())

    async def echo_stream(self, stream):
        """POST /echo: each DATA chunk goes back out, then is acknowledged (backpressure)."""
        while True:
            item = await stream.echo_queue.get()
            if item is None:
                self.finish(stream, stream.trailers or None)
                return
            data, flow_length = item
            if data and not await self.send_data(stream, data):
                return
            self.acknowledge(stream.id, flow_length)

    def acknowledge(self, stream_id, flow_length):
        if flow_length and not self.closed:
            try:
                self.conn.acknowledge_received_data(flow_length, stream_id)
            except h2.exceptions.StreamClosedError:
                pass
            self.flush()

    async def run_response(self, stream, coroutine):
        try:
            await coroutine
        except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError):
            pass  # the client reset the stream or the connection went away meanwhile
        except (ConnectionError, OSError):
            self.closed = True
        finally:
            stream.responded = True
            if stream.complete:
                self.release(stream)
            await self.drain()
            self.close_if_done()

    # -- events ---------------------------------------------------------------------------------

    def release(self, stream):
        """Stops counting `stream` as open: both sides ended it, or one reset it (RFC 9113 §5.1).
        The count is kept here rather than taken from h2, whose open_inbound_streams already
        includes every stream of a read when the first of its events is handled."""
        if not stream.released:
            stream.released = True
            self.open_streams -= 1
            self.streams.pop(stream.id, None)

    def refuse(self, stream_id, reason, open_streams):
        self.conn.reset_stream(stream_id, error_code=ErrorCodes.REFUSED_STREAM)
        emit({"event": "refused_stream", "connection": self.number, "stream_id": stream_id,
              "reason": reason, "open_streams": open_streams})

    def on_request(self, event):
        open_streams = self.open_streams + 1
        if self.goaway_last_stream is not None and event.stream_id > self.goaway_last_stream:
            self.refuse(event.stream_id, "after_goaway", open_streams)
            return
        if open_streams > self.options.max_concurrent_streams:
            self.refuse(event.stream_id, "max_concurrent_streams", open_streams)
            return
        stream = Stream(event.stream_id, [(text(n), text(v)) for n, v in event.headers], open_streams)
        self.streams[stream.id] = stream
        self.open_streams += 1
        if stream.route == "/echo" and stream.method == "POST":
            stream.echo_queue = asyncio.Queue()
            content_type = next((v for n, v in stream.headers if n == "content-type"), "application/octet-stream")
            self.conn.send_headers(stream.id, [(":status", "200"), ("content-type", content_type)])
            stream.task = asyncio.ensure_future(self.run_response(stream, self.echo_stream(stream)))
        if event.stream_ended is not None:
            self.on_end(stream.id)

    def on_data(self, event):
        stream = self.streams.get(event.stream_id)
        if stream is None or stream.reset_code is not None:
            self.acknowledge(event.stream_id, event.flow_controlled_length)
            return
        if stream.body_is_pattern:
            stream.body_is_pattern = matches_pattern(event.data, stream.body_length)
        stream.body_length += len(event.data)
        stream.sha256.update(event.data)
        if stream.echo_queue is not None:
            stream.echo_queue.put_nowait((event.data, event.flow_controlled_length))
        else:
            self.acknowledge(event.stream_id, event.flow_controlled_length)

    def on_end(self, stream_id):
        stream = self.streams.get(stream_id)
        if stream is None or stream.complete:
            return
        stream.complete = True
        self.log(stream)
        if stream.responded:
            self.release(stream)
            return
        if stream.echo_queue is not None:
            stream.echo_queue.put_nowait(None)
        else:
            stream.task = asyncio.ensure_future(self.run_response(stream, self.respond(stream)))

    def on_reset(self, event):
        stream = self.streams.get(event.stream_id)
        if stream is not None:
            stream.reset_code = error_name(event.error_code)
            self.log(stream)
            self.release(stream)
            if stream.echo_queue is not None:
                stream.echo_queue.put_nowait(None)  # ends the echo task (the stream is gone)
        self.window_opened()
        self.close_if_done()

    def handle(self, event):
        if isinstance(event, h2.events.RequestReceived):
            self.on_request(event)
        elif isinstance(event, h2.events.DataReceived):
            self.on_data(event)
        elif isinstance(event, h2.events.TrailersReceived):
            stream = self.streams.get(event.stream_id)
            if stream is not None:
                stream.trailers = [(text(n), text(v)) for n, v in event.headers]
        elif isinstance(event, h2.events.StreamEnded):
            self.on_end(event.stream_id)
        elif isinstance(event, h2.events.StreamReset):
            self.on_reset(event)
        elif isinstance(event, (h2.events.WindowUpdated, h2.events.RemoteSettingsChanged)):
            self.window_opened()
        elif isinstance(event, h2.events.ConnectionTerminated):
            emit({"event": "goaway_received", "connection": self.number,
                  "error_code": error_name(event.error_code), "last_stream_id": event.last_stream_id})
            self.closed_by_peer = True

    def close_if_done(self):
        """After the peer's GOAWAY, close once no stream is left open; after ours, linger first.

        A client may have sent new streams before our GOAWAY reached it. Closing at once would
        make the kernel answer them with a TCP RST that can destroy the GOAWAY still unread in
        the client's buffer; reading on for GOAWAY_LINGER lets those streams get REFUSED_STREAM,
        which clients retry on a new connection (RFC 9113 §8.7). The peer usually closes first.
        """
        if self.closed or self.conn.open_inbound_streams != 0:
            return
        if self.closed_by_peer:
            self.close()
        elif self.goaway_last_stream is not None and self.linger is None:
            self.linger = asyncio.get_running_loop().call_later(GOAWAY_LINGER, self.close)

    def close(self):
        if self.linger is not None:
            self.linger.cancel()
        if not self.closed:
            self.closed = True
            self.writer.close()
        self.window_opened()

    # -- main loop ------------------------------------------------------------------------------

    async def serve(self):
        emit({"event": "connection", "connection": self.number, "peer": self.peer,
              "tls": self.tls, "alpn": self.alpn})
        if self.tls and self.alpn != "h2":
            emit({"event": "protocol_error", "connection": self.number,
                  "error": f"ALPN selected {self.alpn!r}, not h2", "error_code": "NONE"})
            self.close()
            return
        # Advertise the configured limit, but let h2 itself accept any number of streams: h2
        # treats an excess stream as a connection error, RFC 9113 §5.1.2 as a stream error
        # (REFUSED_STREAM), which on_request applies.
        advertised = {SettingCodes.MAX_CONCURRENT_STREAMS: self.options.max_concurrent_streams,
                      SettingCodes.MAX_HEADER_LIST_SIZE: self.options.max_header_list_size}
        self.conn.local_settings = h2.settings.Settings(client=False, initial_values=advertised)
        self.conn.initiate_connection()
        enforced = dict(advertised)
        enforced[SettingCodes.MAX_CONCURRENT_STREAMS] = UNLIMITED_STREAMS
        self.conn.local_settings = h2.settings.Settings(client=False, initial_values=enforced)
        self.conn.decoder.max_header_list_size = self.options.max_header_list_size
        if self.options.initial_window_size is not None:
            # A change h2 applies only once the client ACKs it: until then the client may use
            # the default 65,535-byte windows (RFC 9113 §6.5.3), and holding it to a smaller
            # window from the start would be a flow-control error of ours, not the client's.
            self.conn.update_settings({SettingCodes.INITIAL_WINDOW_SIZE: self.options.initial_window_size})
        self.flush()
        try:
            while not self.closed:
                data = await self.reader.read(65536)
                if not data:
                    break
                try:
                    events = self.conn.receive_data(data)
                except h2.exceptions.ProtocolError as error:
                    emit({"event": "protocol_error", "connection": self.number, "error": str(error),
                          "error_code": error_name(getattr(error, "error_code", ErrorCodes.PROTOCOL_ERROR))})
                    self.flush()  # h2 queued the GOAWAY
                    await self.drain()
                    break
                for event in events:
                    self.handle(event)
                self.flush()
                await self.drain()
                self.close_if_done()
        except (ConnectionError, OSError):
            pass
        finally:
            for stream in self.streams.values():
                if not stream.complete:
                    self.log(stream)
                if stream.task is not None and not stream.task.done():
                    stream.task.cancel()
            self.close()


async def main(options):
    context = None
    if options.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.cert, options.key)
        context.set_alpn_protocols(["h2"])
    counter = 0
    connections = set()

    async def accept(reader, writer):
        nonlocal counter
        counter += 1
        connection = Connection(options, reader, writer, counter)
        connections.add(connection)
        try:
            await connection.serve()
        finally:
            connections.discard(connection)

    server = await asyncio.start_server(accept, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    print(f"listening {port}", flush=True)
    async with server:
        await stop.wait()
        server.close()
        for connection in list(connections):
            connection.close()


def arguments():
    parser = argparse.ArgumentParser(description="HTTP/2 test origin (h2c or TLS+ALPN h2)")
    parser.add_argument("--cert", help="PEM certificate chain: serve TLS with ALPN h2")
    parser.add_argument("--key", help="PEM private key for --cert")
    parser.add_argument("--max-concurrent-streams", type=int, default=100,
                        help="SETTINGS_MAX_CONCURRENT_STREAMS advertised and enforced (default 100)")
    parser.add_argument("--max-header-list-size", type=int, default=65536,
                        help="SETTINGS_MAX_HEADER_LIST_SIZE advertised and enforced (default 65536)")
    parser.add_argument("--initial-window-size", type=int,
                        help="SETTINGS_INITIAL_WINDOW_SIZE, sent in a second SETTINGS frame and in "
                             "force once acknowledged (default: h2's 65535)")
    options = parser.parse_args()
    if bool(options.cert) != bool(options.key):
        parser.error("--cert and --key go together")
    return options


if __name__ == "__main__":
    asyncio.run(main(arguments()))
