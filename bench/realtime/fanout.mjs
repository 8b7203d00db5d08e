// The load generator of the broadcast benchmark: opens N clients against a
// server (Souk's or Node's Socket.IO with socket.io-client over websocket,
// or the raw TCP anchor with plain sockets), then asks the server R times to
// broadcast one event to all of them (POST /trigger on its control port) and
// times, per round, how long until every client has it — and each client's
// own delay. Prints one JSON line of figures.
// Usage: node fanout.mjs <kind: socketio|tcp> <socket-url-or-port> <control-url>
//          <clients> <rounds> [token] [server-pid]
import { connect as tcpConnect } from "node:net";
import { readFileSync } from "node:fs";
import { io } from "socket.io-client";

const [kind, target, control, clientsArg, roundsArg, token = "", pidArg = ""] = process.argv.slice(2);
const clients = Number(clientsArg);
const rounds = Number(roundsArg);
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

function rssKb(pid) {
  if (!pid) return null;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const line = status.split("\n").find((l) => l.startsWith("VmRSS:"));
  return line ? Number(line.split(/\s+/)[1]) : null;
}

let pending = 0;
let roundStart = 0;
let delays = [];
let roundDone = () => {};
function received() {
  delays.push(now() - roundStart);
  pending -= 1;
  if (pending === 0) roundDone();
}

async function openAll() {
  const opened = [];
  const batch = 200; // connect in waves so the handshakes do not time out
  for (let i = 0; i < clients; i += batch) {
    const wave = [];
    for (let j = i; j < Math.min(i + batch, clients); j += 1) {
      wave.push(
        new Promise((resolve, reject) => {
          if (kind === "tcp") {
            const [host, port] = target.split(":");
            const socket = tcpConnect({ host, port: Number(port) }, () => resolve(socket));
            socket.setNoDelay(true);
            socket.on("data", (chunk) => {
              for (const byte of chunk) if (byte === 10) received();
            });
            socket.on("error", reject);
          } else {
            const socket = io(target, {
              transports: ["websocket"],
              auth: { token },
              reconnection: false,
              timeout: 60000,
            });
            socket.on("connect", () => resolve(socket));
            socket.on("connect_error", (err) => reject(new Error(`connect_error: ${JSON.stringify(err.data ?? err.message)}`)));
            socket.on("bench", received);
          }
        }),
      );
    }
    opened.push(...(await Promise.all(wave)));
  }
  return opened;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const rss0 = rssKb(pidArg);
const sockets = await openAll();
if (kind === "tcp") {
  // A client's connect does not prove the server accepted it yet.
  for (let tries = 0; tries < 600; tries += 1) {
    const count = Number(await (await fetch(`${control}/count`)).text());
    if (count >= clients) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}
await new Promise((r) => setTimeout(r, 2000)); // let the server settle (room joins)
const rss1 = rssKb(pidArg);

const completions = [];
const perClient = [];
for (let r = 0; r < rounds; r += 1) {
  pending = clients;
  delays = [];
  const done = new Promise((resolve) => (roundDone = resolve));
  roundStart = now();
  const answer = await fetch(`${control}/trigger`, { method: "POST" });
  if (!answer.ok) throw new Error(`trigger: ${answer.status}`);
  const timeout = setTimeout(() => { throw new Error(`round ${r}: ${pending} clients never got it`); }, 30000);
  await done;
  clearTimeout(timeout);
  completions.push(now() - roundStart);
  perClient.push(...delays);
  await new Promise((resolve) => setTimeout(resolve, 20));
}
completions.sort((a, b) => a - b);
perClient.sort((a, b) => a - b);
const round2 = (v) => (v == null ? null : Math.round(v * 100) / 100);
console.log(JSON.stringify({
  kind,
  clients,
  rounds,
  allReceivedMs: { p50: round2(quantile(completions, 0.5)), p99: round2(quantile(completions, 0.99)) },
  perClientMs: { p50: round2(quantile(perClient, 0.5)), p99: round2(quantile(perClient, 0.99)) },
  rssKbIdle: rss0,
  rssKbConnected: rss1,
  bytesPerSocket: rss0 != null && rss1 != null ? Math.round(((rss1 - rss0) * 1024) / clients) : null,
}));
for (const socket of sockets) (socket.destroy ?? socket.disconnect).call(socket);
process.exit(0);
