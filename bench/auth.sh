#!/usr/bin/env bash
# Benchmark of the foundation (issue 2), each figure beside its physical anchor
# measured by the same harness (wrk on loopback) in the same run:
#   GET /api/users/me (valid token)  vs  bare axum hello-world     (SQLite)
#   GET /api/users/me                vs  pgbench -S select-only     (PostgreSQL)
#   POST /api/auth/login             vs  cores / seconds per argon2id verification
# Usage: bench/auth.sh [seconds per run, default 10]. Needs wrk and pgbench.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-10}"
CONNS=64
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p souk -p souk-bench
BIN="$CARGO_TARGET_DIR/release"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

# wrk_run KEY NAME URL [extra wrk args…] → prints "NAME rps p50 p99", keeps rps under KEY
wrk_run() {
  local key="$1" name="$2" url="$3"; shift 3
  local out; out="$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" "$url")"
  local rps p50 p99 errors
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx/ {print $5}' <<<"$out")"
  printf '%-34s %10s req/s   p50 %-8s p99 %-8s %s\n' "$name" "$rps" "$p50" "$p99" "${errors:+non-2xx: $errors}"
  echo "$rps" > "$WORK/$key.rps"
}

wait_up() { for _ in $(seq 1 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not up: $1"; exit 1; }

start_souk() { # PORT DATABASE_URL
  local dir="$WORK/souk-$1"; mkdir -p "$dir"
  ( cd "$dir" && PORT="$1" HOST=127.0.0.1 DATABASE_URL="$2" RATE_LIMIT_ENABLED=false \
      JWT_SECRET=benchmark-secret-benchmark-secret-0123 RUST_LOG=warn DATABASE_MAX_CONNECTIONS=16 \
      exec "$BIN/souk" serve >"$dir/out.log" 2>&1 ) &
  PIDS+=($!)
  wait_up "http://127.0.0.1:$1/api/ping"
}

token_for() { # PORT → access token of a fresh user
  curl -fs -XPOST "http://127.0.0.1:$1/api/auth/register" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"Load-test-2026!","role":"client","firstName":"Bench","lastName":"Mark"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'
}

echo "== machine: $(nproc) cores; wrk -t2 -c$CONNS -d${SECS}s on loopback"

# --- anchors and SQLite ---------------------------------------------------------------
PORT=18181 "$BIN/hello" & PIDS+=($!)
wait_up http://127.0.0.1:18181/
wrk_run hello "anchor: axum hello-world" http://127.0.0.1:18181/

start_souk 18182 "sqlite://$WORK/souk.db?mode=rwc"
TOKEN="$(token_for 18182)"
wrk_run sqlite_me "sqlite: GET /api/users/me" http://127.0.0.1:18182/api/users/me -H "Authorization: Bearer $TOKEN"
# The argon2 anchor is measured right next to each login run (the rate swings
# with whatever else the machine is doing).
argon_anchor() { # KEY
  local json rate
  json="$("$BIN/argon2_rate" "$SECS")"
  rate="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["perSecond"])' "$json")"
  printf '%-34s %10s verifications/s (%s)\n' "anchor: argon2id, all cores" "$rate" "$json"
  echo "$rate" > "$WORK/$1.rps"
}
argon_anchor argon_sqlite
wrk_run sqlite_login "sqlite: POST /api/auth/login" http://127.0.0.1:18182/api/auth/login -s bench/login.lua

# --- PostgreSQL -----------------------------------------------------------------------
PG=postgres://postgres@127.0.0.1:5432
DB="souk_bench_$$"; PGB="souk_pgbench_$$"
psql "$PG/postgres" -q -c "CREATE DATABASE $DB" -c "CREATE DATABASE $PGB"
trap 'cleanup; psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $PGB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
pgbench -q -i -s 10 "$PG/$PGB" >/dev/null 2>&1
PGB_TPS="$(pgbench -S -M prepared -c 16 -j 2 -T "$SECS" "$PG/$PGB" 2>/dev/null | awk '/^tps/ {print $3; exit}')"
printf '%-34s %10s tps\n' "anchor: pgbench -S (16 clients)" "$PGB_TPS"
echo "$PGB_TPS" > "$WORK/pgbench.rps"

start_souk 18183 "$PG/$DB"
TOKEN="$(token_for 18183)"
wrk_run pg_me "postgres: GET /api/users/me" http://127.0.0.1:18183/api/users/me -H "Authorization: Bearer $TOKEN"
argon_anchor argon_pg
wrk_run pg_login "postgres: POST /api/auth/login" http://127.0.0.1:18183/api/auth/login -s bench/login.lua

# --- ratios ---------------------------------------------------------------------------
python3 - "$WORK" <<'PY'
import sys, pathlib
w = pathlib.Path(sys.argv[1])
r = lambda n: float((w / f"{n}.rps").read_text())
print("== ratios (targets: ≥25% of hello; ≥50% of pgbench -S; login ≥80% of argon2 rate)")
print(f"sqlite   users/me / hello-world  = {100*r('sqlite_me')/r('hello'):.1f}%")
print(f"postgres users/me / pgbench -S   = {100*r('pg_me')/r('pgbench'):.1f}%")
print(f"sqlite   login / argon2 rate     = {100*r('sqlite_login')/r('argon_sqlite'):.1f}%")
print(f"postgres login / argon2 rate     = {100*r('pg_login')/r('argon_pg'):.1f}%")
PY
