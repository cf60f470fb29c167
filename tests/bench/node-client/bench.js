// The Node side of tests/bench/client.sh: N socket.io-client 4.8 sockets in one process against
// a bench-contract server, measuring acked emits per second or connects per second, with the
// same load shape as plugboard-client-bench.
"use strict";

const { io } = require("socket.io-client");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const url = option("url", "http://127.0.0.1:3000");
const mode = option("mode", "acks");
const clients = Number(option("clients", "100"));
const inflight = Number(option("inflight", "1"));
const seconds = Number(option("seconds", "5"));
const transports = option("transports", "websocket").split(",");
const socketOptions = { transports, forceNew: true, reconnection: false };

// Completions per second, and per second of this process's CPU time (steadier when the
// server, not the client, is the bottleneck).
function measure(counter, metric) {
  setTimeout(() => {
    counter.measuring = true;
    counter.count = 0;
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    setTimeout(() => {
      const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      const used = process.cpuUsage(cpuStart);
      const cpu = (used.user + used.system) / 1e6;
      console.log(JSON.stringify({
        client: "node", mode, transport: transports.join(","), clients, inflight,
        [metric]: Math.round(counter.count / elapsed),
        per_client_cpu_s: Math.round(cpu > 0 ? counter.count / cpu : 0),
        client_cpu_pct: Math.round((100 * cpu) / elapsed),
      }));
      process.exit(0);
    }, seconds * 1000);
  }, 1000);
}

function runAcks() {
  const payload = "x".repeat(32);
  const counter = { count: 0, measuring: false };
  const sockets = [];
  let connected = 0;
  const sendOne = (socket) => {
    socket.emit("echo", payload, () => {
      if (counter.measuring) counter.count++;
      sendOne(socket);
    });
  };
  for (let i = 0; i < clients; i++) {
    const socket = io(url, socketOptions);
    sockets.push(socket);
    socket.on("connect_error", (err) => { console.error(`connect_error: ${err.message}`); process.exit(1); });
    socket.once("connect", () => {
      if (++connected < clients) return;
      for (const s of sockets) for (let k = 0; k < inflight; k++) sendOne(s);
      measure(counter, "acks_per_s");
    });
  }
}

function runConnects() {
  const counter = { count: 0, measuring: false };
  const startOne = () => {
    const socket = io(url, socketOptions);
    socket.once("connect", () => {
      if (counter.measuring) counter.count++;
      socket.disconnect();
      startOne();
    });
    socket.once("connect_error", (err) => { console.error(`connect_error: ${err.message}`); startOne(); });
  };
  for (let i = 0; i < clients; i++) startOne();
  measure(counter, "connects_per_s");
}

if (mode === "acks") runAcks();
else if (mode === "connects") runConnects();
else { console.error("--mode is acks or connects"); process.exit(2); }
