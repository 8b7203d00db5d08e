#!/usr/bin/env bash
# Old build against new build, in the same run, alternating: runs
# bench/money.sh and bench/marketplace.sh (this tree's scripts) once per
# build and repetition in the order old, new, new, old (ABBA, so a steady
# drift of the machine falls equally on both), each run beside its own
# in-run anchor (pgbench TPC-B for money, pgbench -S for the marketplace),
# and ends with a table: old against new (new/old of the means), and the
# spread between repeated runs of the same binary, taken as the noise level.
#
# Usage: bench/compare.sh OLD NEW
#   OLD, NEW: cargo target directories (their release/ is used) or
#   directories holding the release binaries souk, marketplace_data and
#   escrow_cycles. Nothing is built: build each tree first, e.g.
#     (cd old-tree && CARGO_TARGET_DIR=/var/tmp/souk-release-base cargo build --release -p souk -p souk-bench)
# Environment (defaults keep a full comparison under ~30 minutes here):
#   MONEY_ARGS       bench/money.sh arguments        (default "3000 32 15")
#   MARKET_ARGS      seconds, jobs, craftsmen        (default "10 100000 10000")
#   MARKET_BACKENDS  marketplace backends, each its own ABBA (default "postgres sqlite")
#   BENCHES          which benchmarks                (default "money marketplace")
#   ROUNDS           ABBA rounds per benchmark       (default 1: 2 runs per build)
#   COMPARE_OUT      directory for logs and figures  (default /var/tmp/souk-compare.<time>, kept)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
bin_dir() { if [ -x "$1/release/souk" ]; then echo "$1/release"; else echo "$1"; fi; }
OLD="$(bin_dir "$1")"; NEW="$(bin_dir "$2")"
MONEY_ARGS="${MONEY_ARGS:-3000 32 15}"
MARKET_ARGS="${MARKET_ARGS:-10 100000 10000}"
MARKET_BACKENDS="${MARKET_BACKENDS:-postgres sqlite}"
BENCHES="${BENCHES:-money marketplace}"
ROUNDS="${ROUNDS:-1}"
OUT="${COMPARE_OUT:-/var/tmp/souk-compare.$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"

echo "== old vs new, alternating (ABBA x $ROUNDS); logs and figures in $OUT"
for side in old new; do
  dir="$OLD"; [ "$side" = new ] && dir="$NEW"
  for b in souk marketplace_data escrow_cycles; do
    [ -x "$dir/$b" ] || { echo "no $b in $dir" >&2; exit 1; }
  done
  printf '%-4s %s  souk %s, escrow_cycles %s, marketplace_data %s (sha256), built %s\n' "$side" "$dir" \
    "$(sha256sum "$dir/souk" | cut -c1-12)" "$(sha256sum "$dir/escrow_cycles" | cut -c1-12)" \
    "$(sha256sum "$dir/marketplace_data" | cut -c1-12)" "$(date -r "$dir/souk" '+%F %T')"
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); money: bench/money.sh $MONEY_ARGS; marketplace: bench/marketplace.sh $MARKET_ARGS <backend>"

ORDER=()
for _ in $(seq 1 "$ROUNDS"); do ORDER+=(old new new old); done

# run_one BENCH SIDE N [BACKEND]: one run of this tree's script on SIDE's
# binaries; its figures go to $OUT/BENCH.SIDE.N, its output to .log.
run_one() {
  local bench="$1" side="$2" n="$3" backend="${4:-}" dir="$OLD" t0=$SECONDS
  [ "$side" = new ] && dir="$NEW"
  local key="$bench${backend:+-$backend}.$side.$n"
  : > "$OUT/$key"
  echo "---- $bench${backend:+ ($backend)}: $side #$n, $(date +%T), load $(cut -d' ' -f1 /proc/loadavg)"
  local status=0
  case "$bench" in
    money)
      # shellcheck disable=SC2086
      SOUK_BIN_DIR="$dir" SOUK_BENCH_RESULTS="$OUT/$key" bash bench/money.sh $MONEY_ARGS > "$OUT/$key.log" 2>&1 || status=$?
      grep -E '^(pgbench TPC-B tps|pgbench machine CPU|escrow|machine CPU per cycle|trial balance|ratio)' "$OUT/$key.log" | sed "s/^/  $side #$n  /" || true ;;
    marketplace)
      # shellcheck disable=SC2086
      SOUK_BIN_DIR="$dir" SOUK_BENCH_RESULTS="$OUT/$key" bash bench/marketplace.sh $MARKET_ARGS "$backend" > "$OUT/$key.log" 2>&1 || status=$?
      grep -vE '^== machine' "$OUT/$key.log" | sed "s/^/  $side #$n  /" || true ;;
  esac
  if [ "$status" -ne 0 ]; then
    echo "  $side #$n FAILED (exit $status); last lines of $OUT/$key.log:"; tail -15 "$OUT/$key.log" | sed 's/^/    /'
    exit 1
  fi
  echo "  ($((SECONDS - t0)) s)"
}

for bench in $BENCHES; do
  backends="-"; [ "$bench" = marketplace ] && backends="$MARKET_BACKENDS"
  for backend in $backends; do
    [ "$backend" = - ] && backend=""
    n_old=0; n_new=0
    for side in "${ORDER[@]}"; do
      if [ "$side" = old ]; then n=$((n_old += 1)); else n=$((n_new += 1)); fi
      run_one "$bench" "$side" "$n" "$backend"
    done
  done
