#!/usr/bin/env bash
# Client benchmark: plugboard-client-bench (Plugboard::Client) and socket.io-client 4.8 in Node,
# each N sockets in one process, against the same Node socket.io 4.8 server (node-server/).
# Prints one JSON line per run and the Plugboard ÷ Node ratios.
#   BUILD_DIR=build SECONDS_PER_RUN=5 RUNS=1 [SERVER=node|plugboard] tests/bench/client.sh
# SERVER=plugboard runs both clients against plugboard-bench-server instead, which saturates
# later than Node's server and so shows more of the clients' own cost.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
seconds=${SECONDS_PER_RUN:-5}
runs=${RUNS:-1}
port=${PORT:-31700}
bench=$build/bin/plugboard-client-bench
[[ -x $bench ]] || { echo "client.sh: build $bench first (cmake --build build --target plugboard-client-bench)" >&2; exit 2; }
[[ -d $here/node-server/node_modules ]] || npm ci --prefix "$here/node-server" --no-audit --no-fund >/dev/null
[[ -d $here/node-client/node_modules ]] || npm ci --prefix "$here/node-client" --no-audit --no-fund >/dev/null
ulimit -n "$(ulimit -Hn)"

server_pid=
stop_server() { if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; server_pid=; }
trap stop_server EXIT
start_server() {
    if [[ ${SERVER:-node} == plugboard ]]; then
        PORT=$port HOST=127.0.0.1 taskset -c 0 "$build/bin/plugboard-bench-server" >/dev/null 2>&1 &
    else
        PORT=$port HOST=127.0.0.1 taskset -c 0 node "$here/node-server/server.js" >/dev/null 2>&1 &
    fi
    server_pid=$!
    for _ in $(seq 100); do
        (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return 0
        sleep 0.1
    done
    echo "client.sh: the server did not start" >&2; exit 1
}

results=$(mktemp)
run() { # name args...
    local args=("--url" "http://127.0.0.1:$port" "--seconds" "$seconds" "$@")
    for _ in $(seq "$runs"); do
        start_server
        timeout 60 taskset -c 1 "$bench" "${args[@]}" | tee -a "$results"
        stop_server
        start_server
        timeout 60 taskset -c 1 node "$here/node-client/bench.js" "${args[@]}" | tee -a "$results"
        stop_server
    done
}
run --mode acks --clients 100 --inflight 1
run --mode acks --clients 100 --inflight 8
run --mode acks --clients 50 --inflight 1 --transports polling
run --mode connects --clients 32
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const key = (l) => `${l.mode} ${l.transport} clients=${l.clients} inflight=${l.inflight}`;
const groups = {};
for (const l of lines) {
  const g = (groups[key(l)] ??= { plugboard: { rate: [], cpu: [] }, node: { rate: [], cpu: [] } });
  g[l.client].rate.push(l.acks_per_s ?? l.connects_per_s);
  g[l.client].cpu.push(l.per_client_cpu_s);
}
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [k, g] of Object.entries(groups)) {
  const pr = median(g.plugboard.rate), nr = median(g.node.rate);
  const pc = median(g.plugboard.cpu), nc = median(g.node.cpu);
  console.log(`${k}: rate plugboard ${pr}/s node ${nr}/s (${(pr / nr).toFixed(2)}x); per client CPU-second plugboard ${pc} node ${nc} (${(pc / nc).toFixed(2)}x)`);
}' "$results"
rm -f "$results"
