#!/usr/bin/env bash
# Sets up, builds and starts Plugboard on port 3000.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
packaging/build.sh plugboard
exec build/bin/plugboard --port 3000 "$@"
