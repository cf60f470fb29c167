#!/usr/bin/env bash
# Cluster benchmark: two plugboard-bench-server nodes on one redis-server (the Redis adapter)
# against two Node socket.io 4.8 nodes on one redis-server (@socket.io/redis-adapter 8.3),
# same machine, same load: MEMBERS room members spread over both nodes (5 000 each by
# default), a sender on node A broadcasting to the room as fast as the window allows; every
# broadcast is delivered on both nodes. Both nodes of a kind share SERVER_CORE; Redis and the
# load generator share LOADGEN_CORE. Prints deliveries/s and the ratio. REDIS_ADAPTER_MODE=sharded
# measures the sharded adapters (SPUBLISH/SSUBSCRIBE) instead of the classic ones.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
SERVER_BIN=$BUILD_DIR/bin/plugboard-bench-server
LOADGEN=$BUILD_DIR/bin/plugboard-loadgen
NODE_DIR=$HERE/node-server
SERVERS=${SERVERS:-"plugboard node"}
MEMBERS=${MEMBERS:-10000}
WINDOW=${WINDOW:-4}
DURATION=${DURATION:-8}
SERVER_CORE=${SERVER_CORE:-0}
LOADGEN_CORE=${LOADGEN_CORE:-1}
BASE_PORT=${BASE_PORT:-31600}
RESULTS_DIR=${RESULTS_DIR:-$HERE/results/cluster-$(date +%Y%m%d-%H%M%S)}

die() { echo "cluster.sh: $*" >&2; exit 1; }
[[ -x $LOADGEN && -x $SERVER_BIN ]] || die "build first: cmake --build $BUILD_DIR --target plugboard-bench-server plugboard-loadgen"
command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
[[ -d $NODE_DIR/node_modules/@socket.io/redis-adapter ]] || die "run: npm ci --prefix $NODE_DIR"

ulimit -n "$(ulimit -Hn)"
mkdir -p "$RESULTS_DIR"
REDIS_PID=
NODES_PID=

wait_port() { # port what
    local i
    for ((i = 0; i < 150; i++)); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    die "$2 did not accept connections on port $1 within 15 s"
}

stop_group() { # pid
    [[ -n $1 ]] || return 0
    kill -TERM -- "-$1" 2>/dev/null || true
    local i
    for ((i = 0; i < 30; i++)); do
        kill -0 -- "-$1" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() { stop_group "$NODES_PID"; stop_group "$REDIS_PID"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

node_cmd() {
    case $1 in
    plugboard) printf '%q' "$SERVER_BIN" ;;
    node) printf 'node %q' "$NODE_DIR/server.js" ;;
    *) die "unknown server $1" ;;
    esac
}

port=$BASE_PORT
for server in $SERVERS; do
    redis_port=$((port + 1)); a=$((port + 2)); b=$((port + 3)); port=$((port + 10))
    setsid taskset -c "$LOADGEN_CORE" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
        >"$RESULTS_DIR/$server.redis.log" 2>&1 </dev/null &
    REDIS_PID=$!
    wait_port "$redis_port" redis-server
    cmd=$(node_cmd "$server")
    # One process tree for both nodes, so that the generator sums their CPU time.
    REDIS_URL=redis://127.0.0.1:$redis_port HOST=127.0.0.1 setsid taskset -c "$SERVER_CORE" bash -c \
        "PORT=$a $cmd >$RESULTS_DIR/$server-A.log 2>&1 & PORT=$b $cmd >$RESULTS_DIR/$server-B.log 2>&1 & wait" </dev/null &
    NODES_PID=$!
    wait_port "$a" "$server node A"
    wait_port "$b" "$server node B"
    for ((i = 0; i < 100; i++)); do
        if [[ ${REDIS_ADAPTER_MODE:-classic} == sharded ]]; then
            n=$(redis-cli -p "$redis_port" PUBSUB SHARDNUMSUB 'socket.io#/#' | tail -1)
        else
            n=$(redis-cli -p "$redis_port" PUBSUB NUMSUB 'socket.io-request#/#' | tail -1)
        fi
        [[ $n == 2 ]] && break
        sleep 0.1
    done
    [[ $n == 2 ]] || die "$server nodes did not both subscribe (NUMSUB $n)"
    echo "cluster.sh: $server: nodes on $a and $b, redis on $redis_port" >&2
    timeout -s INT 120 taskset -c "$LOADGEN_CORE" "$LOADGEN" --scenario fanout --members "$MEMBERS" --window "$WINDOW" \
        --ramp-timeout 60 --ports "$a,$b" --pid "$NODES_PID" --server-core "$SERVER_CORE" --duration "$DURATION" \
        --label cluster >"$RESULTS_DIR/$server.metrics" 2>"$RESULTS_DIR/$server.loadgen.log" ||
        echo "cluster.sh: loadgen reported a problem for $server (see $RESULTS_DIR/$server.loadgen.log)" >&2
    stop_group "$NODES_PID"; NODES_PID=
    stop_group "$REDIS_PID"; REDIS_PID=
    sed "s/^METRIC /$server /" "$RESULTS_DIR/$server.metrics" >>"$RESULTS_DIR/all.txt"
done

touch "$RESULTS_DIR/all.txt"
awk '
    { v[$1 SUBSEP $3] = $4; keys[$3] = 1 }
    END {
        printf "%-22s %14s %14s %8s\n", "cluster (2 nodes)", "plugboard", "node", "ratio"
        split("deliveries_per_s per_server_cpu_s lat_p50_ms lat_p99_ms server_cpu_pct errors", order, " ")
        for (i = 1; i in order; i++) {
            k = order[i]
            if (!(k in keys)) continue
            p = v["plugboard" SUBSEP k]; n = v["node" SUBSEP k]
            r = (n + 0 > 0 && p != "") ? sprintf("%.2f", p / n) : "-"
            printf "%-22s %14s %14s %8s\n", k, p, n, r
        }
    }' "$RESULTS_DIR/all.txt" | tee "$RESULTS_DIR/table.txt"
