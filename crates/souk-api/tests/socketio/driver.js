// A small driver of the official Socket.IO client for the Rust tests
// (crates/souk-api/tests/it/support/socketio.rs). It reads one JSON command
// per line on stdin and prints one JSON line per thing that happens:
//   {"cmd":"connect","id":"a","url":"http://127.0.0.1:1234","auth":{"token":"…"},
//    "query":{…},"transports":["websocket"],"headers":{"accept-language":"ar"}}
//     -> {"id":"a","type":"connect"} | {"id":"a","type":"connect_error","message":…,"data":…}
//   every event the server sends -> {"id":"a","type":"event","event":"…","data":…}
//   a disconnection              -> {"id":"a","type":"disconnect","reason":"…"}
//   {"cmd":"emit","id":"a","event":"typing","data":{…},"seq":1,"pad":150000}
//     -> {"id":"a","type":"ack","seq":1,"data":…} (or "ack_timeout"); "pad"
//        adds a string of that many bytes as data.padding; "args" sends
//        several arguments instead of "data"; "noArgs" sends none
//   {"cmd":"close","id":"a"}  {"cmd":"exit"}
"use strict";
const { io } = require("socket.io-client");
const readline = require("readline");

const sockets = new Map();
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

function connect(cmd) {
  const socket = io(cmd.url, {
    auth: cmd.auth,
    query: cmd.query,
    transports: cmd.transports || ["polling", "websocket"],
    extraHeaders: cmd.headers,
    forceNew: true,
    reconnection: false,
    timeout: 5000,
  });
  sockets.set(cmd.id, socket);
  socket.on("connect", () => print({ id: cmd.id, type: "connect", transport: socket.io.engine.transport.name }));
  socket.on("connect_error", (err) =>
    print({ id: cmd.id, type: "connect_error", message: err.message, data: err.data === undefined ? null : err.data }));
  socket.on("disconnect", (reason) => print({ id: cmd.id, type: "disconnect", reason }));
  socket.onAny((event, ...args) => print({ id: cmd.id, type: "event", event, data: args.length ? args[0] : null }));
}

async function emit(cmd) {
  const socket = sockets.get(cmd.id);
  let args;
  if (cmd.noArgs) {
    args = [];
  } else if (cmd.args) {
    args = cmd.args;
  } else {
    const data = cmd.pad ? { ...(cmd.data || {}), padding: "x".repeat(cmd.pad) } : cmd.data;
    args = [data];
  }
  try {
    const answer = await socket.timeout(cmd.timeout || 5000).emitWithAck(cmd.event, ...args);
    print({ id: cmd.id, type: "ack", seq: cmd.seq, data: answer === undefined ? null : answer });
  } catch (err) {
    print({ id: cmd.id, type: "ack_timeout", seq: cmd.seq });
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!line.trim()) return;
  const cmd = JSON.parse(line);
  switch (cmd.cmd) {
    case "connect":
      connect(cmd);
      break;
    case "emit":
      emit(cmd);
      break;
    case "close":
      sockets.get(cmd.id)?.disconnect();
      break;
    case "exit":
      for (const socket of sockets.values()) socket.disconnect();
      process.exit(0);
  }
});
lines.on("close", () => process.exit(0));
print({ type: "ready" });
