#!/usr/bin/env bash
# Benchmark of micro-tasks (issue 18): submission + approval cycles per
# second (crates/souk-bench/src/bin/task_cycles.rs) beside pgbench TPC-B in
# the same run on PostgreSQL, and on SQLite.
# Usage: bench/tasks.sh [concurrency=32]
set -euo pipefail
cd "$(dirname "$0")/.."
C="${1:-32}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
cargo build --release -q -p souk-bench --bin task_cycles
BIN="$CARGO_TARGET_DIR/release/task_cycles"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT

echo "== SQLite"
DATABASE_URL="sqlite://$WORK/bench.db?mode=rwc" "$BIN" "$C"

echo "== PostgreSQL"
PG="postgres://postgres@127.0.0.1:5432"
for db in souk_bench_tasks souk_bench_pgbench; do
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
done
DATABASE_URL="$PG/souk_bench_tasks" "$BIN" "$C"
pgbench -q -i -s 10 "$PG/souk_bench_pgbench" >/dev/null 2>&1
printf 'anchor: pgbench TPC-B, %s clients     ' "$C"
pgbench -n -c "$C" -j 2 -T 10 "$PG/souk_bench_pgbench" 2>/dev/null | awk '/^tps/ {print $3 " tps"}'
