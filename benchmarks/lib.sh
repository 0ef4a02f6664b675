# shellcheck shell=bash
# Shared helpers for the Tracegate benchmark scripts (h1.sh, h2.sh, syscalls.sh, profile.sh).
#
# Source it; do not run it. Everything it starts is recorded and killed by the EXIT trap that
# bench_init installs, and all state lives in one `mktemp -d` directory ($BENCH_DIR).
#
# Globals it sets:
#   BENCH_ROOT         repository root (the parent of benchmarks/)
#   BENCH_DIR          scratch directory, removed on exit unless KEEP_WORKDIR=1
#   BENCH_SERVER_CPU   CPU for proxy + upstream (env SERVER_CPU, default 1)
#   BENCH_LOAD_CPU     CPU for wrk (env LOAD_CPU, default 0)
#   BENCH_LAST_PID     pid of the process that the last bench_spawn started
#   BENCH_BODY         the upstream's 100-byte response body (checked by bench_preflight)

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR=""
BENCH_SERVER_CPU="${SERVER_CPU:-1}"
BENCH_LOAD_CPU="${LOAD_CPU:-0}"
BENCH_LAST_PID=""
BENCH_PIDS=()
BENCH_READY_TIMEOUT="${READY_TIMEOUT:-30}"
# Exactly 100 bytes; a proxy cannot produce it by itself, so seeing it proves the request went
# through to the upstream.
BENCH_BODY="tracegate-bench-upstream-body:0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

bench_log() { printf '[bench] %s\n' "$*" >&2; }
bench_die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Installation
# ---------------------------------------------------------------------------------------------

BENCH_APT_UPDATED=0

# bench_apt_install PKG... : apt-get install -y as root, running apt-get update once on failure.
bench_apt_install() {
    if [[ $(id -u) -ne 0 ]]; then
        bench_die "missing packages ($*); run as root or install them: apt-get install -y $*"
    fi
    command -v apt-get >/dev/null 2>&1 || bench_die "no apt-get; install by hand: $*"
    bench_log "installing: $*"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >"${BENCH_DIR:-/tmp}/apt.log" 2>&1; then
        if [[ $BENCH_APT_UPDATED -eq 0 ]]; then
            BENCH_APT_UPDATED=1
            DEBIAN_FRONTEND=noninteractive apt-get update >"${BENCH_DIR:-/tmp}/apt.log" 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >"${BENCH_DIR:-/tmp}/apt.log" 2>&1 && return 0
        fi
        tail -20 "${BENCH_DIR:-/tmp}/apt.log" >&2 || true
        return 1
    fi
}

# bench_require CMD:PKG[|PKG2]... : install the first installable package for each missing command.
bench_require() {
    local spec cmd pkgs pkg ok
    local -a alternatives
    for spec in "$@"; do
        cmd="${spec%%:*}"
        pkgs="${spec#*:}"
        command -v "$cmd" >/dev/null 2>&1 && continue
        ok=0
        IFS='|' read -r -a alternatives <<<"$pkgs"
        for pkg in "${alternatives[@]}"; do
            if bench_apt_install "$pkg"; then ok=1; break; fi
        done
        if [[ $ok -ne 1 ]] || ! command -v "$cmd" >/dev/null 2>&1; then
            bench_die "could not install '$cmd' (tried: ${pkgs//|/, })"
        fi
    done
}

# The tools every script needs (the proxies are added by the callers).
bench_require_base() {
    bench_require python3:python3 taskset:util-linux pgrep:procps curl:curl wrk:wrk \
        nginx:nginx-light\|nginx
}

# ---------------------------------------------------------------------------------------------
# Lifecycle
# ---------------------------------------------------------------------------------------------

# bench_init : make the scratch directory and install the cleanup trap.
bench_init() {
    BENCH_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tracegate-bench.XXXXXX")"
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    local n
    n="$(nproc)"
    if (( BENCH_SERVER_CPU >= n || BENCH_LOAD_CPU >= n )); then
        bench_die "need CPUs $BENCH_LOAD_CPU and $BENCH_SERVER_CPU but nproc is $n (set SERVER_CPU/LOAD_CPU)"
    fi
}

# bench_tree PID : PID and its direct children (nginx master + workers), one per line.
bench_tree() {
    local p="$1"
    [[ -d /proc/$p ]] || return 0
    printf '%s\n' "$p"
    pgrep -P "$p" 2>/dev/null || true
}

