#!/usr/bin/env bash
# Installs what Plugboard needs to build (with --test, to run its tests; with --deb, to build its
# .deb packages) on Debian 12 or Ubuntu 24.04. Only missing packages are installed; sudo is used
# only when not root.
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config
          qt6-base-dev qt6-websockets-dev libgl-dev
          libhttp-parser-dev libsimdjson-dev libhiredis-dev libmsgpack-cxx-dev
          zlib1g-dev libwslay-dev libedit-dev libcrypt-dev libsystemd-dev)
# --deb: what packaging/deb.sh needs; --test: what the tests need (they build the packages too).
deb_packages=(dpkg-dev file help2man lintian desktop-file-utils appstream systemd nodejs)
case ${1:-} in
--test)
    packages+=(xvfb xauth chromium openssl redis-server clang "${deb_packages[@]}")
    command -v npm >/dev/null 2>&1 || packages+=(npm)
    ;;
--deb)
    packages+=("${deb_packages[@]}")
    command -v npm >/dev/null 2>&1 || packages+=(npm)
    ;;
esac

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "plugboard: these packages are missing and apt-get is not available: ${missing[*]}" >&2
    exit 1
fi
sudo=()
if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "plugboard: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
echo "plugboard: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
