#!/usr/bin/env bash
# A stand-in for the tracegate binary, only to test the benchmark harness before Tracegate exists
# (TRACEGATE_BIN=benchmarks/selftest/fake-tracegate.sh benchmarks/h1.sh ...), and to measure the
# noise floor (an A/A run). It understands three commands and prints the same "ready" JSON line on
# stderr as Tracegate; its version string says it is not Tracegate, so a result row cannot be
# mistaken:
#   version
#   run --config FILE    (h1.sh) reads the listener and the first endpoint from the generated YAML
#                        and execs an nginx proxy (1 worker, upstream keep-alive)
#   proxy --listen A --to [http://]H:P [--workers N] [--admin A] [--tls-cert F --tls-key F]
#                        (h2.sh, quick mode) execs nghttpx with the flags h2.sh gives nghttpx:
#                        h2c prior knowledge (and HTTP/1.1) on a cleartext listener, ALPN h2 and
#                        http/1.1 on a TLS one; 1 worker; HTTP/1.1 to the upstream
set -euo pipefail

usage() { echo "usage: $0 version | run --config FILE | proxy --listen A --to H:P [--tls-cert F --tls-key F]" >&2; exit 64; }

proxy() {
    local listen="" to="" cert="" key="" frontend
    while (( $# > 0 )); do
        case "$1" in
            --listen) listen="${2:-}"; shift 2 ;;
            --to) to="${2:-}"; shift 2 ;;
            --tls-cert) cert="${2:-}"; shift 2 ;;
            --tls-key) key="${2:-}"; shift 2 ;;
            --workers|--admin|--trust|--debug-secret-file) shift 2 ;;
            *) echo "fake-tracegate: unknown option '$1'" >&2; usage ;;
        esac
    done
    [[ -n $listen && -n $to ]] || usage
    [[ -z $cert && -z $key ]] || [[ -r $cert && -r $key ]] || { echo "fake-tracegate: --tls-cert and --tls-key need readable files" >&2; exit 66; }
    command -v nghttpx >/dev/null 2>&1 || { echo "fake-tracegate: proxy needs nghttpx (apt-get install nghttp2-proxy)" >&2; exit 69; }
    to="${to#http://}"
    frontend="${listen%:*},${listen##*:}"
    [[ -n $cert ]] || frontend+=";no-tls"
    printf '{"level":"info","event":"ready","listener":"%s","fake":true}\n' "$listen" >&2
    exec nghttpx --conf=/dev/null --workers=1 --frontend="$frontend" --backend="${to%:*},${to##*:}" \
        --backend-keep-alive-timeout=300s --no-ocsp ${key:+"$key" "$cert"}
}

case "${1:-}" in
    version) echo "fake-tracegate (nginx/nghttpx stand-in, NOT Tracegate)"; exit 0 ;;
    run) [[ ${2:-} == --config && -r ${3:-} ]] || usage ;;
    proxy) shift; proxy "$@" ;;
    *) usage ;;
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
