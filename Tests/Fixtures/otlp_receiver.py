#!/usr/bin/env python3
"""A real OTLP/HTTP trace receiver for Tracegate's tests.

Decodes export requests with the official generated Python definitions (PyPI package
`opentelemetry-proto`), so the tests check Tracegate's encoder against an implementation it
shares no code with.

    otlp_receiver.py [--mode ok|hang|fail503|fail500|partial|count] [--retry-after SECONDS]
                     [--rejected N]

Prints `listening <port>` on stdout once it accepts connections on 127.0.0.1 (port chosen by
the kernel), then `requests <total>` after each export request is read and `spans <total>`
after each one is stored, so a test can block on stdout instead of polling. Endpoints:

    POST /v1/traces  application/x-protobuf ExportTraceServiceRequest
    GET  /spans      JSON list of the spans received (ok and partial modes)
    GET  /requests   JSON {"count": N, "requests": [{"method", "path", "headers"}]} of the
                     export requests seen, in every mode

Modes: ok answers 200 with an empty ExportTraceServiceResponse; partial answers 200 with
partial_success.rejected_spans = --rejected; fail503/fail500 answer 503/500 (503 with
Retry-After when --retry-after is given); hang reads the request and never answers, keeping
the connection open; count (for benchmarks) decodes every request but keeps only totals, printed
by `GET /count` as {"requests": N, "spans": M}, and prints nothing per request. Exits 0 on
SIGTERM or SIGINT.

If the `opentelemetry.proto` module is missing, prints `missing-python-module
opentelemetry.proto opentelemetry-proto` on stderr and exits 3.
"""

import argparse
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
    from opentelemetry.proto.trace.v1 import trace_pb2
except ImportError as error:  # the Swift wrapper turns this line into a test failure
    print(f"missing-python-module opentelemetry.proto opentelemetry-proto ({error})",
          file=sys.stderr, flush=True)
    sys.exit(3)

TRACES_PATH = "/v1/traces"
MAX_BODY = 64 * 1024 * 1024


def any_value(value):
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [any_value(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return {item.key: any_value(item.value) for item in value.kvlist_value.values}
    if kind == "bytes_value":
        return value.bytes_value.hex()
    return getattr(value, kind)


def attributes(key_values):
    return {item.key: any_value(item.value) for item in key_values}


def span_json(span, resource, scope):
    return {
        "trace_id": span.trace_id.hex(),
        "span_id": span.span_id.hex(),
        "parent_span_id": span.parent_span_id.hex(),
        "name": span.name,
        "kind": trace_pb2.Span.SpanKind.Name(span.kind),
        "start_time_unix_nano": span.start_time_unix_nano,
        "end_time_unix_nano": span.end_time_unix_nano,
        "flags": span.flags,
        "trace_state": span.trace_state,
        "attributes": attributes(span.attributes),
        "events": [
            {"name": event.name, "time_unix_nano": event.time_unix_nano,
             "attributes": attributes(event.attributes)}
            for event in span.events
        ],
        "links": [
            {"trace_id": link.trace_id.hex(), "span_id": link.span_id.hex(),
             "trace_state": link.trace_state, "flags": link.flags,
             "attributes": attributes(link.attributes)}
            for link in span.links
        ],
        "status": {"code": trace_pb2.Status.StatusCode.Name(span.status.code),
                   "message": span.status.message},
        "resource": {"attributes": attributes(resource.attributes)},
        "scope": {"name": scope.name, "version": scope.version},
    }


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.spans = []
        self.requests = []
        self.counted_requests = 0
        self.counted_spans = 0

    def add_request(self, method, path, headers):
        with self.lock:
            self.requests.append({"method": method, "path": path, "headers": headers})
            print(f"requests {len(self.requests)}", flush=True)

    def add_spans(self, spans):
        with self.lock:
            self.spans.extend(spans)
            print(f"spans {len(self.spans)}", flush=True)

    def count(self, spans):
        with self.lock:
            self.counted_requests += 1
            self.counted_spans += spans

    def snapshot(self):
        with self.lock:
            return list(self.spans), list(self.requests)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the exporter expects

    def log_message(self, format, *args):  # keep the test output quiet
        pass

    def send_body(self, status, body, content_type, extra_headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, value):
        self.send_body(200, json.dumps(value).encode(), "application/json")

    def do_GET(self):
        spans, requests = self.server.store.snapshot()
        if self.path == "/spans":
            self.send_json(spans)
        elif self.path == "/requests":
            self.send_json({"count": len(requests), "requests": requests})
        elif self.path == "/count":
            with self.server.store.lock:
                totals = {"requests": self.server.store.counted_requests, "spans": self.server.store.counted_spans}
            self.send_json(totals)
        else:
            self.send_body(404, b"not found\n", "text/plain")

    def do_POST(self):
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit() or int(length) > MAX_BODY:
            self.send_body(411, b"Content-Length required\n", "text/plain")
            self.close_connection = True
            return
        body = self.rfile.read(int(length))
        headers = {name.lower(): value for name, value in self.headers.items()}
        if self.server.mode == "count":
            request = trace_service_pb2.ExportTraceServiceRequest()
            request.ParseFromString(body)
            n = sum(len(ss.spans) for rs in request.resource_spans for ss in rs.scope_spans)
            self.server.store.count(n)
            self.send_body(200, b"", "application/x-protobuf")
            return
        self.server.store.add_request("POST", self.path, headers)
        if self.path != TRACES_PATH:
            self.send_body(404, b"not found\n", "text/plain")
            return
        if headers.get("content-type", "").split(";")[0].strip() != "application/x-protobuf":
            self.send_body(415, b"expected application/x-protobuf\n", "text/plain")
            return
        mode = self.server.mode
        if mode == "hang":
            self.server.stopping.wait()  # never answer; the connection stays open
            self.close_connection = True
            return
        if mode == "fail503":
            extra = []
            if self.server.retry_after is not None:
                extra.append(("Retry-After", str(self.server.retry_after)))
            self.send_body(503, b"unavailable\n", "text/plain", extra)
            return
        if mode == "fail500":
            self.send_body(500, b"internal error\n", "text/plain")
            return
        request = trace_service_pb2.ExportTraceServiceRequest()
        try:
            request.ParseFromString(body)
        except Exception as error:  # noqa: BLE001 - any decode error is the sender's fault
            self.send_body(400, f"cannot decode: {error}\n".encode(), "text/plain")
            return
        spans = []
        for resource_spans in request.resource_spans:
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    spans.append(span_json(span, resource_spans.resource, scope_spans.scope))
        self.server.store.add_spans(spans)
        response = trace_service_pb2.ExportTraceServiceResponse()
        if mode == "partial":
            response.partial_success.rejected_spans = min(self.server.rejected, len(spans))
            response.partial_success.error_message = "rejected by test receiver"
        self.send_body(200, response.SerializeToString(), "application/x-protobuf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["ok", "hang", "fail503", "fail500", "partial", "count"], default="ok")
    parser.add_argument("--retry-after", type=int, default=None)
    parser.add_argument("--rejected", type=int, default=1)
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True  # a hanging handler must not keep the process alive
    server.store = Store()
    server.mode = args.mode
    server.retry_after = args.retry_after
    server.rejected = args.rejected
    server.stopping = threading.Event()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    thread = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
    thread.start()
    print(f"listening {server.server_address[1]}", flush=True)
    while not stop.wait(0.5):
        pass
    server.stopping.set()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
