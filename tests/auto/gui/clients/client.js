'use strict';
// A scriptable socket.io-client for the console tests and the screenshot tour.
//
//   node client.js URL [--nsp /name] [--query JSON] [--auth JSON] [--transports websocket,polling]
//                      [--name LABEL]
//
// Prints one JSON line per happening on stdout:
//   {"type":"connect","id":...}  {"type":"event","event":...,"args":[...],"ack":bool}
//   {"type":"disconnect","reason":...}  {"type":"connect_error","message":...}
//   {"type":"ack","seq":N,"args":[...]}  (the server's reply to an emit with "ack")
// Reads JSON commands from stdin, one per line:
//   {"cmd":"emit","event":"chat","args":[...],"ack":false,"seq":1}
//   {"cmd":"ackReply","args":[...]}   what to answer when the server asks for an ack
//                                     (default: [{"ok":true,"id":<socket id>,"event":<event>}])
//   {"cmd":"disconnect"}  {"cmd":"exit"}
// Binary arguments travel as {"$hex": "..."} both ways. Reconnection is off, so a kick is final.
const path = require('node:path');
const readline = require('node:readline');

const modules = process.env.PLUGBOARD_NODE_MODULES
  || path.resolve(__dirname, '..', '..', '..', 'e2e', 'node_modules');
const { io } = require(path.join(modules, 'socket.io-client'));

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index > 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}

function print(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

function toWire(value) {
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$hex') return Buffer.from(value.$hex, 'hex');
    const out = {};
    for (const key of keys) out[key] = toWire(value[key]);
    return out;
  }
  return value;
}

function fromWire(value) {
  if (Buffer.isBuffer(value)) return { $hex: value.toString('hex') };
  if (value instanceof ArrayBuffer) return { $hex: Buffer.from(value).toString('hex') };
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value)) out[key] = fromWire(value[key]);
    return out;
  }
  return value;
}

const url = process.argv[2];
const nsp = option('--nsp', '/');
const socket = io(url + (nsp === '/' ? '' : nsp), {
  reconnection: false,
  forceNew: true,
  transports: option('--transports', 'polling,websocket').split(','),
  query: JSON.parse(option('--query', '{}')),
  auth: JSON.parse(option('--auth', '{}')),
  extraHeaders: { 'x-client-name': option('--name', 'console-test') },
});

let ackReply = null;

socket.on('connect', () => print({ type: 'connect', id: socket.id }));
socket.on('connect_error', (error) => print({ type: 'connect_error', message: error.message }));
socket.on('disconnect', (reason) => print({ type: 'disconnect', reason }));
socket.onAny((event, ...args) => {
  const callback = typeof args[args.length - 1] === 'function' ? args.pop() : null;
  print({ type: 'event', event, args: fromWire(args), ack: Boolean(callback) });
  if (callback) callback(...toWire(ackReply || [{ ok: true, id: socket.id, event }]));
});

const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (!line.trim()) return;
  let command;
  try {
    command = JSON.parse(line);
  } catch (error) {
    print({ type: 'error', message: `bad command: ${error.message}` });
    return;
  }
  switch (command.cmd) {
    case 'emit':
      if (command.ack) {
        socket.emit(command.event, ...toWire(command.args || []),
          (...reply) => print({ type: 'ack', seq: command.seq, args: fromWire(reply) }));
      } else {
        socket.emit(command.event, ...toWire(command.args || []));
      }
      break;
    case 'ackReply':
      ackReply = command.args;
      print({ type: 'ackReplySet' });
      break;
    case 'disconnect':
      socket.disconnect();
      break;
    case 'exit':
      socket.close();
      process.exit(0);
      break;
    default:
      print({ type: 'error', message: `unknown command ${command.cmd}` });
  }
});
input.on('close', () => {
  socket.close();
  process.exit(0);
});
