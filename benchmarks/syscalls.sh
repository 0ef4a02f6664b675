#!/usr/bin/env bash
# syscalls.sh — system calls per request, by name, of Tracegate (or nginx/HAProxy for reference)
# as a reverse proxy in front of the nginx upstream. strace -f -c is attached to every thread of
# the proxy after start-up and warm-up, wrk -t1 -c16 drives it, and each syscall's call count is
# divided by the requests wrk completed.
#
#   benchmarks/syscalls.sh [--target tracegate|nginx|haproxy] [--tracegate-extra-yaml FILE]
#                          [--out FILE]
#
# Environment: DURATION (s, 3), CONNECTIONS (16), WARMUP (s, 1), SERVER_CPU (1), LOAD_CPU (0),
# TRACEGATE_BIN, TRACEGATE_EXTRA_YAML, KEEP_WORKDIR=1.
# Under strace the proxy runs several times slower, so counts that depend on load (epoll_wait
# per request batches less when the proxy is slow) are upper bounds; read/write/writev counts
# per request are not load-dependent.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

CMDLINE="$(printf '%s ' "$0" "$@")"
TARGET="tracegate"
EXTRA_YAML="${TRACEGATE_EXTRA_YAML:-}"
OUT=""
while (( $# > 0 )); do
    case "$1" in
        --target) TARGET="${2:?--target needs a value}"; shift 2 ;;
        --tracegate-extra-yaml) EXTRA_YAML="${2:?--tracegate-extra-yaml needs a file}"; shift 2 ;;
        --out) OUT="${2:?--out needs a file}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; bench_die "unknown argument '$1'" ;;
    esac
done
DURATION="${DURATION:-3}"
CONNECTIONS="${CONNECTIONS:-16}"
WARMUP="${WARMUP:-1}"

bench_init
bench_require_base
bench_require strace:strace
bench_setup_target "$TARGET" "$EXTRA_YAML" "$WARMUP" "$CONNECTIONS"

# Attach to the proxy and its children (nginx: master + worker); with -f every thread of each.
STRACE_OUT="$BENCH_DIR/strace.txt"
STRACE_ERR="$BENCH_DIR/strace.err"
attach=()
for p in $(bench_tree "$BENCH_TARGET_PID"); do attach+=(-p "$p"); done
strace -f -c -o "$STRACE_OUT" "${attach[@]}" 2>"$STRACE_ERR" &
STRACE_PID=$!
BENCH_PIDS+=("$STRACE_PID")
for (( i = 0; i < 100; i++ )); do
    grep -q "Process $BENCH_TARGET_PID attached" "$STRACE_ERR" 2>/dev/null && break
    bench_alive "$STRACE_PID" || { cat "$STRACE_ERR" >&2; bench_die "strace could not attach (ptrace not allowed here?)"; }
    sleep 0.1
done
grep -q "Process $BENCH_TARGET_PID attached" "$STRACE_ERR" || bench_die "strace did not attach in 10 s"
sleep 0.3

WRK_OUT="$BENCH_DIR/wrk.txt"
bench_log "wrk -t1 -c$CONNECTIONS -d${DURATION}s under strace"
bench_wrk "$BENCH_TARGET_PORT" "$DURATION" "$CONNECTIONS" "$WRK_OUT"
kill -INT "$STRACE_PID" 2>/dev/null || true
wait "$STRACE_PID" 2>/dev/null || true

bench_check_wrk_clean "$WRK_OUT" || bench_die "$TARGET: wrk reported errors under strace"
read -r REQUESTS _ _ _ <<<"$(bench_parse_wrk "$WRK_OUT")"
[[ -s $STRACE_OUT ]] || bench_die "strace wrote no summary"

REPORT="$BENCH_DIR/report.md"
# shellcheck disable=SC2016 # the backticks are Markdown, not command substitution
{
    printf '## syscalls per request — %s — %s\n\n' "$TARGET" "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- command: `%s`\n' "${CMDLINE% }"
    printf -- '- load: `wrk -t1 -c%s -d%ss` GET /, after a %ss warm-up; `strace -f -c` attached to pids %s after warm-up\n' \
        "$CONNECTIONS" "$DURATION" "$WARMUP" "$(bench_pid_list "$BENCH_TARGET_PID")"
    printf -- '- requests served: %s; Linux %s; %s; %s\n\n' "$REQUESTS" "$(uname -r)" \
        "$(bench_version "$TARGET")" "$(bench_first_line strace -V)"
    printf '| syscall | calls | per request | errors |\n|---|---:|---:|---:|\n'
    # strace -c rows: "% time  seconds  usecs/call  calls  [errors]  syscall"; errors may be empty.
    awk -v req="$REQUESTS" '
        /^-+/ { dashes++; next }
        dashes == 1 && NF >= 5 && $1 ~ /^[0-9.]+$/ {
            err = (NF >= 6) ? $5 : 0
            printf "%s %d %d\n", $NF, $4, err
        }
        dashes == 2 && $NF == "total" { total = $4 }
        END { printf "~total %d 0\n", total }
    ' "$STRACE_OUT" | sort -k2,2nr | awk -v req="$REQUESTS" '
        $1 == "~total" { t = $2; next }
        { printf "| %s | %d | %.3f | %s |\n", $1, $2, $2 / req, ($3 > 0 ? $3 : "") }
        END { printf "| **total** | %d | **%.3f** | |\n", t, t / req }
    '
    printf '\n<details><summary>strace -c output</summary>\n\n```\n'
    cat "$STRACE_OUT"
    printf '```\n\n</details>\n\n'
} >"$REPORT"

cat "$REPORT"
if [[ -n $OUT ]]; then cp "$REPORT" "$OUT"; bench_log "written to $OUT"; fi
