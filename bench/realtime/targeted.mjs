// The load generator of the targeted-delivery benchmark (issue 15): against
// a running `souk serve`, registers P clients and P craftsmen over HTTP, opens
// one direct conversation per pair (P conversations), connects every member
// over Socket.IO (websocket), then for S seconds sends R `message:send`/s
// spread round-robin over the conversations (client -> craftsman) and
// times, for each message:
//   commit  : the message's createdAt (taken in its transaction, just before
//             commit) -> the recipient's `message:new` (what the issue asks)
//   send    : the sender's emit -> the recipient's `message:new`
//   ack     : the sender's emit -> the acknowledgement with the stored message
//   ackToNew: the acknowledgement -> the recipient's `message:new` (the ack
//             leaves the server as soon as the transaction has committed, so
//             this is commit -> message:new less the ack's own trip; it is
//             negative when the event beats the ack)
// and, as the anchor measured under the same load, the round trip of an
// event the server answers without the database (an unknown event's
// acknowledgement) on the same sockets. Prints one JSON line of figures.
// Usage: node targeted.mjs <base-url> [pairs=500] [rate=1000] [seconds=20]
import { io } from "socket.io-client";

const [base, pairsArg = "500", rateArg = "1000", secondsArg = "20"] = process.argv.slice(2);
const pairs = Number(pairsArg);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const WARMUP_SECONDS = 3;
const wall = () => performance.timeOrigin + performance.now(); // ms since the epoch
const mono = () => performance.now();

async function post(path, body, token) {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

// Runs `work` over `items` with at most `width` at a time.
async function pool(items, width, work) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  }));
  return out;
}

const run = Date.now().toString(36);
const register = (role, i) => post("/api/auth/register", {
  email: `${role}-${run}-${i}@bench.souk`, password: "Bench-only-pass-1", role,
  firstName: "Bench", lastName: `${role} ${i}`,
}).then((r) => ({ id: r.user.id, token: r.accessToken }));

const indexes = Array.from({ length: pairs }, (_, i) => i);
const clients = await pool(indexes, 8, (i) => register("client", i));
const craftsmen = await pool(indexes, 8, (i) => register("craftsman", i));
const conversations = await pool(indexes, 8, (i) =>
  post("/api/conversations", { peerId: craftsmen[i].id }, clients[i].token).then((c) => c.id));

function connect(token) {
  return new Promise((resolve, reject) => {
    const socket = io(base, { transports: ["websocket"], auth: { token }, reconnection: false, timeout: 60000 });
    socket.on("connect", () => resolve(socket));
    socket.on("connect_error", (err) => reject(new Error(`connect_error: ${JSON.stringify(err.data ?? err.message)}`)));
  });
}
const senders = await pool(clients, 50, (c) => connect(c.token));
const receivers = await pool(craftsmen, 50, (c) => connect(c.token));

const sent = new Map(); // clientMessageId -> {emitAt, measured}
const samples = { commit: [], send: [], ack: [], ackToNew: [], anchor: [] };
let received = 0;
let refused = 0;
const refusals = {};
for (const socket of receivers) {
  socket.on("message:new", (message) => {
    const at = mono();
    const atWall = wall();
    const entry = sent.get(message.clientMessageId);
    if (!entry) return;
    received += 1;
    entry.newAt = at;
    if (!entry.measured) return;
    if (entry.ackAt !== undefined) samples.ackToNew.push(at - entry.ackAt);
    samples.send.push(at - entry.emitAt);
    samples.commit.push(atWall - Date.parse(message.createdAt));
  });
}

let n = 0;
function sendOne(measured) {
  const i = n % pairs;
  const id = `b-${run}-${n}`;
  n += 1;
  const emitAt = mono();
  sent.set(id, { emitAt, measured });
  senders[i].emit("message:send", { conversationId: conversations[i], text: `message ${n}`, clientMessageId: id }, (answer) => {
    if (answer && answer.code) {
      refused += 1;
      refusals[answer.code] = (refusals[answer.code] ?? 0) + 1;
      return;
    }
    const ackAt = mono();
    const entry = sent.get(id);
    entry.ackAt = ackAt;
    if (!measured) return;
    samples.ack.push(ackAt - emitAt);
    if (entry.newAt !== undefined) samples.ackToNew.push(entry.newAt - ackAt);
  });
}
function pingOne(measured, k) {
  const emitAt = mono();
  senders[k % pairs].emit("bench:ping", {}, () => {
    if (measured) samples.anchor.push(mono() - emitAt);
  });
}

// Sends at `rate`/s in 10 ms ticks (catching up on late ticks), one anchor
// ping per tick, for `duration` seconds.
async function drive(duration, measured) {
  const start = mono();
  let due = 0;
  let pings = 0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = mono() - start;
      if (elapsed >= duration * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      const target = Math.floor((elapsed / 1000) * rate);
      while (due < target) {
        sendOne(measured);
        due += 1;
      }
      pingOne(measured, pings++);
    }, 10);
  });
  return due;
}

await drive(WARMUP_SECONDS, false);
const measuredStart = mono();
const count = await drive(seconds, true);
const achieved = count / ((mono() - measuredStart) / 1000);
await new Promise((r) => setTimeout(r, 3000)); // stragglers

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 100) / 100 : null;
};
const figures = (values) => ({ p50: quantile(values, 0.5), p99: quantile(values, 0.99), n: values.length });
console.log(JSON.stringify({
  pairs,
  rate,
  seconds,
  achievedPerSecond: Math.round(achieved),
  sent: sent.size,
  received,
  refused,
  refusals,
  commitToNewMs: figures(samples.commit),
  sendToNewMs: figures(samples.send),
  sendToAckMs: figures(samples.ack),
  ackToNewMs: figures(samples.ackToNew),
  anchorRoundTripMs: figures(samples.anchor),
}));
for (const socket of [...senders, ...receivers]) socket.disconnect();
process.exit(0);
