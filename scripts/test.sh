#!/usr/bin/env bash
# Tracegate's test command, for developers and CI alike (CI runs it with CI=true).
#
#   scripts/test.sh [ARGS...]       install what is missing, build, test, fuzz
#   scripts/test.sh --install-only  only install the test tools (idempotent)
#
# ARGS are passed to `swift test` (e.g. --filter IntegrationTests).
# Environment: FUZZ_SECONDS (default 30; 0 skips the fuzzer).
#
# Tests never skip a missing tool: they fail. This script is what installs the tools, so
# the same command works on a fresh machine, on a developer's and in CI.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() {
    printf '\n==> %s\n' "$*"
}

# ---------------------------------------------------------------------------------------
# Debian packages: one per line, with the commands the tests use from it.
#   chromium        chromium (headless: the live dashboard's browser test)
#   curl            curl
#   libnghttp2-dev  HTTP/2 library headers (the proxy's h2 codec links nghttp2)
#   libssl-dev      OpenSSL headers (TLS termination)
#   nghttp2-client  nghttp, h2load
#   nghttp2-server  nghttpd (libnghttp2's reference server; h2_flood.py is checked against it)
#   openssl         openssl (test certificates)
#   procps          ps, pgrep (process checks)
#   prometheus      promtool (lints the /metrics exposition)
#   systemd         systemd-analyze (verifies deploy/systemd/tracegate.service)
# ---------------------------------------------------------------------------------------
APT_PACKAGES=(
    chromium
    curl
    libnghttp2-dev
    libssl-dev
    nghttp2-client
    nghttp2-server
    openssl
    procps
    prometheus
    systemd
)

# Commands that must be on PATH once the packages are installed.
REQUIRED_COMMANDS=(chromium curl nghttp h2load nghttpd openssl ps promtool python3 systemd-analyze kubernetes-validate)

# ---------------------------------------------------------------------------------------
# Python modules: "import-name:pip-package" per entry.
#   prometheus_client    the OpenMetrics parser Tests/Fixtures/openmetrics_exemplars.py uses
#   opentelemetry.proto  OTLP message definitions for Tests/Fixtures/otlp_receiver.py
#   h2                   hyper-h2 (with hpack, hyperframe): the HTTP/2 stack of
#                        Tests/Fixtures/h2_upstream.py and h2_flood.py
#   grpc                 grpcio: Tests/Fixtures/grpc_server.py and grpc_client.py
#   kubernetes_validate  the kubernetes-validate command: deploy/kubernetes against pinned
#                        Kubernetes schemas (Integration.DeployArtefacts)
#   websocket            websocket-client: Tests/Fixtures/dashboard_browser.py speaks the
#                        Chrome DevTools Protocol to headless Chromium over it
# ---------------------------------------------------------------------------------------
PYTHON_MODULES=(
    "prometheus_client:prometheus-client"
    "opentelemetry.proto:opentelemetry-proto"
    "h2:h2"
    "grpc:grpcio"
    "kubernetes_validate:kubernetes-validate"
    "websocket:websocket-client"
)

package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: installing test tools needs root (or sudo): $*" >&2
        return 1
    fi
}

install_apt_packages() {
    local missing=()
    local package
    for package in "${APT_PACKAGES[@]}"; do
        package_installed "$package" || missing+=("$package")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "Debian packages: all present"
        return 0
    fi
    echo "Debian packages: installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# ensure_python_module IMPORT_NAME PIP_PACKAGE: pip-install PIP_PACKAGE when
# `import IMPORT_NAME` fails.
ensure_python_module() {
    local module="$1" package="$2"
    if python3 -c "import ${module}" >/dev/null 2>&1; then
        return 0
    fi
    echo "Python: installing ${package}"
    python3 -m pip install --quiet "${package}"
    python3 -c "import ${module}"
}

install_python_modules() {
    local entry
    if [ "${#PYTHON_MODULES[@]}" -eq 0 ]; then
        echo "Python modules: none needed"
        return 0
    fi
    for entry in "${PYTHON_MODULES[@]}"; do
        ensure_python_module "${entry%%:*}" "${entry#*:}"
    done
    echo "Python modules: all present"
}

check_commands() {
    local command missing=0
    for command in "${REQUIRED_COMMANDS[@]}"; do
        if ! command -v "$command" >/dev/null 2>&1; then
            echo "error: '$command' is still missing after the install step" >&2
            missing=1
        fi
    done
    return "$missing"
}

install_test_tools() {
    section "Installing test tools"
    install_apt_packages
    install_python_modules
    check_commands
}

run_fuzzer() {
    local seconds="${FUZZ_SECONDS:-30}"
    if [ ! -d Fuzz ]; then
        return 0
    fi
    if [ "$seconds" = "0" ]; then
        section "Fuzzing skipped (FUZZ_SECONDS=0)"
        return 0
    fi
    section "Building the parser fuzzer"
    # SwiftPM points `main` at the target's own entry point, so the executable starts libFuzzer
    # itself through a weak reference to LLVMFuzzerRunDriver (Fuzz/Sources/CTracegateFuzzDriver);
    # built without the fuzzer, the same binary replays files.
    local build=(swift build -c debug -Xswiftc -sanitize=fuzzer,address
        --product TracegateHTTPFuzz --scratch-path .build-fuzz)
    "${build[@]}"
    local binary corpus
    binary="$("${build[@]}" --show-bin-path)/TracegateHTTPFuzz"
    # The fuzzer adds inputs to its corpus directory: give it a copy, keep Fuzz/corpus clean.
    corpus="$(mktemp -d "${TMPDIR:-/tmp}/tracegate-fuzz-corpus.XXXXXX")"
    if [ -d Fuzz/corpus ]; then
        cp -R Fuzz/corpus/. "$corpus/"
    fi
    section "Fuzzing the HTTP parser for ${seconds}s"
    local status=0
    # The Swift runtime's backtracer would intercept AddressSanitizer's abort (and can hang on a pipe).
    SWIFT_BACKTRACE=enable=no "$binary" -max_total_time="$seconds" -print_final_stats=1 \
        -dict=Fuzz/http.dict "$corpus" || status=$?
    rm -rf "$corpus"
    if [ "$status" -ne 0 ]; then
        echo "error: the fuzzer failed (exit $status); the crashing input is in the current directory" >&2
    fi
    return "$status"
}

main() {
    if [ "${1:-}" = "--install-only" ]; then
        install_test_tools
        return 0
    fi
    install_test_tools

    section "Building (swift build --build-tests)"
    swift build --build-tests

    section "Testing (swift test $*)"
    swift test "$@"

    run_fuzzer

    section "All tests passed"
}

main "$@"
