#!/usr/bin/env bash
# Benchmark of the foundation (issue 2) and its hot reads (issue 13), each
# figure beside its physical anchor measured by the same harness (wrk on
# loopback) in the same run:
#   GET /api/users/me (valid token)  vs  bare axum hello-world     (SQLite)
#   GET /api/jobs/:id (its client)   vs  bare axum hello-world     (SQLite)
#   GET /api/users/me, /api/jobs/:id vs  pgbench -S select-only     (PostgreSQL)
#   POST /api/auth/login             vs  cores / seconds per argon2id verification
# Usage: bench/auth.sh [seconds per run, default 10]. Needs wrk and pgbench.
# SOUK_BASELINE=/path/to/an/older/souk measures that binary's hot reads too,
# right before this build's, on the same databases (old and new back to back);
# SKIP_LOGIN=1 leaves the login runs out.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-10}"
CONNS=64
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p souk -p souk-bench
BIN="$CARGO_TARGET_DIR/release"
BASELINE="${SOUK_BASELINE:-}"
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

start_souk() { # PORT DATABASE_URL [BINARY]
  local dir="$WORK/souk-$1"; mkdir -p "$dir"
  local bin="${3:-$BIN/souk}"
  ( cd "$dir" && PORT="$1" HOST=127.0.0.1 DATABASE_URL="$2" RATE_LIMIT_ENABLED=false \
      JWT_SECRET=benchmark-secret-benchmark-secret-0123 RUST_LOG=warn DATABASE_MAX_CONNECTIONS=16 \
      exec "$bin" serve >"$dir/out.log" 2>&1 ) &
  PIDS+=($!)
  SOUK_PID=$!
  wait_up "http://127.0.0.1:$1/api/ping"
}

stop_souk() { kill "$SOUK_PID" 2>/dev/null || true; wait "$SOUK_PID" 2>/dev/null || true; }

