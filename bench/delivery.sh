#!/usr/bin/env bash
# Benchmark of delivery (issue 19), each figure beside an anchor measured in
# the same run (crates/souk-bench/src/bin/delivery_load.rs does the work):
#   commit → push at a fake FCM server, 100/s for 60 s (p50/p90/p99/max)
#                                         vs  the fake's round trip, direct sends
#   event-feed reads of 1,000 of ≥ 10,000 events, in-process and over the router
#                                         vs  SELECT * FROM events ORDER BY id LIMIT 1000
# on SQLite (a temporary file) and PostgreSQL.
# Usage: bench/delivery.sh [rate=100] [seconds=60] [users=200] [events=12000] [reads=300]
set -euo pipefail
cd "$(dirname "$0")/.."
RATE="${1:-100}"; SECS="${2:-60}"; USERS="${3:-200}"; EVENTS="${4:-12000}"; READS="${5:-300}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
cargo build --release -q -p souk-bench --bin delivery_load
BIN="$CARGO_TARGET_DIR/release/delivery_load"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT

echo "== SQLite"
DATABASE_URL="sqlite://$WORK/bench.db?mode=rwc" "$BIN" "$RATE" "$SECS" "$USERS" "$EVENTS" "$READS"

echo "== PostgreSQL"
PG="postgres://postgres@127.0.0.1:5432"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS souk_bench_delivery" -c "CREATE DATABASE souk_bench_delivery"
DATABASE_URL="$PG/souk_bench_delivery" "$BIN" "$RATE" "$SECS" "$USERS" "$EVENTS" "$READS"