bench_alive() { kill -0 "$1" 2>/dev/null; }

# bench_stop PID : TERM the process and its children, wait up to 3 s, then KILL.
bench_stop() {
    local pid="$1" kids i
    bench_alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
    kids="$(pgrep -P "$pid" 2>/dev/null || true)"
    kill -TERM "$pid" 2>/dev/null || true
    for (( i = 0; i < 30; i++ )); do
        bench_alive "$pid" || break
        sleep 0.1
    done
    # shellcheck disable=SC2086 # word-splitting the pid list is intended
    kill -KILL "$pid" $kids 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
    local rc=$? i
    trap - EXIT INT TERM
    for (( i = ${#BENCH_PIDS[@]} - 1; i >= 0; i-- )); do
        bench_stop "${BENCH_PIDS[i]}"
    done
    if [[ -n $BENCH_DIR && -d $BENCH_DIR ]]; then
        if [[ ${KEEP_WORKDIR:-0} == 1 ]]; then
            bench_log "kept $BENCH_DIR"
        else
            rm -rf "$BENCH_DIR"
        fi
    fi
    exit "$rc"
}

# bench_spawn LOG CMD... : start CMD pinned to the server CPU, record it for cleanup.
bench_spawn() {
    local log="$1"; shift
    taskset -c "$BENCH_SERVER_CPU" "$@" >"$log" 2>&1 </dev/null &
    BENCH_LAST_PID=$!
    BENCH_PIDS+=("$BENCH_LAST_PID")
}

# ---------------------------------------------------------------------------------------------
# Ports and readiness
# ---------------------------------------------------------------------------------------------

# bench_free_ports N : N distinct free loopback ports, space-separated. All sockets are held open
# together so the kernel cannot hand out the same port twice.
bench_free_ports() {
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

bench_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# bench_wait_ready NAME PID PORT LOG [PATTERN] : wait until PORT accepts (and, if PATTERN is
# given, LOG contains it). Fails if the process exits or the timeout passes.
bench_wait_ready() {
    local name="$1" pid="$2" port="$3" log="$4" pattern="${5:-}" deadline
    deadline=$(( SECONDS + BENCH_READY_TIMEOUT ))
    while (( SECONDS < deadline )); do
        if ! bench_alive "$pid"; then
            bench_log "$name exited during start-up; last lines of $log:"
            tail -20 "$log" >&2 || true
            return 1
        fi
        if [[ -z $pattern ]] || grep -q -- "$pattern" "$log" 2>/dev/null; then
            bench_port_open "$port" && return 0
        fi
        sleep 0.1
    done
    bench_log "$name not ready on port $port after ${BENCH_READY_TIMEOUT}s; last lines of $log:"
    tail -20 "$log" >&2 || true
    return 1
}

# bench_preflight NAME PORT : one GET / must return 200 and exactly the upstream's body.
bench_preflight() {
    local got
    if ! got="$(curl -sS --max-time 5 -f "http://127.0.0.1:$2/")"; then
        bench_log "$1: preflight GET / on port $2 failed"
        return 1
    fi
    if [[ $got != "$BENCH_BODY" ]]; then
        bench_log "$1: preflight body is not the upstream's (got ${#got} bytes: ${got:0:80})"
        return 1
    fi
}

# ---------------------------------------------------------------------------------------------
# Config writing and start-up of the upstream and the contenders
# ---------------------------------------------------------------------------------------------

# nginx keeps client and upstream connections open "forever" here (keepalive_requests defaults to
# 1000, which would make every contender in front of it reconnect every 1000 requests).
bench_write_upstream_conf() {
    local port="$1" dir="$BENCH_DIR/upstream"
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
master_process on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:$port;
        location / {
            default_type text/plain;
            return 200 "$BENCH_BODY";
        }
    }
}
CONF
    printf '%s\n' "$dir/nginx.conf"
}

bench_write_nginx_proxy_conf() {
    local port="$1" upstream="$2" dir="$BENCH_DIR/nginx"
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
master_process on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    upstream backend {
        server 127.0.0.1:$upstream;
        keepalive 64;
        keepalive_requests 100000000;
        keepalive_timeout 300s;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
CONF
    printf '%s\n' "$dir/nginx.conf"
}

# bench_write_haproxy_conf PORT UPSTREAM [BIND_OPTIONS] [DIR] : one thread, keep-alive both sides;
# BIND_OPTIONS follow the frontend's address (h2.sh: `proto h2`, or `ssl crt … alpn …`).
bench_write_haproxy_conf() {
    local port="$1" upstream="$2" options="${3:-}" dir="${4:-$BENCH_DIR/haproxy}"
    mkdir -p "$dir"
    cat >"$dir/haproxy.cfg" <<CONF
global
    nbthread 1
    maxconn 4096

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 300s
    timeout server 300s
    timeout http-keep-alive 300s

frontend public
    bind 127.0.0.1:$port${options:+ $options}
    default_backend backend

backend backend
    server upstream 127.0.0.1:$upstream
CONF
    printf '%s\n' "$dir/haproxy.cfg"
}

# bench_merge_yaml BASE EXTRA : print BASE with every top-level key that EXTRA defines removed,
# followed by EXTRA. So an extra file can both add keys (context:, tracing:) and replace
# generated ones (access_log:, clusters:) without producing duplicate keys.
bench_merge_yaml() {
    local base="$1" extra="$2"
    awk '
        FNR == NR {
            if (match($0, /^[A-Za-z_][A-Za-z0-9_-]*:/)) drop[substr($0, 1, RLENGTH - 1)] = 1
            next
        }
        /^[A-Za-z_][A-Za-z0-9_-]*:/ {
            match($0, /^[A-Za-z_][A-Za-z0-9_-]*:/)
            skipping = (substr($0, 1, RLENGTH - 1) in drop)
        }
        !skipping { print }
    ' "$extra" "$base"
    printf '# --- extra YAML from %s ---\n' "$extra"
    cat "$extra"
}

# bench_write_tracegate_conf PORT ADMIN_PORT UPSTREAM_PORT [EXTRA_YAML]
bench_write_tracegate_conf() {
    local port="$1" admin="$2" upstream="$3" extra="${4:-}" dir="$BENCH_DIR/tracegate"
    mkdir -p "$dir"
    cat >"$dir/base.yaml" <<CONF
workers: 1
admin: { address: "127.0.0.1:$admin" }
listeners:
  - name: public
    address: "127.0.0.1:$port"
routes:
  - name: default
    match: { path_prefix: "/" }
    cluster: backend
clusters:
  - name: backend
    endpoints: ["127.0.0.1:$upstream"]
    pool: { max_connections: 256, max_idle: 128 }
access_log: { enabled: false }
CONF
    if [[ -n $extra ]]; then
        [[ -r $extra ]] || bench_die "extra YAML '$extra' is not readable"
        bench_merge_yaml "$dir/base.yaml" "$extra" >"$dir/tracegate.yaml"
    else
        cp "$dir/base.yaml" "$dir/tracegate.yaml"
    fi
    printf '%s\n' "$dir/tracegate.yaml"
}

# bench_resolve_tracegate : set TRACEGATE_BIN (default .build/release/tracegate under the repo
# root) and build it with SwiftPM when it is missing and TRACEGATE_BIN was not given.
bench_resolve_tracegate() {
    if [[ -n ${TRACEGATE_BIN:-} ]]; then
        [[ -x $TRACEGATE_BIN ]] || { bench_log "TRACEGATE_BIN=$TRACEGATE_BIN is not executable"; return 1; }
        return 0
    fi
    TRACEGATE_BIN="$BENCH_ROOT/.build/release/tracegate"
    if [[ ! -x $TRACEGATE_BIN ]]; then
        command -v swift >/dev/null 2>&1 || { bench_log "no $TRACEGATE_BIN and no swift to build it"; return 1; }
        bench_log "building tracegate: swift build -c release --product tracegate (in $BENCH_ROOT)"
        (cd "$BENCH_ROOT" && swift build -c release --product tracegate) >&2 \
            || { bench_log "swift build failed"; return 1; }
    fi
    [[ -x $TRACEGATE_BIN ]] || { bench_log "build did not produce $TRACEGATE_BIN"; return 1; }
}

# bench_first_line CMD... : the first line of CMD's stdout+stderr, without a pipe into head (which
# could kill CMD with SIGPIPE and fail the pipeline under pipefail).
bench_first_line() {
    local out
    out="$("$@" 2>&1)" || true
    printf '%s\n' "${out%%$'\n'*}"
}

bench_version() {
    local v
    case "$1" in
        nginx) v="$(bench_first_line nginx -v)"; printf '%s\n' "${v#nginx version: }" ;;
        haproxy) v="$(bench_first_line haproxy -v)"; printf '%s\n' "${v% - http*}" ;;
        wrk) v="$(bench_first_line wrk --version)"; printf '%s\n' "${v%% Copyright*}" ;;
        tracegate)
            v="$(bench_first_line "$TRACEGATE_BIN" version)"
            printf '%s\n' "${v:-tracegate (version unknown)}" ;;
    esac
}

