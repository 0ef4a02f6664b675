#!/usr/bin/env bash
# h1.sh — HTTP/1.1 reverse-proxy throughput, tail latency and proxy CPU per request, with nginx
# (and optionally HAProxy) measured in the same run as Tracegate. Method: benchmarks/README.md
# and shared/PERFORMANCE.md. Run from anywhere, as root (it installs what is missing).
#
#   benchmarks/h1.sh [--contenders nginx,tracegate[,haproxy]] [--row-label NAME]
#                    [--tracegate-extra-yaml FILE] [--append FILE]
#
# Environment: DURATION (s per measured run, 10), ROUNDS (5), WARMUP (s, 2), CONNECTIONS (64),
# SERVER_CPU (1), LOAD_CPU (0), TRACEGATE_BIN (.build/release/tracegate, built if missing),
# TRACEGATE_EXTRA_YAML (same as the flag), READY_TIMEOUT (s, 30), NOISY_PCT (5: flag rounds in
# which the server CPU was < 95% busy or > 5% used by others), NOISY_LOAD_PCT (15: flag rounds in
# which others used > 15% of wrk's CPU), KEEP_WORKDIR=1 (keep configs, logs and raw wrk output).
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

# The exact command line, with the environment that changes the run, for the report.
quote() { if [[ $1 =~ ^[A-Za-z0-9_./,:=+@%-]+$ ]]; then printf '%s' "$1"; else printf '%s' "${1@Q}"; fi; }
CMDLINE=""
for var in DURATION ROUNDS WARMUP CONNECTIONS SERVER_CPU LOAD_CPU READY_TIMEOUT TRACEGATE_BIN TRACEGATE_EXTRA_YAML; do
    if [[ -n ${!var:-} ]]; then CMDLINE+="$var=$(quote "${!var}") "; fi
done
for arg in "$0" "$@"; do CMDLINE+="$(quote "$arg") "; done
CMDLINE="${CMDLINE% }"

CONTENDERS_ARG="nginx,tracegate"
ROW_LABEL="h1"
EXTRA_YAML="${TRACEGATE_EXTRA_YAML:-}"
APPEND_FILE=""
while (( $# > 0 )); do
    case "$1" in
        --contenders) CONTENDERS_ARG="${2:?--contenders needs a value}"; shift 2 ;;
        --row-label) ROW_LABEL="${2:?--row-label needs a value}"; shift 2 ;;
        --tracegate-extra-yaml) EXTRA_YAML="${2:?--tracegate-extra-yaml needs a file}"; shift 2 ;;
        --append) APPEND_FILE="${2:?--append needs a file}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; bench_die "unknown argument '$1'" ;;
    esac
done

DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-5}"
WARMUP="${WARMUP:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
NOISY_PCT="${NOISY_PCT:-5}"
NOISY_LOAD_PCT="${NOISY_LOAD_PCT:-15}"
for n in DURATION ROUNDS WARMUP CONNECTIONS; do
    [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || bench_die "$n must be a positive integer (got '${!n}')"
done
if [[ -n $EXTRA_YAML ]]; then
    [[ -r $EXTRA_YAML ]] || bench_die "extra YAML '$EXTRA_YAML' is not readable"
    EXTRA_YAML="$(cd "$(dirname "$EXTRA_YAML")" && pwd)/$(basename "$EXTRA_YAML")"
fi

IFS=',' read -r -a CONTENDERS <<<"$CONTENDERS_ARG"
declare -A SEEN=()
for c in "${CONTENDERS[@]}"; do
    case "$c" in nginx|haproxy|tracegate) ;; *) bench_die "unknown contender '$c' (nginx, haproxy, tracegate)" ;; esac
    [[ -z ${SEEN[$c]:-} ]] || bench_die "contender '$c' listed twice"
    SEEN[$c]=1
