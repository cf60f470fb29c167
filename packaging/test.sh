#!/usr/bin/env bash
# Sets up, builds and runs every test: Qt Test units and the end-to-end suites with the real
# socket.io-client / engine.io-client from npm (versions pinned in tests/e2e/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh --test
packaging/build.sh
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
cd build
ctest --output-on-failure --timeout 300 "$@"
