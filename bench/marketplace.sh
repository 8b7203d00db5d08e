#!/usr/bin/env bash
# Benchmark of the marketplace (issue 3) on PostgreSQL and SQLite:
#   * generates JOBS jobs (default 1,000,000) and CRAFTSMEN craftsmen (100,000);
#   * GET /api/jobs with category + 10 km radius + a text query:
#     p50/p99 for one client, and requests/s at 32 concurrent clients;
#   * quote submissions per second (distinct craftsman/open-job pairs);
#   * an anchor for this machine's speed in the same run: pgbench -S
#     (select-only, 32 clients, prepared, a scale-5 table that fits in
#     shared buffers) right before and right after each backend's
#     measurements; each figure is also printed as a share of their mean.
# Load from wrk on loopback. Usage: bench/marketplace.sh [seconds] [jobs] [craftsmen] [backends]
# SOUK_BIN_DIR=dir runs the souk and marketplace_data binaries in that
# directory and builds nothing (bench/compare.sh uses it to measure an older
# build with this script); unset, the script builds into
# $CARGO_TARGET_DIR/release. SOUK_BENCH_RESULTS=file appends the figures
# there as "key value" lines.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-10}"; JOBS="${2:-1000000}"; CRAFTSMEN="${3:-100000}"; BACKENDS="${4:-postgres sqlite}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-contrib; }
if [ -n "${SOUK_BIN_DIR:-}" ]; then
  BIN="$SOUK_BIN_DIR"
else
  cargo build --release -q -p souk -p souk-bench
  BIN="$CARGO_TARGET_DIR/release"
fi
for b in souk marketplace_data; do
  [ -x "$BIN/$b" ] || { echo "no $b in $BIN" >&2; exit 1; }
done
RESULTS="${SOUK_BENCH_RESULTS:-/dev/null}"
result() { echo "$1 $2" >> "$RESULTS"; }
WORK="$(mktemp -d /var/tmp/souk-bench.XXXXXX)"
SECRET=benchmark-secret-benchmark-secret-0123
PG=postgres://postgres@127.0.0.1:5432
DB="souk_market_$$"; ANCHOR_DB="souk_market_anchor_$$"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done
  for d in "$DB" "$ANCHOR_DB"; do psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The anchor: pgbench -S for SECS seconds; prints it and sets ANCHOR_TPS.
anchor() { # NAME WHEN
  local out
  out="$(pgbench -S -c 32 -j 2 -T "$SECS" -M prepared "$PG/$ANCHOR_DB" 2>/dev/null)"
  ANCHOR_TPS="$(awk '/^tps = / {print $3; exit}' <<<"$out")"
  printf '%-46s %10.2f tps\n' "anchor ($2): pgbench -S, 32 clients" "$ANCHOR_TPS"
  result "${1}_anchor_${2}_tps" "$ANCHOR_TPS"
}

ms() { # a wrk latency (830.00us, 5.22ms, 1.20s) in milliseconds
  awk '{v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /[0-9]s$/) v *= 1000; else if ($1 ~ /m$/) v *= 60000; print v}' <<<"$1"
}

report() { # NAME wrk-output KEY
  local rps p50 p99 non2xx
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$2")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$2")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$2")"
  non2xx="$(awk '/Non-2xx/ {print $5}' <<<"$2")"
  printf '%-46s %10s req/s   p50 %-9s p99 %-9s %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:+non-2xx: $non2xx}"
  result "${3}_rps" "$rps"
  result "${3}_p50_ms" "$(ms "$p50")"
  result "${3}_p99_ms" "$(ms "$p99")"
  result "${3}_non2xx" "${non2xx:-0}"
  RPS["$3"]="$rps"
}
declare -A RPS

run_backend() { # NAME URL PORT
  local name="$1" url="$2" port="$3" dir="$WORK/$1"
  mkdir -p "$dir"
  local t0=$SECONDS
  DATABASE_URL="$url" JWT_SECRET="$SECRET" "$BIN/marketplace_data" "$JOBS" "$CRAFTSMEN" "$dir" 2> "$dir/generate.log"
  echo "== $name: generated $JOBS jobs and $CRAFTSMEN craftsmen in $((SECONDS - t0)) s"
  result "${name}_generate_s" "$((SECONDS - t0))"
  ( cd "$dir" && PORT="$port" HOST=127.0.0.1 DATABASE_URL="$url" JWT_SECRET="$SECRET" RATE_LIMIT_ENABLED=false \
      RUST_LOG=warn SOUK_DATA_DIR="$dir" exec "$BIN/souk" serve > "$dir/server.log" 2>&1 ) &
  PIDS+=($!)
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/api/ping" >/dev/null 2>&1 && break; sleep 0.2; done
  export TOKEN; TOKEN="$(cat "$dir/search_token.txt")"
  # Warm up, then measure between two runs of the anchor.
  wrk -t1 -c4 -d3s -s bench/search.lua "http://127.0.0.1:$port" >/dev/null
  anchor "$name" before
  local before="$ANCHOR_TPS"
  report "$name: search, 1 client" "$(wrk -t1 -c1 -d"${SECS}s" --latency -s bench/search.lua "http://127.0.0.1:$port")" "${name}_search1"
  report "$name: search, 32 clients" "$(wrk -t2 -c32 -d"${SECS}s" --latency -s bench/search.lua "http://127.0.0.1:$port")" "${name}_search32"
  report "$name: quote submissions, 32 clients" "$(PAIRS="$dir/quote_pairs.txt" THREADS=2 wrk -t2 -c32 -d"${SECS}s" --latency -s bench/quotes.lua "http://127.0.0.1:$port")" "${name}_quotes"
  anchor "$name" after
  python3 -c "
import sys
a, b = float(sys.argv[1]), float(sys.argv[2])
t = (a + b) / 2
print(f'{sys.argv[3]}: as % of pgbench -S tps (mean of {a:.0f} and {b:.0f}): ' + ', '.join(
    f'{label} {100 * float(v) / t:.2f}%' for label, v in zip(('search 1 client', 'search 32 clients', 'quotes'), sys.argv[4:])))
" "$before" "$ANCHOR_TPS" "$name" "${RPS[${name}_search1]}" "${RPS[${name}_search32]}" "${RPS[${name}_quotes]}"
  local sample
  sample="$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/jobs?category=plumbing&lat=30.0444&lng=31.2357&radiusKm=10&q=leak&limit=1")"
  echo "   sample: $(python3 -c 'import json,sys; d=json.load(sys.stdin); print("totalItems", d["pagination"]["totalItems"], "first distanceKm", (d["data"] or [{}])[0].get("distanceKm"))' <<<"$sample")"
  kill "${PIDS[-1]}" 2>/dev/null || true
}

echo "== machine: $(nproc) cores; wrk on loopback; ${SECS}s per measurement"
psql "$PG/postgres" -q -c "CREATE DATABASE $ANCHOR_DB"
pgbench -i -q -s 5 "$PG/$ANCHOR_DB" >/dev/null 2>&1
for backend in $BACKENDS; do
  case "$backend" in
    postgres)
      psql "$PG/postgres" -q -c "CREATE DATABASE $DB"
      run_backend postgres "$PG/$DB" 18190 ;;
    sqlite)
      run_backend sqlite "sqlite://$WORK/sqlite.db?mode=rwc" 18191 ;;
  esac
done
