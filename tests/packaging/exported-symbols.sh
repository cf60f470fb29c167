#!/usr/bin/env bash
# The shared libraries export Plugboard's API and nothing of the libraries they use inside:
# no simdjson, msgpack-cxx, wslay, http-parser or hiredis symbol, and no class of a header that
# is not installed (apart from the codecs that Plugboard::Client and Plugboard::Redis share).
# Usage: exported-symbols.sh LIBRARY_DIR
set -euo pipefail
libdir=$1
source=$(cd "$(dirname "$0")/../.." && pwd)
status=0
# Not installed, yet exported for the other Plugboard libraries (core/CMakeLists.txt says so).
shared_internals="protocol/jsoncodec.h protocol/msgpackcodec.h http/httpresponseparser.h protocol/websocketframe.h protocol/websockethandshake.h"
installed=$(sed -n '/^plugboard_install_headers(/,/^)/p' "$source/core/CMakeLists.txt" | grep -o '[a-z/]*\.h')
internal_classes=()
for header in $(cd "$source/core" && ls ./*.h ./*/*.h | sed 's|^\./||'); do
    if grep -qx "$header" <<<"$installed" || [[ " $shared_internals " == *" $header "* ]]; then
        continue
    fi
    namespace=$(grep -m1 -o '^namespace [A-Za-z:]*' "$source/core/$header" | cut -d' ' -f2)
    for class in $(grep -E '^(class|struct) [A-Z][A-Za-z0-9]*[^;]*$' "$source/core/$header" | grep -oE '^(class|struct) [A-Z][A-Za-z0-9]*' | cut -d' ' -f2); do
        internal_classes+=("$namespace::$class")
    done
done
for library in "$libdir"/libplugboard-{core,client,redis}.so; do
    symbols=$(nm -D --defined-only -C "$library" | cut -c20-)
    count=$(wc -l <<<"$symbols")
    if leaked=$(grep -E '(^| )(simdjson::|msgpack::|wslay_|http_parser|redis[A-Z]|hiredis)' <<<"$symbols"); then
        echo "$(basename "$library"): exports symbols of a library it uses inside:" >&2
        head -5 <<<"$leaked" >&2
        status=1
    fi
    for class in "${internal_classes[@]}"; do
        if grep -qF "$class::" <<<"$symbols"; then
            echo "$(basename "$library"): exports the internal class $class" >&2
            status=1
        fi
    done
    echo "$(basename "$library"): $count symbols, ${#internal_classes[@]} internal classes checked"
done
exit $status
