#!/usr/bin/env bash
# profile.sh — where Tracegate's (or nginx's/HAProxy's) CPU time goes under load: perf record -g
# on the proxy's threads while wrk drives it, then `perf report --stdio --no-children | head -60`
# (hottest symbols with their call chains) and a per-DSO split (kernel vs the binary vs libc)
# into one text file.
#
#   benchmarks/profile.sh [--target tracegate|nginx|haproxy] [--tracegate-extra-yaml FILE]
#                         [--out FILE] [--core] [--keep-data]
#
# --core records the whole server CPU (proxy + upstream + softirq) instead of the proxy's pids.
# --keep-data keeps perf.data next to the report (FILE.data).
# Environment: DURATION (s recorded, 5), CONNECTIONS (64), WARMUP (s, 1), CALL_GRAPH (fp; "dwarf"
# for binaries without frame pointers), SERVER_CPU (1), LOAD_CPU (0), TRACEGATE_BIN,
# TRACEGATE_EXTRA_YAML, KEEP_WORKDIR=1.
# Default FILE: benchmarks/out/profile-<target>-<UTC time>.txt (out/ is git-ignored).
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

CMDLINE="$(printf '%s ' "$0" "$@")"
TARGET="tracegate"
EXTRA_YAML="${TRACEGATE_EXTRA_YAML:-}"
OUT=""
CORE=0
KEEP_DATA=0
while (( $# > 0 )); do
    case "$1" in
        --target) TARGET="${2:?--target needs a value}"; shift 2 ;;
        --tracegate-extra-yaml) EXTRA_YAML="${2:?--tracegate-extra-yaml needs a file}"; shift 2 ;;
        --out) OUT="${2:?--out needs a file}"; shift 2 ;;
        --core) CORE=1; shift ;;
        --keep-data) KEEP_DATA=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; bench_die "unknown argument '$1'" ;;
    esac
done
DURATION="${DURATION:-5}"
CONNECTIONS="${CONNECTIONS:-64}"
WARMUP="${WARMUP:-1}"
CALL_GRAPH="${CALL_GRAPH:-fp}"
if [[ -z $OUT ]]; then
    mkdir -p "$(dirname "${BASH_SOURCE[0]}")/out"
    OUT="$(dirname "${BASH_SOURCE[0]}")/out/profile-$TARGET-$(date -u +%Y%m%dT%H%M%SZ).txt"
fi

bench_init
bench_require_base
bench_require perf:linux-perf

# Is perf usable here at all (kernel support, perf_event_paranoid, a perf matching the kernel)?
if ! perf record -g -o "$BENCH_DIR/probe.data" -- true >"$BENCH_DIR/probe.log" 2>&1; then
    cat "$BENCH_DIR/probe.log" >&2
    bench_die "perf is not usable in this VM/container (see the message above; perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo '?')); no profile taken"
fi

bench_setup_target "$TARGET" "$EXTRA_YAML" "$WARMUP" "$CONNECTIONS"

DATA="$BENCH_DIR/perf.data"
WRK_OUT="$BENCH_DIR/wrk.txt"
# wrk runs 2 s longer than the recording so perf only ever sees a loaded proxy.
taskset -c "$BENCH_LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$(( DURATION + 2 ))s" --latency \
    "http://127.0.0.1:$BENCH_TARGET_PORT/" >"$WRK_OUT" 2>&1 &
WRK_PID=$!
BENCH_PIDS+=("$WRK_PID")
sleep 1
if (( CORE )); then
    scope=(-a -C "$BENCH_SERVER_CPU")
    scope_text="all of CPU $BENCH_SERVER_CPU"
else
    scope=(-p "$(bench_pid_list "$BENCH_TARGET_PID")")
    scope_text="pids $(bench_pid_list "$BENCH_TARGET_PID")"
fi
bench_log "perf record -g --call-graph $CALL_GRAPH on $scope_text for ${DURATION}s"
if ! perf record -g --call-graph "$CALL_GRAPH" "${scope[@]}" -o "$DATA" -- sleep "$DURATION" \
    >"$BENCH_DIR/perf-record.log" 2>&1; then
    cat "$BENCH_DIR/perf-record.log" >&2
    bench_die "perf record failed"
fi
wait "$WRK_PID" || true
bench_check_wrk_clean "$WRK_OUT" || bench_die "$TARGET: wrk reported errors while profiling"
read -r REQUESTS RPS _ _ <<<"$(bench_parse_wrk "$WRK_OUT")"

# shellcheck disable=SC2016 # the backticks are Markdown, not command substitution
{
    printf '# profile — %s — %s\n\n' "$TARGET" "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- command: `%s`\n' "${CMDLINE% }"
    printf -- '- %s; Linux %s; %s\n' "$(bench_version "$TARGET")" "$(uname -r)" "$(perf --version)"
    printf -- '- recorded: %s for %ss, call graph %s, event %s\n' "$scope_text" "$DURATION" "$CALL_GRAPH" \
        "$(bench_first_line perf evlist -i "$DATA")"
    printf -- '- load: wrk -t1 -c%s, %s requests at %s req/s (the perf overhead included)\n\n' \
        "$CONNECTIONS" "$REQUESTS" "$RPS"
    printf '## perf report --stdio --no-children | head -60\n\n```\n'
    { perf report -i "$DATA" --stdio --no-children 2>/dev/null || true; } | head -60
    printf '```\n\n## top 30 symbols, flat (perf report --no-children --sort dso,sym -g none)\n\n```\n'
    { perf report -i "$DATA" --stdio --no-children --sort dso,sym -g none 2>/dev/null || true; } \
        | awk '!/^#/ && NF && ++n <= 30'
    printf '```\n\n## by DSO (perf report --no-children --sort dso -g none)\n\n```\n'
    { perf report -i "$DATA" --stdio --no-children --sort dso -g none 2>/dev/null || true; } \
        | awk '!/^#/ && NF && ++n <= 20'
    printf '```\n'
} >"$OUT"

if (( KEEP_DATA )); then cp "$DATA" "$OUT.data"; bench_log "perf data kept in $OUT.data"; fi
bench_log "profile written to $OUT"
cat "$OUT"
