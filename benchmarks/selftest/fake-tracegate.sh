#!/usr/bin/env bash
# A stand-in for the tracegate binary, only to test the benchmark harness before Tracegate exists
# (TRACEGATE_BIN=benchmarks/selftest/fake-tracegate.sh benchmarks/h1.sh ...). It understands
# `version` and `run --config FILE`, reads the listener and the first endpoint from the generated
# YAML, prints the same "ready" JSON line on stderr and execs an nginx proxy (1 worker, upstream
# keep-alive). Its version string says it is not Tracegate, so a result row cannot be mistaken.
set -euo pipefail

case "${1:-}" in
    version) echo "fake-tracegate (nginx stand-in, NOT Tracegate)"; exit 0 ;;
    run) [[ ${2:-} == --config && -r ${3:-} ]] || { echo "usage: $0 run --config FILE" >&2; exit 64; } ;;
    *) echo "usage: $0 version | run --config FILE" >&2; exit 64 ;;
esac
conf="$3"
listen="$(awk '/^listeners:/ { on = 1; next } on && /address:/ { gsub(/[" ]/, ""); sub(/.*address:/, ""); print; exit }' "$conf")"
upstream="$(sed -n 's/.*endpoints: *\["\([^"]*\)".*/\1/p' "$conf" | head -1)"
[[ -n $listen && -n $upstream ]] || { echo "fake-tracegate: cannot read listener/endpoint from $conf" >&2; exit 65; }

dir="$(dirname "$conf")/fake-nginx"
mkdir -p "$dir/tmp"
cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    keepalive_requests 100000000;
    upstream backend { server $upstream; keepalive 64; keepalive_requests 100000000; }
    server {
        listen $listen;
        location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
CONF
printf '{"level":"info","event":"ready","listener":"%s","fake":true}\n' "$listen" >&2
exec nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf"
