#!/usr/bin/env bash
# Side-by-side benchmark: plugboard-bench-server vs Node's socket.io 4.8 (tests/bench/node-server),
# driven by plugboard-loadgen. Builds nothing: run `cmake --build build` (Release or RelWithDebInfo)
# and `npm ci --prefix tests/bench/node-server` first. See tests/bench/README.md.
#
# Environment (all optional):
#   BUILD_DIR     build tree holding bin/plugboard-bench-server and bin/plugboard-loadgen (default: build)
#   SERVERS       "plugboard node" (default), or one of them
#   SCENARIOS     subset of: echo fanout1k fanout10k binary idle5k idle10k idle19k connect polling
#   DURATION      measurement window per scenario, s (default 8)
#   SERVER_CORE   core the servers are pinned to (default 0); LOADGEN_CORE (default 1)
#   BASE_PORT     first port used (default 31400); each run takes the next one
#   RESULTS_DIR   where raw METRIC lines and logs go (default tests/bench/results/<timestamp>)
#   NICE          if set (e.g. -10): servers and load generator run under `nice -n $NICE`, and their
#                 sessions' scheduler autogroups get that nice too (/proc/self/autogroup; with
#                 autogroup, plain nice does not count against other sessions). Only for a machine that
#                 other work keeps busy; leave unset on a quiet one.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
SERVER_BIN=$BUILD_DIR/bin/plugboard-bench-server
LOADGEN=$BUILD_DIR/bin/plugboard-loadgen
NODE_DIR=$HERE/node-server
SERVERS=${SERVERS:-"plugboard node"}
SCENARIOS=${SCENARIOS:-"echo fanout1k fanout10k binary idle5k idle10k idle19k connect polling"}
DURATION=${DURATION:-8}
SERVER_CORE=${SERVER_CORE:-0}
LOADGEN_CORE=${LOADGEN_CORE:-1}
BASE_PORT=${BASE_PORT:-31400}
RESULTS_DIR=${RESULTS_DIR:-$HERE/results/$(date +%Y%m%d-%H%M%S)}
TOTAL_LIMIT=${TOTAL_LIMIT:-290} # s; the whole run stops launching scenarios past this
NICE_CMD=()
PRE=
if [[ -n ${NICE:-} ]]; then
    NICE_CMD=(nice -n "$NICE")
    PRE="echo $((NICE)) >/proc/self/autogroup 2>/dev/null; "
fi

die() { echo "run.sh: $*" >&2; exit 1; }
[[ -x $LOADGEN ]] || die "$LOADGEN missing: cmake --build $BUILD_DIR --target plugboard-loadgen"
for s in $SERVERS; do
    case $s in
    plugboard) [[ -x $SERVER_BIN ]] || die "$SERVER_BIN missing: cmake --build $BUILD_DIR --target plugboard-bench-server" ;;
    node)
        command -v node >/dev/null || die "node not found"
        [[ -d $NODE_DIR/node_modules/socket.io ]] || die "run: npm ci --prefix $NODE_DIR" ;;
    *) die "unknown server $s" ;;
    esac
done
if [[ -r $BUILD_DIR/CMakeCache.txt ]]; then
    bt=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD_DIR/CMakeCache.txt")
    [[ $bt == Release || $bt == RelWithDebInfo ]] || echo "run.sh: warning: $BUILD_DIR is a '$bt' build; numbers are meaningful for Release/RelWithDebInfo only" >&2
fi

ulimit -n "$(ulimit -Hn)" # the servers inherit the hard limit (bench contract)
mkdir -p "$RESULTS_DIR"
START=$(date +%s)
port=$BASE_PORT
SERVER_PID=

server_cmd() {
    case $1 in
    plugboard) printf '%q' "$SERVER_BIN" ;;
    node) printf 'node %q' "$NODE_DIR/server.js" ;;
    esac
}

# Start a server as the contract says: bash -c "exec CMD" in a new session, pinned, PORT/HOST env.
start_server() { # name port log
    local cmd
    cmd=$(server_cmd "$1")
    PORT=$2 HOST=127.0.0.1 setsid taskset -c "$SERVER_CORE" bash -c "${PRE}exec ${NICE_CMD[*]} $cmd" >"$3" 2>&1 </dev/null &
    SERVER_PID=$!
    local i
    for ((i = 0; i < 150; i++)); do # 15 s
        if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then
            sleep 0.3 # let the accepted probe connection go away before measuring the baseline
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "run.sh: $1 exited at start, see $3" >&2; return 1; }
        sleep 0.1
    done
    echo "run.sh: $1 did not accept connections on port $2 within 15 s" >&2
    return 1
}

# SIGTERM to the process group, SIGKILL 3 s later.
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 30; i++)); do
        kill -0 -- "-$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
trap 'stop_server' EXIT
trap 'exit 130' INT TERM

