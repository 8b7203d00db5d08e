#!/usr/bin/env bash
# Benchmark of the marketplace (issue 3) on PostgreSQL and SQLite:
#   * generates JOBS jobs (default 1,000,000) and CRAFTSMEN craftsmen (100,000);
#   * GET /api/jobs with category + 10 km radius + a text query:
#     p50/p99 for one client, and requests/s at 32 concurrent clients;
#   * quote submissions per second (distinct craftsman/open-job pairs).
# Load from wrk on loopback. Usage: bench/marketplace.sh [seconds] [jobs] [craftsmen] [backends]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-10}"; JOBS="${2:-1000000}"; CRAFTSMEN="${3:-100000}"; BACKENDS="${4:-postgres sqlite}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p souk -p souk-bench
BIN="$CARGO_TARGET_DIR/release"
WORK="$(mktemp -d /var/tmp/souk-bench.XXXXXX)"
SECRET=benchmark-secret-benchmark-secret-0123
PG=postgres://postgres@127.0.0.1:5432
DB="souk_market_$$"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done
  psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

report() { # NAME wrk-output
  local rps p50 p99 non2xx
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$2")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$2")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$2")"
  non2xx="$(awk '/Non-2xx/ {print $5}' <<<"$2")"
  printf '%-46s %10s req/s   p50 %-9s p99 %-9s %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:+non-2xx: $non2xx}"
}

run_backend() { # NAME URL PORT
  local name="$1" url="$2" port="$3" dir="$WORK/$1"
  mkdir -p "$dir"
  local t0=$SECONDS
  DATABASE_URL="$url" JWT_SECRET="$SECRET" "$BIN/marketplace_data" "$JOBS" "$CRAFTSMEN" "$dir" 2> "$dir/generate.log"
  echo "== $name: generated $JOBS jobs and $CRAFTSMEN craftsmen in $((SECONDS - t0)) s"
  ( cd "$dir" && PORT="$port" HOST=127.0.0.1 DATABASE_URL="$url" JWT_SECRET="$SECRET" RATE_LIMIT_ENABLED=false \
      RUST_LOG=warn SOUK_DATA_DIR="$dir" exec "$BIN/souk" serve > "$dir/server.log" 2>&1 ) &
  PIDS+=($!)
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/api/ping" >/dev/null 2>&1 && break; sleep 0.2; done
  export TOKEN; TOKEN="$(cat "$dir/search_token.txt")"
  # Warm up, then measure.
  wrk -t1 -c4 -d3s -s bench/search.lua "http://127.0.0.1:$port" >/dev/null
  report "$name: search, 1 client" "$(wrk -t1 -c1 -d"${SECS}s" --latency -s bench/search.lua "http://127.0.0.1:$port")"
  report "$name: search, 32 clients" "$(wrk -t2 -c32 -d"${SECS}s" --latency -s bench/search.lua "http://127.0.0.1:$port")"
  report "$name: quote submissions, 32 clients" "$(PAIRS="$dir/quote_pairs.txt" THREADS=2 wrk -t2 -c32 -d"${SECS}s" --latency -s bench/quotes.lua "http://127.0.0.1:$port")"
  local sample
  sample="$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/jobs?category=plumbing&lat=30.0444&lng=31.2357&radiusKm=10&q=leak&limit=1")"
  echo "   sample: $(python3 -c 'import json,sys; d=json.load(sys.stdin); print("totalItems", d["pagination"]["totalItems"], "first distanceKm", (d["data"] or [{}])[0].get("distanceKm"))' <<<"$sample")"
  kill "${PIDS[-1]}" 2>/dev/null || true
}

echo "== machine: $(nproc) cores; wrk on loopback; ${SECS}s per measurement"
for backend in $BACKENDS; do
  case "$backend" in
    postgres)
      psql "$PG/postgres" -q -c "CREATE DATABASE $DB"
      run_backend postgres "$PG/$DB" 18190 ;;
    sqlite)
      run_backend sqlite "sqlite://$WORK/sqlite.db?mode=rwc" 18191 ;;
  esac
done
