// Reference server for the Plugboard benchmark: Node's socket.io 4.8 running the three events of
// the bench contract (/work/shared/docs/bench-contract.md) on $HOST:$PORT at /socket.io/.
"use strict";

const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "127.0.0.1";

const httpServer = http.createServer();
const io = new Server(httpServer, {
  maxHttpBufferSize: 1e6, // the default, spelled out: the binary scenario sends 64 KiB attachments
  serveClient: false,
});

io.on("connection", (socket) => {
  // echo: ack with exactly the arguments received (Buffers come back as binary attachments).
  socket.on("echo", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    if (ack) ack(...args);
  });

  // join: ack only once the socket is in the room (join is synchronous with the in-memory adapter).
  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack(room);
  });

  // broadcast: emit `bcast` to every member of the room (the sender too if it is a member).
  socket.on("broadcast", (room, payload, ack) => {
    io.to(room).emit("bcast", payload);
    if (typeof ack === "function") ack();
  });
});

// With REDIS_URL: a cluster node on @socket.io/redis-adapter (tests/bench/cluster.sh).
async function joinCluster(url) {
  const { createClient } = require("redis");
  const { createAdapter, createShardedAdapter } = require("@socket.io/redis-adapter");
  const pub = createClient({ url });
  const sub = pub.duplicate();
  pub.on("error", (err) => console.error("redis:", err.message));
  sub.on("error", (err) => console.error("redis:", err.message));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(process.env.REDIS_ADAPTER_MODE === "sharded" ? createShardedAdapter(pub, sub) : createAdapter(pub, sub));
}

(process.env.REDIS_URL ? joinCluster(process.env.REDIS_URL) : Promise.resolve()).then(() => httpServer.listen(port, host, () => {
  console.log(`node socket.io ${require("socket.io/package.json").version} listening on ${host}:${port}`);
}));