scenario_args() {
    case $1 in
    echo) echo "--scenario echo --conns 100 --inflight 8" ;;
    fanout1k) echo "--scenario fanout --members 1000 --window 8" ;;
    fanout10k) echo "--scenario fanout --members 10000 --window 4 --ramp-timeout 40" ;;
    binary) echo "--scenario binary --conns 16 --inflight 2 --bin-size 65536" ;;
    idle5k) echo "--scenario idle --conns 5000 --settle 2" ;;
    idle10k) echo "--scenario idle --conns 10000 --settle 2" ;;
    idle19k) echo "--scenario idle --conns 19000 --settle 2 --ramp-timeout 40" ;;
    connect) echo "--scenario connect --concurrency 64" ;;
    polling) echo "--scenario polling --conns 50 --inflight 4" ;;
    *) return 1 ;;
    esac
}

load=$(cut -d' ' -f1 /proc/loadavg)
echo "run.sh: results in $RESULTS_DIR (load average $load)" >&2
awk -v l="$load" 'BEGIN { exit !(l > 0.5) }' && echo "run.sh: warning: the machine is not idle (load $load); numbers will be noisy" >&2

for scenario in $SCENARIOS; do
    args=$(scenario_args "$scenario") || die "unknown scenario $scenario"
    for server in $SERVERS; do
        if (($(date +%s) - START > TOTAL_LIMIT)); then
            echo "run.sh: time budget of ${TOTAL_LIMIT}s spent, skipping $scenario/$server" >&2
            continue
        fi
        port=$((port + 1))
        log=$RESULTS_DIR/$server-$scenario.server.log
        if ! start_server "$server" "$port" "$log"; then
            stop_server
            continue
        fi
        echo "run.sh: $scenario / $server (pid $SERVER_PID, port $port)" >&2
        # shellcheck disable=SC2086
        setsid -w bash -c "${PRE}"'exec "$@"' loadgen timeout -s INT 100 "${NICE_CMD[@]}" taskset -c "$LOADGEN_CORE" "$LOADGEN" $args --label "$scenario" --port "$port" \
            --pid "$SERVER_PID" --server-core "$SERVER_CORE" --duration "$DURATION" \
            >"$RESULTS_DIR/$server-$scenario.metrics" 2>"$RESULTS_DIR/$server-$scenario.loadgen.log" ||
            echo "run.sh: loadgen reported a problem for $scenario/$server (see $RESULTS_DIR/$server-$scenario.loadgen.log)" >&2
        stop_server
        sed "s/^METRIC /$server /" "$RESULTS_DIR/$server-$scenario.metrics" >>"$RESULTS_DIR/all.txt"
    done
done

# Table: scenario, metric, plugboard, node, ratio (plugboard / node). The metrics shown per scenario:
{
    echo "echo acks_per_s per_server_cpu_s lat_p50_ms lat_p99_ms server_cpu_pct loadgen_cpu_pct errors"
    echo "fanout1k deliveries_per_s per_server_cpu_s lat_p50_ms lat_p99_ms server_cpu_pct loadgen_cpu_pct errors"
    echo "fanout10k deliveries_per_s per_server_cpu_s lat_p50_ms lat_p99_ms server_cpu_pct loadgen_cpu_pct errors"
    echo "binary acks_per_s per_server_cpu_s mib_per_s lat_p50_ms lat_p99_ms server_cpu_pct loadgen_cpu_pct errors"
    echo "idle5k connections rss_per_conn_kib baseline_rss_mib rss_mib"
    echo "idle10k connections rss_per_conn_kib baseline_rss_mib rss_mib"
    echo "idle19k connections rss_per_conn_kib baseline_rss_mib rss_mib"
    echo "connect connects_per_s per_server_cpu_s lat_p50_ms lat_p99_ms server_cpu_pct loadgen_cpu_pct errors"
    echo "polling acks_per_s per_server_cpu_s lat_p50_ms lat_p99_ms server_cpu_pct loadgen_cpu_pct errors"
} >"$RESULTS_DIR/layout.txt"

touch "$RESULTS_DIR/all.txt"
awk -v scenarios="$SCENARIOS" '
    FNR == NR { v[$1 SUBSEP $2 SUBSEP $3] = $4; next }
    { rows[$1] = $0 }
    END {
        n = split(scenarios, list, " ")
        printf "%-10s %-26s %12s %12s %8s\n", "scenario", "metric", "plugboard", "node", "ratio"
        for (i = 1; i <= n; i++) {
            s = list[i]
            if (!(s in rows)) continue
            m = split(rows[s], f, " ")
            for (j = 2; j <= m; j++) {
                k = f[j]
                p = ((("plugboard" SUBSEP s SUBSEP k) in v) ? v["plugboard", s, k] : "-")
                q = ((("node" SUBSEP s SUBSEP k) in v) ? v["node", s, k] : "-")
                r = (p != "-" && q != "-" && q + 0 != 0) ? sprintf("%.2f", p / q) : "-"
                dir = (k ~ /lat_|rss|cpu_pct|errors/) ? " (lower)" : ""
                printf "%-10s %-26s %12s %12s %8s\n", s, k dir, p, q, r
            }
        }
    }' "$RESULTS_DIR/all.txt" "$RESULTS_DIR/layout.txt" | tee "$RESULTS_DIR/table.txt"
echo "run.sh: done in $(($(date +%s) - START)) s; raw results in $RESULTS_DIR" >&2
