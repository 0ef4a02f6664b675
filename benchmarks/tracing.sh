#!/usr/bin/env bash
# tracing.sh — the cost of span export: Tracegate with 100% sampling exporting every span to a
# live OTLP/HTTP receiver, against Tracegate with export off, each measured beside nginx by h1.sh
# (same method, same machine pinning), in alternating sets. Issue 5 target: on/off ≥ 0.85.
#
#   benchmarks/tracing.sh [--sets N] [--append FILE]
#
# The receiver is Tests/Fixtures/otlp_receiver.py in `count` mode: it decodes every export
# request with the official opentelemetry-proto definitions and keeps totals, pinned to the load
# generator's CPU (a collector lives elsewhere in production). Both Tracegate variants run with
# the access log on and context.sampling_ratio 1.0; only `telemetry.otlp.endpoint` differs.
# Environment: as h1.sh (DURATION, ROUNDS, …), plus LOAD_CPU for the receiver.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SETS=2
APPEND_FILE=""
while (( $# > 0 )); do
    case "$1" in
        --sets) SETS="${2:?--sets needs a number}"; shift 2 ;;
        --append) APPEND_FILE="${2:?--append needs a file}"; shift 2 ;;
        -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

WORK="$(mktemp -d /tmp/tracegate-tracing.XXXXXX)"
RECEIVER_PID=""
cleanup() { [[ -n $RECEIVER_PID ]] && kill "$RECEIVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

PYTHON="$(python3 -c 'import sys; print(sys.executable)')"   # not pyenv's shim: signals must reach Python
"$PYTHON" -c 'import opentelemetry.proto' 2>/dev/null || "$PYTHON" -m pip install -q opentelemetry-proto
taskset -c "${LOAD_CPU:-0}" "$PYTHON" Tests/Fixtures/otlp_receiver.py --mode count >"$WORK/receiver.out" 2>&1 &
RECEIVER_PID=$!
for _ in $(seq 50); do grep -q '^listening ' "$WORK/receiver.out" && break; sleep 0.1; done
PORT="$(awk '/^listening /{print $2; exit}' "$WORK/receiver.out")"
[[ -n $PORT ]] || { echo "receiver did not start: $(cat "$WORK/receiver.out")" >&2; exit 1; }

cat >"$WORK/off.yaml" <<YAML
access_log: { enabled: true }
context: { sampling_ratio: 1.0 }
YAML
cat >"$WORK/on.yaml" <<YAML
access_log: { enabled: true }
context: { sampling_ratio: 1.0 }
telemetry: { otlp: { endpoint: "http://127.0.0.1:$PORT/v1/traces" } }
YAML

OUT="$WORK/results.md"
for set in $(seq "$SETS"); do
    if (( set % 2 == 1 )); then order=(off on); else order=(on off); fi
    for variant in "${order[@]}"; do
        label="tracing $variant (set $set): 100% sampling, $([[ $variant == on ]] && echo "export to a live OTLP receiver" || echo "no export")"
        benchmarks/h1.sh --row-label "$label" --tracegate-extra-yaml "$WORK/$variant.yaml" --append "$OUT"
    done
done
SPANS="$(curl -s "http://127.0.0.1:$PORT/count")"
printf '\nOTLP receiver totals after all sets: %s\n' "$SPANS" | tee -a "$OUT"
if [[ -n $APPEND_FILE ]]; then cat "$OUT" >>"$APPEND_FILE"; fi
cat "$OUT"
