#!/usr/bin/env bash
# Builds the Debian packages into build-deb/ (packages in build-deb/packages/):
#   plugboard          the program, plugboard.service, the desktop entry, the man page and the
#                      data it serves (the browser client and the admin UI, from the npm
#                      packages pinned in tests/e2e/package-lock.json)
#   libplugboard       the shared libraries
#   libplugboard-dev   headers, find_package(Plugboard) and pkg-config files
# then checks them with lintian: exit 0 only when lintian reports no error.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${PLUGBOARD_DEB_BUILD_DIR:-build-deb}
packaging/install-deps.sh --deb
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
      -DBUILD_TESTING=OFF -DPLUGBOARD_DEVELOPMENT_PATHS=OFF -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
# Only what the packages hold (not the examples and tools).
cmake --build "$build" --parallel "$(nproc)" --target plugboard plugboard-core-shared plugboard-client-shared \
      plugboard-redis-shared plugboard-package-documents
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB -B "$PWD/packages" >/dev/null)
rm -rf "$build/packages/_CPack_Packages"
status=0
for deb in "$build"/packages/*.deb; do
    echo "deb: $deb ($(stat -c %s "$deb") bytes)"
    lintian --fail-on error \
        "$deb" || status=1
done
exit $status
