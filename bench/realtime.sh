#!/usr/bin/env bash
# Realtime broadcast benchmark (issue 15): N Socket.IO clients (one
# socket.io-client generator, bench/realtime/fanout.mjs) on one server, one
# event broadcast to a room holding all of them, R rounds; per round the
# time until every client has it, and each client's own delay; the server's
# RSS per connected socket. Three servers in the same run, the same
# generator: the raw tokio TCP fan-out (souk-bench fanout_tcp, the physical
# anchor), Souk (souk-bench socket_fanout: the real router, handshake and
# sink) and Node socket.io 4 (bench/realtime/node-server.mjs).
# Usage: bench/realtime.sh [clients=10000] [rounds=100]
# SOUK_BIN_DIR: use the binaries there instead of building them (release).
# SOUK_OLD_FANOUT: another socket_fanout binary (an older build) measured in
# the same run as a fourth side, "souk-old", for old-vs-new comparisons.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS="${1:-10000}"; ROUNDS="${2:-100}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
if [ -z "${SOUK_BIN_DIR:-}" ]; then
  cargo build --release -q -p souk-bench --bin fanout_tcp --bin socket_fanout
  SOUK_BIN_DIR="$CARGO_TARGET_DIR/release"
fi
npm ci --no-audit --no-fund --silent --prefix bench/realtime
# Each side holds CLIENTS sockets; raise the open-files limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "== machine: $(nproc) cores; open files $(ulimit -n); $CLIENTS clients, $ROUNDS rounds"

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# Starts a server (its command line after the log name), waits for "ready".
start() {
  local log="$1"; shift
  "$@" > "$log" 2>&1 &
  PIDS+=("$!")
  SERVER_PID="$!"
  for _ in $(seq 1 60); do grep -q '^ready' "$log" && return 0; sleep 1; done
  echo "server did not start: $log"; cat "$log"; exit 1
}
OUT="$(mktemp -d /tmp/souk-realtime.XXXXXX)"
run_side() {
  local name="$1" kind="$2" target="$3" control="$4" token="${5:-}"
  echo "== $name"
  node bench/realtime/fanout.mjs "$kind" "$target" "$control" "$CLIENTS" "$ROUNDS" "$token" "$SERVER_PID" | tee "$OUT/$name.json"
  kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true
  sleep 2
}

start "$OUT/tcp.log" "$SOUK_BIN_DIR/fanout_tcp" 7401 7402
run_side tcp tcp 127.0.0.1:7401 http://127.0.0.1:7402
start "$OUT/souk.log" "$SOUK_BIN_DIR/socket_fanout" 7411 7412
TOKEN="$(grep '^token ' "$OUT/souk.log" | cut -d' ' -f2)"
run_side souk socketio http://127.0.0.1:7411 http://127.0.0.1:7412 "$TOKEN"
if [ -n "${SOUK_OLD_FANOUT:-}" ]; then
  start "$OUT/souk-old.log" "$SOUK_OLD_FANOUT" 7431 7432
  TOKEN="$(grep '^token ' "$OUT/souk-old.log" | cut -d' ' -f2)"
  run_side souk-old socketio http://127.0.0.1:7431 http://127.0.0.1:7432 "$TOKEN"
fi
start "$OUT/node.log" node bench/realtime/node-server.mjs 7421 7422
run_side node socketio http://127.0.0.1:7421 http://127.0.0.1:7422

node -e '
const [dir] = process.argv.slice(1);
const read = (n) => JSON.parse(require("fs").readFileSync(`${dir}/${n}.json`, "utf8"));
const tcp = read("tcp"), souk = read("souk"), node = read("node");
const r = (a, b) => (a / b).toFixed(2);
console.log("== summary (time until every client has the event; bytes of server RSS per socket)");
console.log(`souk: median ${souk.allReceivedMs.p50} ms (${r(souk.allReceivedMs.p50, tcp.allReceivedMs.p50)}x raw TCP, target <= 3x), p99 ${souk.allReceivedMs.p99} ms; ${souk.bytesPerSocket} B/socket (target <= 32768)`);
console.log(`node: median ${node.allReceivedMs.p50} ms, p99 ${node.allReceivedMs.p99} ms; ${node.bytesPerSocket} B/socket`);
if (require("fs").existsSync(`${dir}/souk-old.json`)) {
  const old = read("souk-old");
  console.log(`souk-old: median ${old.allReceivedMs.p50} ms (${r(old.allReceivedMs.p50, tcp.allReceivedMs.p50)}x raw TCP), p99 ${old.allReceivedMs.p99} ms; ${old.bytesPerSocket} B/socket`);
}
console.log(`souk vs node: p99 ${r(souk.allReceivedMs.p99, node.allReceivedMs.p99)}x, memory ${r(souk.bytesPerSocket, node.bytesPerSocket)}x (target: both < 1)`);
' "$OUT"
