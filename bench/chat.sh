#!/usr/bin/env bash
# Targeted-delivery benchmark (issue 15): a release `souk serve` on SQLite,
# then on PostgreSQL (a fresh database), each loaded by
# bench/realtime/targeted.mjs — P pairs in P direct conversations, R
# `message:send`/s for S seconds — printing the commit -> recipient's
# `message:new` p50/p99 (and ack -> message:new, commit -> message:new less
# the ack's trip) beside the anchor measured in the same run: the round
# trip of an event the server answers without the database.
# Usage: bench/chat.sh [rate=1000] [seconds=20] [pairs=500]
# SOUK_BIN_DIR: use the `souk` binary there instead of building it (release).
# BENCH_PG_URL: the PostgreSQL server (default postgres://postgres@127.0.0.1:5432).
# ENGINES: which databases to run (default "sqlite postgres").
set -euo pipefail
cd "$(dirname "$0")/.."
RATE="${1:-1000}"; SECONDS_="${2:-20}"; PAIRS="${3:-500}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
if [ -z "${SOUK_BIN_DIR:-}" ]; then
  cargo build --release -q -p souk --bin souk
  SOUK_BIN_DIR="$CARGO_TARGET_DIR/release"
fi
PG="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
npm ci --no-audit --no-fund --silent --prefix bench/realtime
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
OUT="$(mktemp -d /tmp/souk-chat-bench.XXXXXX)"
echo "== machine: $(nproc) cores; $PAIRS conversations, $RATE messages/s for $SECONDS_ s; output in $OUT"

SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT

run_on() {
  local name="$1" url="$2" port="$3"
  echo "== $name"
  env DATABASE_URL="$url" PORT="$port" HOST=127.0.0.1 SOUK_DATA_DIR="$OUT/$name-data" \
    LOG_DIR="$OUT/$name-logs" JWT_SECRET="chat-benchmark-secret-chat-benchmark-secret" \
    RATE_LIMIT_ENABLED=false RUST_LOG=warn \
    "$SOUK_BIN_DIR/souk" serve > "$OUT/$name.log" 2>&1 &
  SERVER="$!"
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 1
  done
  node bench/realtime/targeted.mjs "http://127.0.0.1:$port" "$PAIRS" "$RATE" "$SECONDS_" | tee "$OUT/$name.json"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

ENGINES="${ENGINES:-sqlite postgres}"
if [[ " $ENGINES " == *" sqlite "* ]]; then
  mkdir -p "$OUT/sqlite-data"
  run_on sqlite "sqlite://$OUT/sqlite-data/souk.db?mode=rwc" 7501
fi
if [[ " $ENGINES " == *" postgres "* ]]; then
  DB="souk_chat_bench_$$"
  psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null
  run_on postgres "$PG/$DB" 7502
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
fi

node -e '
const [dir] = process.argv.slice(1);
const read = (n) => JSON.parse(require("fs").readFileSync(`${dir}/${n}.json`, "utf8"));
console.log("== summary (ms; target: commit -> message:new p99 <= 25 at 1,000 messages/s)");
for (const name of ["sqlite", "postgres"]) {
  if (!require("fs").existsSync(`${dir}/${name}.json`)) continue;
  const f = read(name);
  console.log(`${name}: ${f.achievedPerSecond} msg/s, commit->new p50 ${f.commitToNewMs.p50} p99 ${f.commitToNewMs.p99}; send->new p50 ${f.sendToNewMs.p50} p99 ${f.sendToNewMs.p99}; send->ack p50 ${f.sendToAckMs.p50} p99 ${f.sendToAckMs.p99}; ack->new p50 ${f.ackToNewMs.p50} p99 ${f.ackToNewMs.p99}; anchor round trip p50 ${f.anchorRoundTripMs.p50} p99 ${f.anchorRoundTripMs.p99}; received ${f.received}/${f.sent}, refused ${f.refused}`);
}
' "$OUT"
