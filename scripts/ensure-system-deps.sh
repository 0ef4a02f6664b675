#!/usr/bin/env bash
# Installs the system libraries Tracegate links against (Debian packages) when they are missing.
# Sourced by scripts/run.sh and scripts/test.sh, so a fresh machine needs no manual step.
set -euo pipefail

tracegate_apt_updated=0
tracegate_apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ "$tracegate_apt_updated" -eq 0 ]; then
    $sudo apt-get update -qq
    tracegate_apt_updated=1
  fi
  echo "installing: ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

tracegate_apt_install libnghttp2-dev libssl-dev
