#!/usr/bin/env bash
# Runs Tracegate. With no arguments it serves the embedded default configuration:
# 127.0.0.1:8080 in front of a built-in echo upstream on 127.0.0.1:8081, admin on 127.0.0.1:9901.
# Any arguments are passed to the tracegate binary (e.g. `run --config deploy/examples/full.yaml`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-system-deps.sh
swift build -c release --product tracegate >&2
exec .build/release/tracegate "$@"