# bench_start_upstream PORT : the nginx upstream; dies on failure (nothing can be measured).
bench_start_upstream() {
    local port="$1" conf
    conf="$(bench_write_upstream_conf "$port")"
    bench_spawn "$BENCH_DIR/upstream/stdio.log" nginx -e "$BENCH_DIR/upstream/error.log" \
        -p "$BENCH_DIR/upstream" -c "$conf"
    BENCH_UPSTREAM_PID="$BENCH_LAST_PID"
    bench_wait_ready upstream "$BENCH_UPSTREAM_PID" "$port" "$BENCH_DIR/upstream/stdio.log" \
        || bench_die "the nginx upstream did not start"
    bench_preflight upstream "$port" || bench_die "the nginx upstream does not answer as expected"
}

# bench_start_contender NAME PORT UPSTREAM_PORT [ADMIN_PORT] [EXTRA_YAML]
# Starts nginx|haproxy|tracegate as a proxy on PORT; sets BENCH_LAST_PID. Returns 1 on failure.
bench_start_contender() {
    local name="$1" port="$2" upstream="$3" admin="${4:-}" extra="${5:-}" conf log
    log="$BENCH_DIR/$name.log"
    case "$name" in
        nginx)
            conf="$(bench_write_nginx_proxy_conf "$port" "$upstream")"
            bench_spawn "$log" nginx -e "$BENCH_DIR/nginx/error.log" -p "$BENCH_DIR/nginx" -c "$conf"
            bench_wait_ready nginx "$BENCH_LAST_PID" "$port" "$log" || return 1
            ;;
        haproxy)
            conf="$(bench_write_haproxy_conf "$port" "$upstream")"
            bench_spawn "$log" haproxy -db -f "$conf"
            bench_wait_ready haproxy "$BENCH_LAST_PID" "$port" "$log" || return 1
            ;;
        tracegate)
            [[ -n $admin ]] || bench_die "tracegate needs an admin port"
            conf="$(bench_write_tracegate_conf "$port" "$admin" "$upstream" "$extra")"
            bench_spawn "$log" "$TRACEGATE_BIN" run --config "$conf"
            bench_wait_ready tracegate "$BENCH_LAST_PID" "$port" "$log" '"event" *: *"ready"' || return 1
            ;;
        *) bench_die "unknown contender '$name' (nginx, haproxy, tracegate)" ;;
    esac
    bench_preflight "$name" "$port"
}

# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------

BENCH_CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# bench_cpu_ticks PID... : utime+stime (clock ticks) summed over each PID and its children.
# /proc/<pid>/stat already sums all threads of a process.
bench_cpu_ticks() {
    local total=0 p q stat
    local -a f
    for p in "$@"; do
        for q in $(bench_tree "$p"); do
            stat="$(cat "/proc/$q/stat" 2>/dev/null)" || continue
            stat="${stat##*) }"        # drop "pid (comm) ": comm may contain spaces
            read -r -a f <<<"$stat"    # f[0] is field 3 (state): utime = field 14, stime = 15
            total=$(( total + f[11] + f[12] ))
        done
    done
    printf '%s\n' "$total"
}

# bench_core_busy CPU : busy ticks of one CPU (user+nice+system+irq+softirq) from /proc/stat.
bench_core_busy() {
    awk -v cpu="cpu$1" '$1 == cpu { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat
}

# bench_children_ticks : utime+stime of this shell's reaped children (cutime+cstime of $$). Taken
# around a foreground wrk it gives wrk's own CPU time (wrk is a direct child: taskset execs it).
bench_children_ticks() {
    local stat
    local -a f
    stat="$(cat "/proc/$$/stat")"
    stat="${stat##*) }"
    read -r -a f <<<"$stat"      # f[13] = field 16 (cutime), f[14] = field 17 (cstime)
    printf '%s\n' $(( f[13] + f[14] ))
}