done

echo
echo "== summary ($((SECONDS / 60)) min in all): means of each build's runs; new/old; noise = the larger"
echo "   spread (max-min)/mean between runs of the same binary; * = the figures normalised by their"
echo "   in-run anchor, which carry less of the machine's drift"
python3 - "$OUT" <<'PY'
import collections, glob, os, statistics, sys

out = sys.argv[1]
runs = collections.defaultdict(lambda: collections.defaultdict(list))  # bench -> side -> [dict]
for path in sorted(glob.glob(os.path.join(out, "*.*.*"))):
    if path.endswith(".log"):
        continue
    bench, side, _ = os.path.basename(path).rsplit(".", 2)
    figures = {}
    for line in open(path):
        parts = line.split()
        if len(parts) == 2:
            try:
                figures[parts[0]] = float(parts[1])
            except ValueError:
                figures[parts[0]] = parts[1]
    runs[bench][side].append(figures)

def mean(*keys):
    return lambda f: statistics.mean(f[k] for k in keys)

# (bench, label, function of one run's figures, higher is better, normalised)
rows = []
for bench in sorted(runs):
    if bench == "money":
        anchor = mean("pgbench_before_tps", "pgbench_after_tps")
        anchor_cpu = mean("pgbench_before_cpu_ms", "pgbench_after_cpu_ms")
        rows += [
            (bench, "anchor: pgbench TPC-B tps (mean before/after)", anchor, True, False),
            (bench, "escrow fund+release cycles/s", lambda f: f["cycles_per_s"], True, False),
            (bench, "cycles/s as % of TPC-B tps", lambda f: f["ratio_pct"], True, True),
            (bench, "machine CPU per cycle, fund+release (ms)", lambda f: f["fund_cpu_ms"] + f["release_cpu_ms"], False, False),
            (bench, "cycle CPU / pgbench CPU per transaction", lambda f: (f["fund_cpu_ms"] + f["release_cpu_ms"]) / anchor_cpu(f), False, True),
            (bench, "funding CPU per cycle (ms)", lambda f: f["fund_cpu_ms"], False, False),
            (bench, "release CPU per cycle (ms)", lambda f: f["release_cpu_ms"], False, False),
        ]
    else:
        backend = bench.split("-", 1)[1]
        anchor = mean(f"{backend}_anchor_before_tps", f"{backend}_anchor_after_tps")
        rows.append((bench, "anchor: pgbench -S tps (mean before/after)", anchor, True, False))
        for key, label in (("search1", "search, 1 client"), ("search32", "search, 32 clients"), ("quotes", "quotes, 32 clients")):
            rows += [
                (bench, f"{label} req/s", lambda f, k=key, b=backend: f[f"{b}_{k}_rps"], True, False),
                (bench, f"{label} req/s as % of pgbench -S", lambda f, k=key, b=backend, a=anchor: 100 * f[f"{b}_{k}_rps"] / a(f), True, True),
                (bench, f"{label} p99 (ms)", lambda f, k=key, b=backend: f[f"{b}_{k}_p99_ms"], False, False),
            ]
        rows.append((bench, "data generation (s)", lambda f, b=backend: f[f"{b}_generate_s"], False, False))

def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"

print()
print("| bench | figure | old runs | new runs | old | new | new/old | noise | verdict |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
beyond = []
for bench, label, fn, higher, normalised in rows:
    try:
        old = [fn(f) for f in runs[bench]["old"]]
        new = [fn(f) for f in runs[bench]["new"]]
    except (KeyError, TypeError, ZeroDivisionError):
        continue
    if not old or not new:
        continue
    mo, mn = statistics.mean(old), statistics.mean(new)
    spreads = [(max(v) - min(v)) / statistics.mean(v) for v in (old, new) if len(v) > 1 and statistics.mean(v)]
    noise = max(spreads) if spreads else float("nan")
    change = mn / mo - 1 if mo else float("nan")
    worse = change < 0 if higher else change > 0
    if label.startswith("anchor"):
        verdict = "(machine drift)"
    elif abs(change) <= noise:
        verdict = "within noise"
    else:
        verdict = ("**worse**" if worse else "better") + " beyond noise"
        if worse:
            beyond.append((normalised, f"{bench}: {label} {100 * change:+.1f}% (noise ±{100 * noise:.1f}%)"))
    print(f"| {bench} | {label}{' *' if normalised else ''} | {' / '.join(fmt(v) for v in old)} | "
          f"{' / '.join(fmt(v) for v in new)} | {fmt(mo)} | {fmt(mn)} | {mn / mo:.3f} | ±{100 * noise:.1f}% | {verdict} |")

balanced = [f.get("balanced") for side in runs.get("money", {}).values() for f in side]
if balanced:
    print(f"trial balance balanced in {sum(b == 'true' for b in balanced)} of {len(balanced)} money runs")
for normalised, title in ((True, "anchored figures (*) worse beyond noise"), (False, "raw figures worse beyond noise")):
    found = [text for n, text in beyond if n == normalised]
    print(f"{title}: " + ("; ".join(found) if found else "none"))
PY
