#!/usr/bin/env bash
# Sets up, builds and runs every test: Qt Test units, GUI tests and the end-to-end suites with
# the real socket.io-client / engine.io-client from npm (pinned in tests/e2e/package-lock.json),
# then the decoders' fuzz targets for 15 s each and, as root, the .deb install test.
# Tests build unoptimised in build-tests/ (several times faster to compile); build/ stays the
# optimised build of packaging/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh --test
cmake --preset tests >/dev/null
cmake --build build-tests --parallel "$(nproc)"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
(cd build-tests && ctest --output-on-failure --timeout 300 "$@")
# The decoders' libFuzzer targets, briefly (tests/fuzz/run.sh SECONDS runs them longer).
tests/fuzz/run.sh 15
# The .deb packages built, installed, used and purged: it installs into this system, so only as
# root (CI is).
if [[ $(id -u) == 0 ]]; then
    tests/packaging/install-deb.sh
else
    echo "test: the .deb install test (tests/packaging/install-deb.sh) needs root: not run"
fi
