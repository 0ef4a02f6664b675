#!/usr/bin/env bash
# pool-capped-tracegate.sh — stands in for the Tracegate binary in h2.sh (TRACEGATE_BIN=…) to
# measure HTTP/2 with a capped upstream pool: it turns h2.sh's quick-mode command line
# (`proxy --listen L --to http://U --workers 1 --admin A`) into a config run whose cluster keeps at
# most POOL_MAX (8, nghttpx's backend-connections-per-host) connections and queues the rest.
# Quick mode has no pool flag on purpose: a small cap is a benchmark setting, not a default.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${POOL_CAPPED_BIN:-$here/../.build/release/tracegate}"
listen="" to="" admin=""
while [ $# -gt 0 ]; do
    case "$1" in
        --listen) listen="$2"; shift ;;
        --to) to="${2#http://}"; shift ;;
        --admin) admin="$2"; shift ;;
        --version|version) exec "$bin" version ;;
    esac
    shift
done
cfg="$(mktemp "${TMPDIR:-/tmp}/tracegate-pool-capped.XXXXXX")"
cat >"$cfg" <<YAML
workers: 1
admin: { address: "$admin" }
listeners:
  - { name: public, address: "$listen" }
routes:
  - { name: default, match: { path_prefix: "/" }, cluster: backend }
clusters:
  - name: backend
    endpoints: ["$to"]
    pool: { max_connections: ${POOL_MAX:-8}, max_idle: ${POOL_MAX:-8} }
    circuit_breakers: { max_pending_requests: 100000 }
YAML
exec "$bin" run --config "$cfg"
