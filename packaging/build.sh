#!/usr/bin/env bash
# Configures and builds Plugboard into build/ (executables in build/bin/).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
cmake --build build --parallel "$(nproc)"