# bench_wrk PORT SECONDS CONNECTIONS OUT : run wrk pinned to the load CPU; output to OUT.
bench_wrk() {
    local port="$1" secs="$2" conns="$3" out="$4"
    taskset -c "$BENCH_LOAD_CPU" wrk -t1 -c"$conns" -d"${secs}s" --latency \
        "http://127.0.0.1:$port/" >"$out" 2>&1 || true
}

# bench_parse_wrk OUT : prints "requests rps p99_ms errors" (errors = socket errors + non-2xx/3xx;
# "x" fields when wrk's output could not be parsed).
bench_parse_wrk() {
    awk '
        function ms(v,   n, u) {
            n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
            if (u == "us") return n / 1000
            if (u == "ms") return n
            if (u == "s") return n * 1000
            if (u == "m") return n * 60000
            return -1
        }
        /^ *[0-9]+ requests in/ { req = $1 }
        /^Requests\/sec:/ { rps = $2 }
        /^ +99%/ { p99 = ms($2) }
        /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { err += $NF }
        END {
            if (req == "" || rps == "" || p99 == "" || p99 < 0) { print "x x x x"; exit }
            printf "%s %s %.3f %d\n", req, rps, p99, err
        }
    ' "$1"
}

# bench_us_per_req TICKS REQUESTS : CPU microseconds per request.
bench_us_per_req() {
    awk -v t="$1" -v r="$2" -v hz="$BENCH_CLK_TCK" \
        'BEGIN { if (r > 0) printf "%.1f\n", t * 1000000 / hz / r; else print "x" }'
}

# bench_median V... : median of numbers (mean of the middle two for an even count).
bench_median() {
    { printf '%s\n' "$@" | grep -E '^[0-9.]+$' || true; } | sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "x"; exit }
            if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}

# ---------------------------------------------------------------------------------------------
# Single-target set-up for syscalls.sh and profile.sh
# ---------------------------------------------------------------------------------------------

# bench_setup_target NAME EXTRA_YAML WARMUP_SECONDS CONNECTIONS : upstream + one proxy, preflight,
# warm-up. Sets BENCH_TARGET_PID and BENCH_TARGET_PORT; dies on any failure.
bench_setup_target() {
    local name="$1" extra="$2" warmup="$3" conns="$4" ports
    case "$name" in
        nginx|tracegate) ;;
        haproxy) bench_require haproxy:haproxy ;;
        *) bench_die "unknown target '$name' (tracegate, nginx, haproxy)" ;;
    esac
    if [[ $name == tracegate ]]; then bench_resolve_tracegate || bench_die "no tracegate binary"; fi
    read -r -a ports <<<"$(bench_free_ports 3)"
    bench_start_upstream "${ports[0]}"
    bench_start_contender "$name" "${ports[2]}" "${ports[0]}" "${ports[1]}" "$extra" \
        || bench_die "$name failed to start"
    BENCH_TARGET_PID="$BENCH_LAST_PID"
    BENCH_TARGET_PORT="${ports[2]}"
    bench_log "$name ready on :$BENCH_TARGET_PORT (pid $BENCH_TARGET_PID); warm-up ${warmup}s"
    bench_wrk "$BENCH_TARGET_PORT" "$warmup" "$conns" "$BENCH_DIR/wrk-warmup.txt"
    bench_check_wrk_clean "$BENCH_DIR/wrk-warmup.txt" || bench_die "$name: errors during warm-up"
}

# bench_check_wrk_clean OUT : 0 when wrk's output parses and reports no errors (else prints why).
bench_check_wrk_clean() {
    local req err
    read -r req _ _ err <<<"$(bench_parse_wrk "$1")"
    if [[ $req == x ]]; then
        bench_log "could not parse wrk output:"; cat "$1" >&2; return 1
    fi
    if (( err > 0 )); then
        bench_log "wrk reported $err errors:"; grep -E 'Socket errors|Non-2xx' "$1" >&2; return 1
    fi
}

# bench_pid_list PID : PID and its children, comma-separated (for perf -p).
bench_pid_list() { bench_tree "$1" | paste -sd, -; }
