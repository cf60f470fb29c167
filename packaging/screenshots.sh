#!/usr/bin/env bash
# Screenshots of the operator console: runs the real console under Xvfb with a handful of
# real socket.io-client clients (rooms, chat, typing, binary uploads, acks), lets
# plugboard-console-tour drive the window page by page, and photographs the whole screen of
# each page into resources/screenshots/*.png.
#
# Needs: xvfb (Xvfb), imagemagick (import, convert), nodejs, and tests/e2e's npm packages
# (cd tests/e2e && npm ci). BUILD_DIR defaults to build/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${BUILD_DIR:-build}
out=$root/resources/screenshots
display=${SCREENSHOT_DISPLAY:-:97}
port=${SCREENSHOT_PORT:-3000}

for tool in Xvfb import convert node; do
    command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt-get install xvfb imagemagick nodejs)" >&2; exit 1; }
done
[[ -d tests/e2e/node_modules/socket.io-client ]] || (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
if [[ ! -f $build/build.ninja && ! -f $build/Makefile ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target plugboard-console plugboard-console-tour >/dev/null
mkdir -p "$out"

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; import -window root -crop 1x1+0+0 "$work/probe.png" 2>/dev/null && break; sleep 0.1; done

# Six clients: alice, bob and carol in "lobby", dave and erin in "support", frank on his own.
cat >"$work/clients.js" <<'JS'
'use strict';
const path = require('node:path');
const { io } = require(path.join(process.env.NODE_MODULES, 'socket.io-client'));
const url = process.argv[2];
const people = [
  ['alice', 'lobby', 'websocket'], ['bob', 'lobby', 'websocket'], ['carol', 'lobby', 'polling'],
  ['dave', 'support', 'websocket'], ['erin', 'support', 'websocket'], ['frank', '', 'polling'],
];
const lines = ['hi all', 'anyone seen the deploy?', 'ship it', 'lunch?', 'ticket #4411 is back', 'LGTM'];
people.forEach(([name, room, transport], i) => {
  const socket = io(url, {
    transports: transport === 'polling' ? ['polling'] : ['polling', 'websocket'],
    query: room ? { room, client: 'demo' } : { client: 'demo' },
    auth: { user: name, token: 'tok_' + name + '_8f2a' },
    extraHeaders: { 'x-client-name': name },
  });
  socket.onAny((event, ...args) => {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    if (ack) ack({ ok: true, user: name, seen: event });
  });
  let n = 0;
  setInterval(() => {
    n++;
    if (n % 5 === 0) socket.emit('upload', { name: name + '.png', bytes: Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, n]) });
    else if (n % 3 === 0) socket.emit('typing', { user: name });
    else socket.emit('chat', { user: name, text: lines[(n + i) % lines.length] }, room || null);
  }, 400 + i * 90);
});
JS

# run_tour NAME SERVER_URL [TOUR ARGUMENTS...]: the tour, with the clients connected to SERVER_URL.
run_tour() {
    local name=$1 url=$2
    shift 2
    rm -f "$work/to-tour" "$work/from-tour"
    # The tour reads a line per screenshot from this pipe and tells us on stdout what to shoot.
    mkfifo "$work/to-tour" "$work/from-tour"
    QT_QPA_PLATFORM=xcb "$build/bin/plugboard-console-tour" --port "$port" --clients 6 "$@" \
        <"$work/to-tour" >"$work/from-tour" 2>"$work/tour-$name.log" &
    local tour_pid=$!
    pids+=($tour_pid)
    exec 3>"$work/to-tour"
    NODE_MODULES=$root/tests/e2e/node_modules node "$work/clients.js" "$url" >"$work/clients-$name.log" 2>&1 &
    local clients_pid=$!
    pids+=($clients_pid)
    local shots=0 line
    while IFS= read -r line; do
        case $line in
        "SHOT "*)
            local shot=${line#SHOT }
            import -window root "$work/$shot.png"
            # Small files: the UI has few colours, a palette PNG keeps it crisp.
            convert "$work/$shot.png" -strip -colors 128 -define png:compression-level=9 "PNG8:$out/$shot.png"
            echo "screenshots: $out/$shot.png ($(stat -c %s "$out/$shot.png") bytes)"
            shots=$((shots + 1))
            echo next >&3
            ;;
        DONE) break ;;
        esac
    done <"$work/from-tour"
    exec 3>&-
    kill "$clients_pid" "$tour_pid" 2>/dev/null || true
    wait "$clients_pid" "$tour_pid" 2>/dev/null || true
    if ((shots == 0)); then
        echo "screenshots: the $name tour took none; its log:" >&2
        cat "$work/tour-$name.log" >&2
        exit 1
    fi
}

# The console with its own server.
run_tour embedded "http://127.0.0.1:$port"

# The console attached to Node's socket.io instrumented with @socket.io/admin-ui.
remote_port=$((port + 1))
node tests/e2e/servers/node-admin-server.js --auth none --port "$remote_port" >"$work/node-admin.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/node-admin.log" && break; sleep 0.1; done
run_tour attached "http://127.0.0.1:$remote_port" --attach "http://127.0.0.1:$remote_port/admin"
