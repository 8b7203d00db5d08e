#!/usr/bin/env bash
# Fuzzes the running API against its own OpenAPI document with schemathesis:
# every documented operation, signed in as the role its path is for, with the
# checks not_a_server_error, response_schema_conformance and
# status_code_conformance. Any failure fails the script (and CI).
#
# Usage: .ci/schemathesis.sh sqlite|postgres
#   sqlite    a fresh SQLite database in a temporary data directory
#   postgres  a fresh database on $SCHEMATHESIS_PG_URL's server, dropped after
#
# Settings (environment): CARGO_TARGET_DIR (where the debug `souk` is built),
# SOUK_BIN (a `souk` binary to use instead of building one),
# SCHEMATHESIS_PG_URL (postgres://postgres@127.0.0.1:5432/postgres),
# SCHEMATHESIS_VENV (a cache dir), SCHEMATHESIS_MAX_EXAMPLES (50),
# SCHEMATHESIS_SEED (13).
set -euo pipefail
cd "$(dirname "$0")/.."

DB_KIND="${1:-sqlite}"
case "$DB_KIND" in sqlite | postgres) ;; *)
  echo "usage: $0 sqlite|postgres" >&2
  exit 2
  ;;
esac

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/souk-target}"
# The newest release on PyPI when pinned; runs on the machine's Python 3.11.
SCHEMATHESIS_VERSION="4.32.5"
VENV="${SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/souk-ci/schemathesis-$SCHEMATHESIS_VERSION}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-50}"
SEED="${SCHEMATHESIS_SEED:-13}"
PG_URL="${SCHEMATHESIS_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

echo "== schemathesis $SCHEMATHESIS_VERSION ($VENV)"
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
  fi
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

if [ -n "${SOUK_BIN:-}" ]; then
  SOUK="$SOUK_BIN"
else
  echo "== souk (debug build)"
  cargo build --quiet -p souk
  SOUK="$CARGO_TARGET_DIR/debug/souk"
fi

WORK="$(mktemp -d /tmp/souk-schemathesis.XXXXXX)"
SERVER_PID=""
RUN_DB=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$RUN_DB" ]; then
    psql "$PG_URL" -q -c "DROP DATABASE IF EXISTS \"$RUN_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$DB_KIND" = postgres ]; then
  RUN_DB="souk_st_$(date +%s)_$$"
  psql "$PG_URL" -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE \"$RUN_DB\""
  DATABASE_URL="${PG_URL%/*}/$RUN_DB"
else
  DATABASE_URL="sqlite://$WORK/data/souk.db?mode=rwc"
fi
mkdir -p "$WORK/data" "$WORK/logs"

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
ADMIN_EMAIL="fuzz-admin@souk.test"
PASSWORD="Fuzz-pass-4242"

