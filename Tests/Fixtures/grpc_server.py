#!/usr/bin/env python3
"""A real gRPC server for Tracegate's tests: PyPI `grpcio`, generic handlers, bytes in and out.

    grpc_server.py [--cert FILE --key FILE]

No generated stubs: the service `tracegate.test.Echo` is registered with
`grpc.method_handlers_generic_handler` and no (de)serializers, so messages are raw bytes and the
only dependency is grpcio itself. Listens on 127.0.0.1 (port chosen by the kernel) over h2c, or
TLS with --cert/--key, and prints `listening <port>` once it serves. Exits 0 on SIGTERM/SIGINT.

Methods (every one sends initial metadata `x-initial-check: <method>` and trailing metadata
`x-trailer-check: <method>`, so a test sees both header blocks cross a proxy):

    /tracegate.test.Echo/Unary    unary: answers one JSON message
                                  {"request": <request bytes as UTF-8>, "request_length": n,
                                   "metadata": [[key, value], ...] (as received, in order)}
    /tracegate.test.Echo/Stream   server streaming: the request is JSON {"count": N, "message": T};
                                  answers N messages "T 0" .. "T N-1"
    /tracegate.test.Echo/Fail     unary: the request is JSON {"code": NAME, "details": TEXT};
                                  ends with that status code (e.g. NOT_FOUND) and details

Each call is also printed as one JSON line when it starts:
    {"event": "call", "method": "/tracegate.test.Echo/Unary", "metadata": [[key, value], ...],
     "request_length": n}
Binary metadata (keys ending in -bin) is shown base64-encoded.

If the `grpc` module is missing, prints `missing-python-module grpc grpcio` on stderr and exits 3.
"""

import argparse
import base64
import json
import signal
import sys
import threading
from concurrent import futures

try:
    import grpc
except ImportError as error:  # the Swift wrapper turns this line into a test failure
    print(f"missing-python-module grpc grpcio ({error})", file=sys.stderr, flush=True)
    sys.exit(3)

SERVICE = "tracegate.test.Echo"
print_lock = threading.Lock()


def emit(document):
    line = json.dumps(document, sort_keys=True)
    with print_lock:
        print(line, flush=True)


def metadata_pairs(metadata):
    pairs = []
    for key, value in metadata or ():
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode()
        pairs.append([key, value])
    return pairs


def begin(context, method, request):
    name = method.capitalize()
    emit({"event": "call", "method": f"/{SERVICE}/{name}",
          "metadata": metadata_pairs(context.invocation_metadata()),
          "request_length": len(request)})
    context.send_initial_metadata((("x-initial-check", method),))
    context.set_trailing_metadata((("x-trailer-check", method),))


def request_json(request, context):
    try:
        return json.loads(request.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"request is not JSON: {error}")


def unary(request, context):
    begin(context, "unary", request)
    return json.dumps({
        "request": request.decode("utf-8", errors="replace"),
        "request_length": len(request),
        "metadata": metadata_pairs(context.invocation_metadata()),
    }, sort_keys=True).encode()


def stream(request, context):
    begin(context, "stream", request)
    document = request_json(request, context)
    count = int(document.get("count", 5))
    message = str(document.get("message", "message"))
    for index in range(count):
        yield f"{message} {index}".encode()


def fail(request, context):
    begin(context, "fail", request)
    document = request_json(request, context)
    name = str(document.get("code", "FAILED_PRECONDITION")).upper()
    code = getattr(grpc.StatusCode, name, None)
    if code is None or code is grpc.StatusCode.OK:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"not a failure status code: {name}")
    context.abort(code, str(document.get("details", "failed on request")))


def main():
    parser = argparse.ArgumentParser(description="gRPC echo server without generated stubs")
    parser.add_argument("--cert", help="PEM certificate chain: serve TLS")
    parser.add_argument("--key", help="PEM private key for --cert")
    options = parser.parse_args()
    if bool(options.cert) != bool(options.key):
        parser.error("--cert and --key go together")

    handler = grpc.method_handlers_generic_handler(SERVICE, {
        "Unary": grpc.unary_unary_rpc_method_handler(unary),
        "Stream": grpc.unary_stream_rpc_method_handler(stream),
        "Fail": grpc.unary_unary_rpc_method_handler(fail),
    })
    # SO_REUSEPORT off: with port 0 a second server must never share a port with this one.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), handlers=(handler,),
                         options=(("grpc.so_reuseport", 0),))
    if options.cert:
        with open(options.key, "rb") as key, open(options.cert, "rb") as cert:
            credentials = grpc.ssl_server_credentials(((key.read(), cert.read()),))
        port = server.add_secure_port("127.0.0.1:0", credentials)
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    if port == 0:
        print("cannot bind 127.0.0.1:0", file=sys.stderr, flush=True)
        sys.exit(1)
    server.start()

    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    print(f"listening {port}", flush=True)
    while not stop.wait(3600):
        pass
    server.stop(grace=1).wait()


if __name__ == "__main__":
    main()