job_for() { # PORT TOKEN → id of a job the bench user posted as its client
  curl -fs -XPOST "http://127.0.0.1:$1/api/jobs" -H 'content-type: application/json' \
    -H "Authorization: Bearer $2" \
    -d '{"title":"Fix a leaking kitchen pipe","description":"Water is leaking under the kitchen sink since yesterday.","category":"plumbing","address":"12 Tahrir St, Cairo","location":{"lat":30.0444,"lng":31.2357},"budgetMin":20000,"budgetMax":50000,"paymentType":"escrow"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

# hot_reads DB-LABEL KEY-PREFIX PORT DATABASE_URL [BINARY]: the two hot reads
# of one server (a fresh user and job), then the server stops.
hot_reads() {
  local label="$1" key="$2" port="$3" url="$4" bin="${5:-}"
  start_souk "$port" "$url" "$bin"
  local token job
  token="$(token_for "$port")"
  job="$(job_for "$port" "$token")"
  wrk_run "${key}_me" "$label: GET /api/users/me" "http://127.0.0.1:$port/api/users/me" -H "Authorization: Bearer $token"
  wrk_run "${key}_job" "$label: GET /api/jobs/:id" "http://127.0.0.1:$port/api/jobs/$job" -H "Authorization: Bearer $token"
  stop_souk
}

token_for() { # PORT → access token of a fresh user
  curl -fs -XPOST "http://127.0.0.1:$1/api/auth/register" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"Load-test-2026!","role":"client","firstName":"Bench","lastName":"Mark"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'
}

echo "== machine: $(nproc) cores; wrk -t2 -c$CONNS -d${SECS}s on loopback"

# --- anchors and SQLite ---------------------------------------------------------------
# Anchors are measured before and after the runs they anchor; ratios use the
# mean (the machine drifts within minutes).
PORT=18181 "$BIN/hello" & PIDS+=($!); HELLO_PID=$!
wait_up http://127.0.0.1:18181/
wrk_run hello1 "anchor: axum hello-world" http://127.0.0.1:18181/

if [ -n "$BASELINE" ]; then
  hot_reads "sqlite (baseline)" base_sqlite 18184 "sqlite://$WORK/base.db?mode=rwc" "$BASELINE"
fi
hot_reads sqlite sqlite 18182 "sqlite://$WORK/souk.db?mode=rwc"
wrk_run hello2 "anchor: axum hello-world" http://127.0.0.1:18181/
kill "$HELLO_PID" 2>/dev/null || true
# The argon2 anchor is measured right next to each login run (the rate swings
# with whatever else the machine is doing).
argon_anchor() { # KEY
  local json rate
  json="$("$BIN/argon2_rate" "$SECS")"
  rate="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["perSecond"])' "$json")"
  printf '%-34s %10s verifications/s (%s)\n' "anchor: argon2id, all cores" "$rate" "$json"
  echo "$rate" > "$WORK/$1.rps"
}
if [ -z "${SKIP_LOGIN:-}" ]; then
  start_souk 18182 "sqlite://$WORK/souk.db?mode=rwc"
  argon_anchor argon_sqlite
  wrk_run sqlite_login "sqlite: POST /api/auth/login" http://127.0.0.1:18182/api/auth/login -s bench/login.lua
  stop_souk
fi

# --- PostgreSQL -----------------------------------------------------------------------
PG=postgres://postgres@127.0.0.1:5432
DB="souk_bench_$$"; PGB="souk_pgbench_$$"; BDB="souk_bench_base_$$"
psql "$PG/postgres" -q -c "CREATE DATABASE $DB" -c "CREATE DATABASE $PGB" -c "CREATE DATABASE $BDB"
trap 'cleanup; psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $PGB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $BDB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
pgbench -q -i -s 10 "$PG/$PGB" >/dev/null 2>&1
pgbench_anchor() { # KEY
  local tps
  tps="$(pgbench -S -M prepared -c 16 -j 2 -T "$SECS" "$PG/$PGB" 2>/dev/null | awk '/^tps/ {print $3; exit}')"
  printf '%-34s %10s tps\n' "anchor: pgbench -S (16 clients)" "$tps"
  echo "$tps" > "$WORK/$1.rps"
}
pgbench_anchor pgbench1

if [ -n "$BASELINE" ]; then
  hot_reads "postgres (baseline)" base_pg 18185 "$PG/$BDB" "$BASELINE"
fi
hot_reads postgres pg 18183 "$PG/$DB"
pgbench_anchor pgbench2
if [ -z "${SKIP_LOGIN:-}" ]; then
  start_souk 18183 "$PG/$DB"
  argon_anchor argon_pg
  wrk_run pg_login "postgres: POST /api/auth/login" http://127.0.0.1:18183/api/auth/login -s bench/login.lua
  stop_souk
fi

# --- ratios ---------------------------------------------------------------------------
python3 - "$WORK" <<'PY'
import sys, pathlib
w = pathlib.Path(sys.argv[1])
has = lambda n: (w / f"{n}.rps").exists()
r = lambda n: float((w / f"{n}.rps").read_text())
hello = (r("hello1") + r("hello2")) / 2
pgb = (r("pgbench1") + r("pgbench2")) / 2
print(f"== anchors (mean of before and after): hello-world {hello:.0f} req/s, pgbench -S {pgb:.0f} tps")
print("== ratios (targets: users/me ≥25% of hello, ≥50% of pgbench -S; jobs/:id ≥20% of hello,")
print("   ≥40% of pgbench -S; login ≥80% of argon2 rate)")
for prefix, label in (("base_", "baseline "), ("", "")):
    if not has(f"{prefix}sqlite_me"):
        continue
    print(f"{label}sqlite   users/me / hello-world  = {100*r(prefix+'sqlite_me')/hello:.1f}%")
    print(f"{label}sqlite   jobs/:id / hello-world  = {100*r(prefix+'sqlite_job')/hello:.1f}%")
    print(f"{label}postgres users/me / pgbench -S   = {100*r(prefix+'pg_me')/pgb:.1f}%")
    print(f"{label}postgres jobs/:id / pgbench -S   = {100*r(prefix+'pg_job')/pgb:.1f}%")
if has("sqlite_login"):
    print(f"sqlite   login / argon2 rate     = {100*r('sqlite_login')/r('argon_sqlite'):.1f}%")
    print(f"postgres login / argon2 rate     = {100*r('pg_login')/r('argon_pg'):.1f}%")
PY
