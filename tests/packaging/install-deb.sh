#!/usr/bin/env bash
# The packages as an operator gets them (root; it installs into this system): builds them with
# packaging/deb.sh, installs them with dpkg -i, checks the unit, the desktop files, the data the
# program serves and a client it serves, builds tests/consumer against the installed
# libplugboard-dev, then removes (dpkg -r) and purges (dpkg -P) them and checks that nothing is
# left behind.
set -euo pipefail
source=$(cd "$(dirname "$0")/../.." && pwd)
cd "$source"
if [[ $(id -u) != 0 ]]; then
    echo "install-deb: needs root (it installs the packages into this system)" >&2
    exit 1
fi
packages=(plugboard libplugboard-dev libplugboard)
for package in "${packages[@]}"; do
    if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "installed"; then
        echo "install-deb: $package is installed already; remove it first" >&2
        exit 1
    fi
done
work=$(mktemp -d)
server_pid=
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
    dpkg -P "${packages[@]}" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "install-deb: $*" >&2
    exit 1
}

packaging/deb.sh
debs=(build-deb/packages/*.deb)
((${#debs[@]} == 3)) || fail "expected 3 packages, found ${#debs[@]}"
dpkg -i "${debs[@]}" >/dev/null
for package in "${packages[@]}"; do
    dpkg-query -L "$package" >>"$work/files"
done

version=$(/usr/bin/plugboard --version)
[[ $version == "plugboard $(sed -n 's/^project(Plugboard VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" ]] \
    || fail "plugboard --version said: $version"
echo "install-deb: $version"
[[ -f /etc/plugboard/plugboard.json ]] || fail "no /etc/plugboard/plugboard.json"
/usr/bin/plugboard --check-config --config /etc/plugboard/plugboard.json >/dev/null
zcat /usr/share/man/man1/plugboard.1.gz | grep -q -- '\\-\\-headless' || fail "the man page does not describe --headless"

unit=$(dpkg-query -L plugboard | grep '/plugboard\.service$')
systemd-analyze verify "$unit"
exposure=$(systemd-analyze security --offline=yes "$unit" | sed -n 's/.*Overall exposure level for plugboard.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p')
echo "install-deb: systemd-analyze security: $exposure"
case ${exposure#* } in OK | SAFE) ;; *) fail "the unit's exposure is $exposure" ;; esac
desktop-file-validate /usr/share/applications/io.plugboard.Plugboard.desktop
appstreamcli validate --no-net /usr/share/metainfo/io.plugboard.Plugboard.metainfo.xml >/dev/null
[[ -f /usr/share/icons/hicolor/scalable/apps/io.plugboard.Plugboard.svg ]] || fail "no icon"

# The installed program, from a folder far from the source tree, serves the installed bundle.
(cd / && exec /usr/bin/plugboard --headless --config /etc/plugboard/plugboard.json --port 0) \
    >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    grep -q "listening on" "$work/server.log" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server did not start"; }
    sleep 0.1
done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log" | head -1)
[[ -n $port ]] || { cat "$work/server.log" >&2; fail "the server did not start listening"; }
NODE_PATH=$source/tests/e2e/node_modules node - "$port" <<'JS'
'use strict';
const { io } = require('socket.io-client');
const { readFileSync } = require('node:fs');
const port = process.argv[2];
const fail = (why) => { console.error('install-deb: ' + why); process.exit(1); };
setTimeout(() => fail('no connection within 10 s'), 10000).unref();
(async () => {
  const served = Buffer.from(await (await fetch(`http://127.0.0.1:${port}/socket.io/socket.io.js`)).arrayBuffer());
  const installed = readFileSync('/usr/share/plugboard/socket.io-client/socket.io.js');
  if (!served.equals(installed)) fail('/socket.io/socket.io.js is not the installed bundle');
  for (const transports of [['polling'], ['websocket']]) {
    const socket = io(`http://127.0.0.1:${port}`, { transports, reconnection: false });
    await new Promise((resolve, reject) => {
      socket.on('connect', resolve);
      socket.on('connect_error', reject);
    });
    console.log(`install-deb: a ${transports[0]} client connected as ${socket.id}`);
    socket.close();
  }
  process.exit(0);
})().catch((error) => fail(String(error)));
JS
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server did not stop cleanly on SIGTERM"
server_pid=

# The menu entry's command opens the console, with its server inside (offscreen here).
command=$(sed -n 's/^Exec=//p' /usr/share/applications/io.plugboard.Plugboard.desktop)
port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
(cd / && QT_QPA_PLATFORM=offscreen exec $command --port "$port") >"$work/console.log" 2>&1 &
server_pid=$!
node - "$port" <<'JS' || { cat "$work/console.log" >&2; fail "the console from the menu entry did not serve"; }
'use strict';
const port = process.argv[2];
const deadline = Date.now() + 20000;
(async function poll() {
  try {
    const reply = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`);
    if (reply.status === 200 && (await reply.text()).startsWith('0{')) {
      console.log('install-deb: the console from the menu entry serves Socket.IO on port ' + port);
      process.exit(0);
    }
  } catch {}
  if (Date.now() > deadline) process.exit(1);
  setTimeout(poll, 100);
})();
JS
kill -0 "$server_pid" 2>/dev/null || fail "the console exited"
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=

# A C++ user's program against the installed libplugboard-dev (the system's default prefix).
# (packaging.consumer compiled every header on its own already.)
cmake -S tests/consumer -B "$work/consumer" -G Ninja -DCHECK_HEADERS=OFF >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer"

dpkg -r "${packages[@]}" >/dev/null
[[ -f /etc/plugboard/plugboard.json ]] || fail "dpkg -r removed the configuration (a conffile stays until purge)"
[[ ! -e /usr/bin/plugboard ]] || fail "dpkg -r left /usr/bin/plugboard"
# Packages with conffiles or a postrm stay known to dpkg ("rc") until purged.
remaining=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "config-files" && remaining+=("$package")
done
[[ " ${remaining[*]} " == *" plugboard "* ]] || fail "plugboard's configuration did not survive dpkg -r"
dpkg -P "${remaining[@]}" >/dev/null
for package in "${packages[@]}"; do
    if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q .; then
        fail "$package is still known to dpkg after the purge: $(dpkg-query -W -f='${Status}' "$package")"
    fi
done
left=()
while IFS= read -r path; do
    [[ -e $path && ! -d $path ]] && left+=("$path")
    # Folders of the packages' own (not shared ones such as /usr/share/doc).
    [[ -d $path && ${path,,} == */plugboard* ]] && left+=("$path")
done <"$work/files"
((${#left[@]} == 0)) || fail "left behind after dpkg -P: ${left[*]}"
[[ ! -e /etc/plugboard ]] || fail "left behind after dpkg -P: /etc/plugboard"
echo "install-deb: ok (installed, served a client, built a consumer, removed and purged cleanly)"