echo "== server on $BASE ($DB_KIND)"
# Started from the work dir so no .env of the checkout is read.
(
  cd "$WORK"
  exec env PORT="$PORT" HOST=127.0.0.1 DATABASE_URL="$DATABASE_URL" SOUK_DATA_DIR="$WORK/data" \
    LOG_DIR="$WORK/logs" PUBLIC_URL="$BASE" RATE_LIMIT_ENABLED=false WEBHOOKS_ALLOW_LOOPBACK=true \
    JWT_SECRET="schemathesis-only-secret-0123456789abcdef" \
    ADMIN_EMAIL="$ADMIN_EMAIL" ADMIN_PASSWORD="$PASSWORD" RUST_LOG="${RUST_LOG:-warn}" \
    "$SOUK" serve
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fsS "$BASE/api/ping" >/dev/null 2>&1 && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    cat "$WORK/server.log"
    echo "the server did not start" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$BASE/api/ping" >/dev/null

# `call METHOD PATH TOKEN [BODY]` prints the JSON answer; fails unless 2xx.
call() {
  local args=(-fsS -X "$1" "$BASE$2")
  [ -n "$3" ] && args+=(-H "authorization: Bearer $3")
  [ $# -ge 4 ] && args+=(-H 'content-type: application/json' -d "$4")
  curl "${args[@]}"
}
# `field EXPR` reads one value of the JSON on stdin (`d` is the document).
field() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
member() {
  call POST /api/auth/register "" \
    "{\"email\":\"fuzz-$1@example.com\",\"password\":\"$PASSWORD\",\"role\":\"$2\",\"firstName\":\"Fuzz\",\"lastName\":\"$1\"}"
}
CLIENT="$(member client client)"
CLIENT_TOKEN="$(field 'd["accessToken"]' <<<"$CLIENT")"
CRAFTSMAN_TOKEN="$(member craftsman craftsman | field 'd["accessToken"]')"
ADMIN_TOKEN="$(call POST /api/auth/login "" \
  "{\"loginIdentifier\":\"$ADMIN_EMAIL\",\"password\":\"$PASSWORD\",\"type\":\"admins\"}" | field 'd["accessToken"]')"

# Real records, so operations on an id get past 404 to their logic: a job
# with a quote, a pending top-up, a notification, a package and a member
# for the staff operations on users (not one whose token the run uses).
SERVICE_ID="$(call GET /api/services "" | field 'd[0]["id"]')"
JOB_ID="$(call POST /api/jobs "$CLIENT_TOKEN" \
  "{\"title\":\"Fix the kitchen sink\",\"description\":\"The sink leaks under the cabinet.\",\"category\":\"$SERVICE_ID\",\"budgetMin\":10000,\"budgetMax\":50000}" |
  field 'd["id"]')"
QUOTE_ID="$(call POST "/api/jobs/$JOB_ID/quotes" "$CRAFTSMAN_TOKEN" '{"price":30000,"notes":"Tomorrow"}' | field 'd["id"]')"
PAYMENT_ID="$(call POST /api/wallet/top-up "$CLIENT_TOKEN" '{"amount":20000}' | field 'd["paymentId"]')"
NOTIFICATION_ID="$(call GET /api/notifications "$CLIENT_TOKEN" | field 'd["data"][0]["id"] if d["data"] else ""')"
PACKAGE_ID="$(call POST /api/admin/packages "$ADMIN_TOKEN" \
  '{"nameEn":"Starter","nameAr":"Starter","price":10000,"credit":11000}' | field 'd["id"]')"
TARGET_ID="$(member target client | field 'd["user"]["id"]')"
# Deletions get records of their own, so the others stay for the rest.
SPARE_JOB_ID="$(call POST /api/jobs "$CLIENT_TOKEN" \
  "{\"title\":\"Paint the hallway\",\"description\":\"Two coats on the hallway walls.\",\"category\":\"$SERVICE_ID\"}" |
  field 'd["id"]')"
SPARE_USER_ID="$(member spare client | field 'd["user"]["id"]')"
# A direct conversation of the client with the craftsman, with a message.
CRAFTSMAN_ID="$(call GET /api/users/me "$CRAFTSMAN_TOKEN" | field 'd["id"]')"
CONVERSATION_ID="$(call POST /api/conversations "$CLIENT_TOKEN" "{\"peerId\":\"$CRAFTSMAN_ID\"}" | field 'd["id"]')"
MESSAGE_ID="$(call POST "/api/conversations/$CONVERSATION_ID/messages" "$CLIENT_TOKEN" '{"text":"Hello"}' | field 'd["id"]')"
# A completed contract with the client's review, and a disputed one, so the
# review and dispute operations reach their logic: the pending top-up is
# paid (20,000), two jobs are hired at 10,000 each and funded.
call POST "/api/payments/sandbox/$PAYMENT_ID/complete" "$CLIENT_TOKEN" '{}' >/dev/null
hired_job() {
  local job quote
  job="$(call POST /api/jobs "$CLIENT_TOKEN" \
    "{\"title\":\"$1\",\"description\":\"Work to be done for the fuzzing seeds.\",\"category\":\"$SERVICE_ID\"}" |
    field 'd["id"]')"
  quote="$(call POST "/api/jobs/$job/quotes" "$CRAFTSMAN_TOKEN" '{"price":10000,"notes":"Soon"}' | field 'd["id"]')"
  call POST "/api/jobs/$job/quotes/$quote/accept" "$CLIENT_TOKEN" '{}' >/dev/null
  call POST "/api/jobs/$job/escrow/fund" "$CLIENT_TOKEN" '{}' >/dev/null
  call PATCH "/api/jobs/$job/status" "$CRAFTSMAN_TOKEN" '{"status":"in_progress"}' >/dev/null
  echo "$job"
}
DONE_JOB_ID="$(hired_job "Mount the shelves")"
call POST "/api/jobs/$DONE_JOB_ID/submit" "$CRAFTSMAN_TOKEN" '{}' >/dev/null
call POST "/api/jobs/$DONE_JOB_ID/approve" "$CLIENT_TOKEN" '{}' >/dev/null
REVIEW_ID="$(call POST /api/reviews "$CLIENT_TOKEN" "{\"jobId\":\"$DONE_JOB_ID\",\"rating\":4,\"comment\":\"Good work\"}" | field 'd["id"]')"
DISPUTED_JOB_ID="$(hired_job "Fix the door")"
DISPUTE_ID="$(call POST /api/disputes "$CLIENT_TOKEN" \
  "{\"jobId\":\"$DISPUTED_JOB_ID\",\"reason\":\"poor_quality\",\"description\":\"The door still sticks.\"}" | field 'd["id"]')"
# An offering of the craftsman, open around the clock, and a booking of it
# by the client, so the offering and booking operations reach their logic.
WEEK='[{"day":"mon","start":"00:00","end":"24:00"},{"day":"tue","start":"00:00","end":"24:00"},{"day":"wed","start":"00:00","end":"24:00"},{"day":"thu","start":"00:00","end":"24:00"},{"day":"fri","start":"00:00","end":"24:00"},{"day":"sat","start":"00:00","end":"24:00"},{"day":"sun","start":"00:00","end":"24:00"}]'
call PUT /api/users/me/schedule "$CRAFTSMAN_TOKEN" "{\"timeZone\":\"UTC\",\"weekly\":$WEEK}" >/dev/null
OFFERING_ID="$(call POST /api/offerings "$CRAFTSMAN_TOKEN" \
  "{\"titleEn\":\"Tap repair\",\"descriptionEn\":\"Washer change and leak fix.\",\"category\":\"$SERVICE_ID\",\"price\":10000,\"durationMinutes\":60}" |
  field 'd["id"]')"
SLOT_FROM="$(date -u -d tomorrow +%F)"
SLOT_TO="$(date -u -d '+3 days' +%F)"
SLOT_START="$(call GET "/api/offerings/$OFFERING_ID/slots?from=$SLOT_FROM&to=$SLOT_TO" "" | field 'd["data"][0]["startAt"]')"
BOOKING_ID="$(call POST /api/bookings "$CLIENT_TOKEN" \
  "{\"offeringId\":\"$OFFERING_ID\",\"startAt\":\"$SLOT_START\"}" | field 'd["id"]')"
# A micro-task of the client (funded by a fresh top-up) with the
# craftsman's submission.
TASK_TOPUP="$(call POST /api/wallet/top-up "$CLIENT_TOKEN" '{"amount":20000}' | field 'd["paymentId"]')"
call POST "/api/payments/sandbox/$TASK_TOPUP/complete" "$CLIENT_TOKEN" '{}' >/dev/null
TASK_DATE="$(date -u -d '+5 days' +%FT%TZ)"
TASK_ID="$(call POST /api/tasks "$CLIENT_TOKEN" \
  "{\"title\":\"Tag shop photos\",\"detail\":\"Tag each photo with the shop's trade.\",\"submissionInfo\":\"A screenshot\",\"requiredWorkers\":4,\"payableAmount\":1000,\"completionDate\":\"$TASK_DATE\"}" |
  field 'd["id"]')"
SUBMISSION_ID="$(call POST "/api/tasks/$TASK_ID/submissions" "$CRAFTSMAN_TOKEN" '{"details":"Done"}' | field 'd["id"]')"
# A webhook endpoint (to a closed loopback port: its deliveries fail and
# retry quietly), an API key and a push device of the client.
WEBHOOK_ID="$(call POST /api/admin/webhooks "$ADMIN_TOKEN" '{"url":"http://127.0.0.1:9/hook","events":["*"]}' | field 'd["id"]')"
API_KEY_ID="$(call POST /api/admin/api-keys "$ADMIN_TOKEN" '{"name":"fuzz","scopes":["events:read"]}' | field 'd["id"]')"
call POST /api/users/me/devices "$CLIENT_TOKEN" '{"token":"fuzz-device-token-0123456789","platform":"android"}' >/dev/null
cat >"$WORK/schemathesis.toml" <<TOML
[parameters]
"path.jobId" = "$JOB_ID"
"path.quoteId" = "$QUOTE_ID"
"path.paymentId" = "$PAYMENT_ID"
"path.packageId" = "$PACKAGE_ID"
"path.userId" = "$TARGET_ID"
"path.id" = "${NOTIFICATION_ID:-$SERVICE_ID}"
"path.conversationId" = "$CONVERSATION_ID"
"path.messageId" = "$MESSAGE_ID"

[[operations]]
include-name-regex = '^DELETE /api/(admin/)?jobs/\\{jobId\\}$'
parameters = { "path.jobId" = "$SPARE_JOB_ID" }

[[operations]]
include-name-regex = '^[A-Z]+ /api/(admin/)?reviews/\\{id\\}'
parameters = { "path.id" = "$REVIEW_ID" }

[[operations]]
include-name-regex = '^[A-Z]+ /api/(admin/)?disputes/\\{id\\}'
parameters = { "path.id" = "$DISPUTE_ID" }

[[operations]]
include-name-regex = '^[A-Z]+ /api/bookings/\\{id\\}'
parameters = { "path.id" = "$BOOKING_ID" }

[[operations]]
include-name-regex = '^[A-Z]+ /api/(admin/offerings|offerings|reviews/offering)/\\{id\\}'
parameters = { "path.id" = "$OFFERING_ID" }

[[operations]]
include-name-regex = '^[A-Z]+ /api/(admin/)?tasks/\\{id\\}'
parameters = { "path.id" = "$TASK_ID" }

[[operations]]
include-name-regex = '^[A-Z]+ /api/submissions/\\{id\\}'
parameters = { "path.id" = "$SUBMISSION_ID" }

[[operations]]
include-name-regex = '^[A-Z]+ /api/admin/webhooks/\\{id\\}'
parameters = { "path.id" = "$WEBHOOK_ID" }

[[operations]]
include-name-regex = '^[A-Z]+ /api/admin/api-keys/\\{id\\}'
parameters = { "path.id" = "$API_KEY_ID" }

[[operations]]
include-name = "DELETE /api/admin/users/{userId}"
parameters = { "path.userId" = "$SPARE_USER_ID" }
TOML

# Operations that cannot be fuzzed (matched on "METHOD /path"):
# - logout and change-password end the session whose token the run uses;
# - DELETE /api/users/me erases the signed-in account (same);
# - the gateway webhooks reject every body without the gateway's signature,
#   which is random by design (their tests sign real payloads).
EXCLUDED='^POST /api/auth/(logout|change-password)$|^POST /api/payments/webhook/|^DELETE /api/users/me$'
# Who signs in, by path: staff for /api/admin/*; craftsmen for quotes,
# submitting work, answering invitations, withdrawals, their profile parts
# their order view, their schedule and offerings, task submissions and
# appeals; clients for everything else.
ADMIN='/api/admin/.*'
CRAFTSMAN='/api/jobs/\{jobId\}/(quotes|submit|invitations/respond)|/api/wallet/withdraw|/api/(quotes|invitations)/mine|/api/orders/craftsman|/api/users/me/(skills|availability|portfolio|schedule)(/.*)?|/api/users/craftsman/verification|/api/offerings(/.*)?|/api/tasks/\{id\}/(submissions|rating)|/api/submissions/(mine|\{id\}/appeal)|/api/ai/(skill-development|find-jobs)'

# One worker: with two, hypothesis on this CPython 3.11 fails at random in
# `ast.parse` ("AST constructor recursion depth mismatch"), and the server
# has the same two cores anyway.
STATUS=0
fuzz() {
  local name="$1" token="$2"
  shift 2
  echo "== schemathesis as $name ($DB_KIND)"
  (cd "$WORK" && "$VENV/bin/st" --config-file "$WORK/schemathesis.toml" run "$BASE/api/openapi.json" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
    --generation-database none --workers 1 --request-timeout 30 \
    --generation-with-security-parameters false \
    --header "Authorization: Bearer $token" \
    --no-color --output-truncate false "$@") || STATUS=1
}
fuzz admin "$ADMIN_TOKEN" --include-name-regex "^[A-Z]+ ($ADMIN)$" --exclude-name-regex "$EXCLUDED"
fuzz craftsman "$CRAFTSMAN_TOKEN" --include-name-regex "^[A-Z]+ ($CRAFTSMAN)$" --exclude-name-regex "$EXCLUDED"
fuzz client "$CLIENT_TOKEN" --exclude-name-regex "$EXCLUDED|^[A-Z]+ ($ADMIN|$CRAFTSMAN)$"

if [ "$STATUS" -ne 0 ]; then
  echo "== server log (last 60 lines)"
  tail -n 60 "$WORK/server.log"
  echo "schemathesis found failures ($DB_KIND)" >&2
  exit 1
fi
echo "== schemathesis passed ($DB_KIND)"
