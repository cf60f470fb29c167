#!/usr/bin/env bash
# Configures and builds Plugboard into build/ (executables in build/bin/): every target, or only
# the targets given (packaging/build.sh plugboard).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build --parallel "$(nproc)" "${targets[@]}"
