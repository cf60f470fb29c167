#!/usr/bin/env bash
# Installs the libplugboard and libplugboard-dev components of BUILD_DIR into a temporary
# prefix, then configures, builds and runs tests/consumer against it twice: with
# find_package(Plugboard) and with pkg-config. Usage: consumer.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
# Runs a command quietly, showing its output only when it fails.
quiet() {
    local log
    log=$("$@" 2>&1) || { echo "$log" >&2; echo "consumer: failed: $*" >&2; return 1; }
}
for component in libplugboard libplugboard-dev; do
    quiet cmake --install "$build" --prefix "$prefix" --component "$component"
done
echo "consumer: installed $(find "$prefix" -type f | wc -l) files under the prefix"
if find "$prefix" -name '*.a' | grep -q .; then
    echo "consumer: a static archive was installed" >&2
    exit 1
fi

quiet cmake -S "$source/tests/consumer" -B "$work/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix"
quiet cmake --build "$work/cmake"
"$work/cmake/consumer"

pcdir=$(dirname "$(find "$prefix" -name plugboard-client.pc)")
# shellcheck disable=SC2046
c++ -std=c++20 -fPIC -o "$work/consumer-pc" "$source/tests/consumer/main.cpp" \
    $(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs plugboard-client plugboard-redis)
LD_LIBRARY_PATH=$(dirname "$pcdir") "$work/consumer-pc"
echo "consumer: ok (find_package and pkg-config)"
