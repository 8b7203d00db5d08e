#!/usr/bin/env bash
# Benchmark of bookings (issue 17), each figure beside an anchor measured in
# the same run (crates/souk-bench/src/bin/booking_load.rs does the work):
#   slots for 30 days, 1,000 existing bookings   vs  the same with none   (both engines)
#   bookings/s, 64 clients, 100 providers         vs  pgbench TPC-B, 64 clients (PostgreSQL)
#                                                 vs  one-row write transactions, same pool (SQLite)
# Usage: bench/bookings.sh [bookings=6400] [concurrency=64] [slot reads=300]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-6400}"; C="${2:-64}"; R="${3:-300}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
cargo build --release -q -p souk-bench --bin booking_load
BIN="$CARGO_TARGET_DIR/release/booking_load"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT

echo "== SQLite"
DATABASE_URL="sqlite://$WORK/bench.db?mode=rwc" "$BIN" "$N" "$C" "$R"

echo "== PostgreSQL"
PG="postgres://postgres@127.0.0.1:5432"
for db in souk_bench_bookings souk_bench_pgbench; do
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
done
DATABASE_URL="$PG/souk_bench_bookings" "$BIN" "$N" "$C" "$R"
pgbench -q -i -s 10 "$PG/souk_bench_pgbench" >/dev/null 2>&1
printf 'anchor: pgbench TPC-B, %s clients     ' "$C"
pgbench -n -c "$C" -j 2 -T 10 "$PG/souk_bench_pgbench" 2>/dev/null | awk '/^tps/ {print $3 " tps"}'
