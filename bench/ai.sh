#!/usr/bin/env bash
# Benchmark of the AI features (issue 20), each figure beside an anchor
# measured in the same run (crates/souk-bench/src/bin/ai_load.rs does the work):
#   GET /api/users/recommendations?jobId= for a plumbing job at Cairo among
#   CRAFTSMEN craftsmen (default 100,000), one client      vs  GET /api/health
#   POST /api/ai/chat, built-in engine, English and Arabic  vs  GET /api/health
#   (p50/p95/p99/max; then the recommendation's steps in-process)
# on SQLite (a temporary file) and PostgreSQL (a fresh database, dropped after).
# Targets: recommendations p99 ≤ 50 ms on PostgreSQL, ≤ 100 ms on SQLite;
# a concierge turn p99 ≤ 20 ms.
# Usage: bench/ai.sh [craftsmen=100000] [requests=300] [backends="sqlite postgres"]
# PG_QUERY="?sslmode=disable" appends connection options to the PostgreSQL URL
# (by default sqlx negotiates TLS when the server offers it).
set -euo pipefail
cd "$(dirname "$0")/.."
CRAFTSMEN="${1:-100000}"; N="${2:-300}"; BACKENDS="${3:-sqlite postgres}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
cargo build --release -q -p souk-bench --bin ai_load
BIN="$CARGO_TARGET_DIR/release/ai_load"
PG="postgres://postgres@127.0.0.1:5432"
DB="souk_bench_ai_$$"
WORK="$(mktemp -d)"
cleanup() {
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for backend in $BACKENDS; do
  case "$backend" in
    sqlite)
      DATABASE_URL="sqlite://$WORK/bench.db?mode=rwc" "$BIN" "$CRAFTSMEN" "$N" ;;
    postgres)
      psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
      DATABASE_URL="$PG/$DB${PG_QUERY:-}" "$BIN" "$CRAFTSMEN" "$N"
      psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" ;;
    *) echo "unknown backend $backend" >&2; exit 1 ;;
  esac
done