done
(( ${#CONTENDERS[@]} > 0 )) || bench_die "no contenders"

bench_init
bench_require_base
[[ -z ${SEEN[haproxy]:-} ]] || bench_require haproxy:haproxy

FAILURES=()
fail() { FAILURES+=("$*"); bench_log "FAILED: $*"; }

# ---------------------------------------------------------------------------------------------
# Start everything
# ---------------------------------------------------------------------------------------------

read -r -a PORTS <<<"$(bench_free_ports $(( ${#CONTENDERS[@]} + 2 )))"
UPSTREAM_PORT="${PORTS[0]}"
ADMIN_PORT="${PORTS[1]}"
declare -A PORT=() PID=()
ACTIVE=()
for i in "${!CONTENDERS[@]}"; do PORT[${CONTENDERS[i]}]="${PORTS[i + 2]}"; done

START_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
bench_log "workdir $BENCH_DIR; upstream :$UPSTREAM_PORT; server CPU $BENCH_SERVER_CPU, load CPU $BENCH_LOAD_CPU"
bench_start_upstream "$UPSTREAM_PORT"

for c in "${CONTENDERS[@]}"; do
    if [[ $c == tracegate ]] && ! bench_resolve_tracegate; then
        fail "tracegate: no binary (TRACEGATE_BIN=${TRACEGATE_BIN:-unset})"
        continue
    fi
    if bench_start_contender "$c" "${PORT[$c]}" "$UPSTREAM_PORT" "$ADMIN_PORT" "$EXTRA_YAML"; then
        PID[$c]="$BENCH_LAST_PID"
        ACTIVE+=("$c")
        bench_log "$c ready on :${PORT[$c]} (pid ${PID[$c]})"
    else
        fail "$c: failed to start (log: $(tail -5 "$BENCH_DIR/$c.log" 2>/dev/null | tr '\n' ' '))"
    fi
done

# ---------------------------------------------------------------------------------------------
# Warm-up and rounds
# ---------------------------------------------------------------------------------------------

RESULTS="$BENCH_DIR/results.txt"
: >"$RESULTS"

# check_wrk NAME WHAT OUT : record a failure for unparsable output or wrk-reported errors.
check_wrk() {
    local name="$1" what="$2" out="$3" req rps p99 err
    read -r req rps p99 err <<<"$(bench_parse_wrk "$out")"
    if [[ $req == x ]]; then
        fail "$name ($what): could not parse wrk output: $(tr '\n' ' ' <"$out")"
        return 1
    fi
    if (( err > 0 )); then
        fail "$name ($what): wrk reported $err errors: $(grep -E 'Socket errors|Non-2xx' "$out" | tr '\n' ' ')"
        return 1
    fi
}

# pct TICKS : TICKS as a percentage of one CPU over DURATION (clamped to 0..100).
pct() {
    awk -v t="$1" -v d="$DURATION" -v hz="$BENCH_CLK_TCK" \
        'BEGIN { v = 100 * t / (d * hz); if (v < 0) v = 0; if (v > 100) v = 100; printf "%.1f", v }'
}

# run_one ROUND ORDER NAME : one measured run; appends a line to $RESULTS.
run_one() {
    local round="$1" order="$2" c="$3" out p0 p1 u0 u1 k0 k1 req rps p99 err proxy_us up_us core_us other busy w0 w1 l0 l1 load_other
    out="$BENCH_DIR/wrk-r$round-$c.txt"
    if ! bench_alive "${PID[$c]}"; then fail "$c: not running at round $round"; return 0; fi
    p0="$(bench_cpu_ticks "${PID[$c]}")"; u0="$(bench_cpu_ticks "$BENCH_UPSTREAM_PID")"
    k0="$(bench_core_busy "$BENCH_SERVER_CPU")"; l0="$(bench_core_busy "$BENCH_LOAD_CPU")"
    w0="$(bench_children_ticks)"
    bench_wrk "${PORT[$c]}" "$DURATION" "$CONNECTIONS" "$out"
    w1="$(bench_children_ticks)"
    p1="$(bench_cpu_ticks "${PID[$c]}")"; u1="$(bench_cpu_ticks "$BENCH_UPSTREAM_PID")"
    k1="$(bench_core_busy "$BENCH_SERVER_CPU")"; l1="$(bench_core_busy "$BENCH_LOAD_CPU")"
    bench_alive "${PID[$c]}" || fail "$c: exited during round $round"
    check_wrk "$c" "round $round" "$out" || true
    read -r req rps p99 err <<<"$(bench_parse_wrk "$out")"
    [[ $req != x ]] || return 0
    proxy_us="$(bench_us_per_req $(( p1 - p0 )) "$req")"
    up_us="$(bench_us_per_req $(( u1 - u0 )) "$req")"
    core_us="$(bench_us_per_req $(( (k1 - k0) - (u1 - u0) )) "$req")"
    # Noise indicators. busy: share of the run the server CPU was busy; below ~95% the server pair
    # was not the bottleneck (wrk's CPU was disturbed, or wrk itself is the limit). other: share
    # of the server CPU used by anything but the proxy and the upstream (a neighbour's compile).
    # load_other: the same on wrk's CPU, anything but wrk.
    busy="$(pct $(( k1 - k0 )))"
    other="$(pct $(( (k1 - k0) - (p1 - p0) - (u1 - u0) )))"
    load_other="$(pct $(( (l1 - l0) - (w1 - w0) )))"
    printf '%s %s %s %s %s %s %s %s %s %s %s %s %s\n' "$round" "$order" "$c" "$rps" "$p99" \
        "$proxy_us" "$up_us" "$core_us" "$req" "$err" "$other" "$busy" "$load_other" >>"$RESULTS"
    bench_log "round $round $c: $rps req/s, p99 $p99 ms, proxy $proxy_us µs/req, upstream $up_us µs/req, CPU $BENCH_SERVER_CPU busy $busy% (other $other%), CPU $BENCH_LOAD_CPU other $load_other%"
}

for c in "${ACTIVE[@]}"; do
    bench_log "warm-up $c ${WARMUP}s"
    bench_wrk "${PORT[$c]}" "$WARMUP" "$CONNECTIONS" "$BENCH_DIR/wrk-warmup-$c.txt"
    check_wrk "$c" warm-up "$BENCH_DIR/wrk-warmup-$c.txt" || true
done

for (( round = 1; round <= ROUNDS; round++ )); do
    order=("${ACTIVE[@]}")
    if (( round % 2 == 0 )); then
        order=()
        for (( i = ${#ACTIVE[@]} - 1; i >= 0; i-- )); do order+=("${ACTIVE[i]}"); done
    fi
    pos=1
    for c in "${order[@]}"; do
        run_one "$round" "$pos" "$c"
        pos=$(( pos + 1 ))
    done
done
END_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

column_of() { awk -v c="$1" -v k="$2" '$3 == c { print $k }' "$RESULTS"; }

BASE=""
for c in "${ACTIVE[@]}"; do [[ $c == nginx ]] && BASE=nginx; done
[[ -n $BASE || ${#ACTIVE[@]} -eq 0 ]] || BASE="${ACTIVE[0]}"

declare -A MED_RPS=() MED_P99=() MED_PROXY=() MED_UP=() MED_CORE=()
for c in "${ACTIVE[@]}"; do
    # shellcheck disable=SC2046 # one number per word is intended
    {
        MED_RPS[$c]="$(bench_median $(column_of "$c" 4))"
        MED_P99[$c]="$(bench_median $(column_of "$c" 5))"
        MED_PROXY[$c]="$(bench_median $(column_of "$c" 6))"
        MED_UP[$c]="$(bench_median $(column_of "$c" 7))"
        MED_CORE[$c]="$(bench_median $(column_of "$c" 8))"
    }
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else printf "–" }'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v ~ /^[0-9.]+$/) printf f, v; else printf "–" }'; }

REPORT="$BENCH_DIR/report.md"
# shellcheck disable=SC2016 # the backticks are Markdown, not command substitution
{
    printf '## %s — %s\n\n' "$ROW_LABEL" "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- command: `%s`\n' "$CMDLINE"
    printf -- '- machine: Linux %s, nproc %s; proxy + upstream on CPU %s, wrk on CPU %s; loadavg %s at start, %s at end\n' \
        "$(uname -r)" "$(nproc)" "$BENCH_SERVER_CPU" "$BENCH_LOAD_CPU" "$START_LOAD" "$END_LOAD"
    printf -- '- load: `wrk -t1 -c%s -d%ss --latency` GET / (HTTP/1.1 keep-alive), upstream nginx 1 worker `return 200` 100-byte body; warm-up %ss per contender; rounds: %s, order alternating; medians\n' \
        "$CONNECTIONS" "$DURATION" "$WARMUP" "$ROUNDS"
    printf -- '- versions: upstream %s' "$(bench_version nginx)"
    for c in "${CONTENDERS[@]}"; do
        [[ $c == tracegate && ! -x ${TRACEGATE_BIN:-} ]] && continue
        printf '; %s: %s' "$c" "$(bench_version "$c")"
    done
    printf '; %s\n' "$(bench_version wrk)"
    if [[ -n ${SEEN[tracegate]:-} && -n $EXTRA_YAML ]]; then
        printf -- '- tracegate extra YAML (%s):\n\n```yaml\n%s\n```\n' "$EXTRA_YAML" "$(cat "$EXTRA_YAML")"
    fi
    printf '\n| contender | req/s | req/s vs %s | p99 ms | p99 vs %s | proxy µs/req | upstream µs/req | core µs/req |\n' \
        "${BASE:-–}" "${BASE:-–}"
    printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
    for c in "${CONTENDERS[@]}"; do
        if [[ -z ${MED_RPS[$c]:-} || ${MED_RPS[$c]} == x ]]; then
            printf '| %s | failed | – | – | – | – | – | – |\n' "$c"
            continue
        fi
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$c" \
            "$(fmt "${MED_RPS[$c]}" '%.0f')" "$(ratio "${MED_RPS[$c]}" "${MED_RPS[$BASE]}")" \
            "$(fmt "${MED_P99[$c]}" '%.2f')" "$(ratio "${MED_P99[$c]}" "${MED_P99[$BASE]}")" \
            "$(fmt "${MED_PROXY[$c]}" '%.1f')" "$(fmt "${MED_UP[$c]}" '%.1f')" "$(fmt "${MED_CORE[$c]}" '%.1f')"
    done
    printf '\n<details><summary>per-round numbers</summary>\n\n'
    printf '| round | # | contender | req/s | p99 ms | proxy µs/req | upstream µs/req | core µs/req | requests | errors | CPU %s busy %% | CPU %s other %% | CPU %s other %% |\n' \
        "$BENCH_SERVER_CPU" "$BENCH_SERVER_CPU" "$BENCH_LOAD_CPU"
    printf '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    awk '{ printf "| %s | %s | %s | %.0f | %.2f | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, $11, $13 }' "$RESULTS"
    printf '\n</details>\n'
    noisy="$(awk -v lim="$NOISY_PCT" -v llim="$NOISY_LOAD_PCT" '$11 > lim || $12 < 100 - lim || $13 > llim {
        printf "%sround %s %s (busy %s%%, other %s%% / %s%%)", (n++ ? ", " : ""), $1, $3, $12, $11, $13 }' "$RESULTS")"
    if [[ -n $noisy ]]; then
        printf '\n**Noisy:** CPU %s was less than %s%% busy, or other processes used more than %s%% of it or more than %s%% of CPU %s, in: %s. Rerun before trusting the ratios.\n' \
            "$BENCH_SERVER_CPU" "$(( 100 - NOISY_PCT ))" "$NOISY_PCT" "$NOISY_LOAD_PCT" "$BENCH_LOAD_CPU" "$noisy"
    fi
    if (( ${#FAILURES[@]} > 0 )); then
        printf '\n**FAILED:**\n\n'
        printf -- '- %s\n' "${FAILURES[@]}"
    fi
    printf '\n'
} >"$REPORT"

cat "$REPORT"

if (( ${#FAILURES[@]} > 0 )); then
    bench_log "${#FAILURES[@]} failure(s):"
    printf '  %s\n' "${FAILURES[@]}" >&2
    [[ -z $APPEND_FILE ]] || bench_log "not appended to $APPEND_FILE because of the failures"
    exit 1
fi
if [[ -n $APPEND_FILE ]]; then
    cat "$REPORT" >>"$APPEND_FILE"
    bench_log "appended to $APPEND_FILE"
fi
