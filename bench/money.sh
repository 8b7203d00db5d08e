#!/usr/bin/env bash
# Benchmark of money (issue 4) on PostgreSQL: escrow fund+release cycles per
# second (crates/souk-bench/src/bin/escrow_cycles.rs) beside pgbench's TPC-B
# transactions per second, on the same machine, in the same run, with the
# same number of concurrent clients, pgbench before and after the cycles.
# Target: cycles/s >= 30% of the mean TPC-B tps.
# Each side also prints its WAL and the machine's busy CPU time per
# transaction (or cycle); the ratio swings with this machine's speed, so
# compare several runs (docs/PERFORMANCE.md).
# Usage: bench/money.sh [cycles=4000] [clients=32] [pgbench-seconds=30]
# SOUK_BIN_DIR=dir runs the escrow_cycles binary in that directory and builds
# nothing (bench/compare.sh uses it to measure an older build with this
# script); unset, the script builds into $CARGO_TARGET_DIR/release.
# SOUK_BENCH_RESULTS=file appends the figures there as "key value" lines.
set -euo pipefail
cd "$(dirname "$0")/.."
CYCLES="${1:-4000}"; CLIENTS="${2:-32}"; SECS="${3:-30}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-contrib; }
if [ -n "${SOUK_BIN_DIR:-}" ]; then
  BIN="$SOUK_BIN_DIR"
else
  cargo build --release -q -p souk-bench --bin escrow_cycles
  BIN="$CARGO_TARGET_DIR/release"
fi
[ -x "$BIN/escrow_cycles" ] || { echo "no escrow_cycles in $BIN" >&2; exit 1; }
RESULTS="${SOUK_BENCH_RESULTS:-/dev/null}"
result() { echo "$1 $2" >> "$RESULTS"; }
PG=postgres://postgres@127.0.0.1:5432
DB="souk_money_$$"; PGB="souk_pgbench_$$"
cleanup() {
  for d in "$DB" "$PGB"; do psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
psql "$PG/postgres" -q -c "CREATE DATABASE $PGB" -c "CREATE DATABASE $DB"

echo "== machine: $(nproc) cores; PostgreSQL $(psql "$PG/postgres" -Atc 'show server_version'), synchronous_commit=$(psql "$PG/postgres" -Atc 'show synchronous_commit')"
echo "== pgbench TPC-B: scale $CLIENTS, $CLIENTS clients, ${SECS}s, prepared statements"
busy_ms() { awk '/^cpu / {print ($2 + $3 + $4 + $7 + $8) * 10; exit}' /proc/stat; }
# A checkpoint just before each side's data is written, so neither timed
# run meets one (after a checkpoint, the first change to each page writes
# the whole page to the WAL: that would slow whichever side met it).
# One timed pgbench run on freshly initialized tables; prints its figures
# and sets TPS.
pgbench_run() {
  psql "$PG/postgres" -q -c "CHECKPOINT"
  pgbench -i -q -s "$CLIENTS" "$PG/$PGB" >/dev/null 2>&1
  local cpu0 cpu1 wal0 wal1 out txns
  cpu0="$(busy_ms)"
  wal0="$(psql "$PG/postgres" -Atc "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")"
  out="$(pgbench -c "$CLIENTS" -j 2 -T "$SECS" -M prepared "$PG/$PGB" 2>/dev/null)"
  wal1="$(psql "$PG/postgres" -Atc "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")"
  cpu1="$(busy_ms)"
  TPS="$(awk '/^tps = / {print $3; exit}' <<<"$out")"
  txns="$(awk -F': ' '/number of transactions actually processed/ {print $2; exit}' <<<"$out")"
  echo "pgbench TPC-B tps ($1): $TPS"
  local cpu_txn
  cpu_txn="$(python3 -c "import sys; print(f'{float(sys.argv[1]) / max(int(sys.argv[2]), 1):.3f}')" "$((cpu1 - cpu0))" "$txns")"
  echo "pgbench machine CPU per transaction: $cpu_txn ms"
  result "pgbench_${1}_tps" "$TPS"
  result "pgbench_${1}_cpu_ms" "$cpu_txn"
  echo "pgbench WAL per transaction: $(( (wal1 - wal0) / (txns > 0 ? txns : 1) )) bytes"
}
# pgbench runs before and after the cycles, and the cycles are compared
# with the mean of the two: this machine's speed drifts within minutes, and
# an anchor measured on one side only would carry that drift into the ratio.
pgbench_run before
TPS_BEFORE="$TPS"

echo "== escrow fund+release: $CYCLES cycles, $CLIENTS workers"
psql "$PG/postgres" -q -c "CHECKPOINT"
OUT="$(DATABASE_URL="$PG/$DB" "$BIN/escrow_cycles" "$CYCLES" "$CLIENTS")"
echo "$OUT"
RATE="$(awk -F': ' '/cycles\/s/ {print $2}' <<<"$OUT")"
result cycles_per_s "$RATE"
result fund_per_s "$(sed -n 's/.*funding \([0-9.]*\)\/s.*/\1/p' <<<"$OUT")"
result release_per_s "$(sed -n 's/.*release \([0-9.]*\)\/s.*/\1/p' <<<"$OUT")"
result fund_cpu_ms "$(sed -n 's/^machine CPU per cycle: funding \([0-9.]*\) ms.*/\1/p' <<<"$OUT")"
result release_cpu_ms "$(sed -n 's/^machine CPU per cycle: .*release \([0-9.]*\) ms.*/\1/p' <<<"$OUT")"
result balanced "$(sed -n 's/^trial balance: balanced=\([a-z]*\).*/\1/p' <<<"$OUT")"

echo "== pgbench TPC-B again"
pgbench_run after
python3 -c "import sys; r, a, b = map(float, sys.argv[1:]); t = (a + b) / 2; print(f'ratio: {r:.1f} cycles/s / {t:.1f} tps (mean of {a:.0f} and {b:.0f}) = {100*r/t:.1f}% of TPC-B (target >= 30%)')" "$RATE" "$TPS_BEFORE" "$TPS"
result ratio_pct "$(python3 -c "import sys; r, a, b = map(float, sys.argv[1:]); print(f'{200*r/(a+b):.2f}')" "$RATE" "$TPS_BEFORE" "$TPS")"
