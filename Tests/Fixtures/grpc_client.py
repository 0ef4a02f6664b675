#!/usr/bin/env python3
"""A real gRPC client for Tracegate's tests: PyPI `grpcio`, no generated stubs.

    grpc_client.py --target HOST:PORT --call unary|stream|fail [--metadata KEY=VALUE]...
                   [--message TEXT] [--count N] [--code NAME] [--details TEXT]
                   [--ca FILE [--server-name NAME]] [--timeout SECONDS]

Calls one method of `tracegate.test.Echo` (see grpc_server.py) with raw bytes:

    unary   sends --message (default "hello")
    stream  sends {"count": --count (default 5), "message": --message}
    fail    sends {"code": --code (default FAILED_PRECONDITION), "details": --details}

and prints one JSON object (keys sorted):

    {"code": "OK" | status code name, "details": text or null,
     "messages": [response messages as UTF-8 text], "initial_metadata": [[key, value], ...],
     "trailing_metadata": [[key, value], ...]}

A call that fails still prints the object and exits 0: the status is the result. Exit 2 is a usage
error. HTTP proxies from the environment are ignored (`grpc.enable_http_proxy` 0). With --ca the
channel is TLS, verified against that CA; --server-name overrides the name checked (and
:authority). If the `grpc` module is missing, prints `missing-python-module grpc grpcio` on stderr
and exits 3.
"""

import argparse
import base64
import json
import sys

try:
    import grpc
except ImportError as error:  # the Swift wrapper turns this line into a test failure
    print(f"missing-python-module grpc grpcio ({error})", file=sys.stderr, flush=True)
    sys.exit(3)

SERVICE = "tracegate.test.Echo"


def pairs(metadata):
    result = []
    for key, value in metadata or ():
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode()
        result.append([key, value])
    return result


def name(code):
    return code.name if code is not None else None


def main():
    parser = argparse.ArgumentParser(description="gRPC client for grpc_server.py")
    parser.add_argument("--target", required=True, help="HOST:PORT")
    parser.add_argument("--call", required=True, choices=("unary", "stream", "fail"))
    parser.add_argument("--metadata", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--message", default="hello")
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--code", default="FAILED_PRECONDITION")
    parser.add_argument("--details", default="failed on request")
    parser.add_argument("--ca", help="PEM CA certificate: use TLS and verify against it")
    parser.add_argument("--server-name", help="name to verify (and :authority) with --ca")
    parser.add_argument("--timeout", type=float, default=20.0)
    options = parser.parse_args()

    metadata = []
    for item in options.metadata:
        key, separator, value = item.partition("=")
        if not separator:
            parser.error(f"--metadata needs KEY=VALUE, got {item!r}")
        metadata.append((key, value))

    channel_options = [("grpc.enable_http_proxy", 0)]
    if options.ca:
        with open(options.ca, "rb") as ca:
            credentials = grpc.ssl_channel_credentials(root_certificates=ca.read())
        if options.server_name:
            channel_options.append(("grpc.ssl_target_name_override", options.server_name))
        channel = grpc.secure_channel(options.target, credentials, options=channel_options)
    else:
        channel = grpc.insecure_channel(options.target, options=channel_options)

    result = {"code": None, "details": None, "messages": [],
              "initial_metadata": [], "trailing_metadata": []}
    with channel:
        if options.call == "stream":
            request = json.dumps({"count": options.count, "message": options.message}).encode()
            call = channel.unary_stream(f"/{SERVICE}/Stream")(
                request, metadata=metadata, timeout=options.timeout)
            try:
                for message in call:
                    result["messages"].append(message.decode("utf-8", errors="replace"))
            except grpc.RpcError:
                pass  # the call object carries the status
        else:
            if options.call == "unary":
                request = options.message.encode()
                method = "Unary"
            else:
                request = json.dumps({"code": options.code, "details": options.details}).encode()
                method = "Fail"
            callable_ = channel.unary_unary(f"/{SERVICE}/{method}")
            try:
                response, call = callable_.with_call(request, metadata=metadata, timeout=options.timeout)
                result["messages"].append(response.decode("utf-8", errors="replace"))
            except grpc.RpcError as error:
                call = error  # a failed unary call's error is its call object
        result["code"] = name(call.code())
        result["details"] = call.details() or None
        result["initial_metadata"] = pairs(call.initial_metadata())
        result["trailing_metadata"] = pairs(call.trailing_metadata())
    print(json.dumps(result, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
