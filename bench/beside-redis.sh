#!/usr/bin/env bash
# bench/results/README.md, "Round 2: beside Redis, as started by default": every workload run
# against parley started the README's way (bin/parley-server, with the launcher's JVM flags and no others) and against
# Redis 7, back to back in one run. Servers on core 0, the bench on core 1 (taskset).
#
#   light   N=100 subscribers, one publisher, one message in flight (window 1), 64 B: paced at 100
#           and 1,000 messages/s and unpaced; parley with the memory store and with its default
#           store (SQLite, a commit per message); 20,000 unpaced warm-up messages first, so that
#           the JIT compiler has done its work (a server that runs all day is past that)
#   heavy   fan-out N=1000, K=4 publishers, window 64, 64 B (memory store, then SQLite)
#   half    N=1000, K=4, paced at half of the heavy run's parley maximum: p99 beside Redis's
#   idle    5,000 and 10,000 signed-in idle connections, RSS as ps shows it (--as-is), parley
#           with everything at its defaults (SQLite store)
#   rounds  the light (memory store) and half workloads again, parley and Redis alternating,
#           $ROUNDS times (default 3), for the spread between runs; half at $HALF_RATE messages/s
#           (default 4,000, about half of the heavy maximum here)
#
# Usage: bench/beside-redis.sh [light heavy half idle rounds ...]   (default: the first four)
# Each run appends one JSON line to $OUT (default bench/target/beside-redis.jsonl), and prints it.
# Not part of the tests: it installs redis-server if missing (needs root and apt).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-bench/target/beside-redis.jsonl}
PORT=${PORT:-5395}
REDIS_PORT=${REDIS_PORT:-6395}
METRICS_PORT=${METRICS_PORT:-9395}
mkdir -p "$(dirname "$OUT")"
source bench/suite-common.sh

parley() { # server flags...: the launcher, from a fresh data folder, as the README starts it
  stop
  rm -rf "$work/data"
  mkdir -p "$work/data"
  (cd "$work/data" && exec taskset -c 0 "$OLDPWD/bin/parley-server" --port "$PORT" "$@") \
    >"$work/parley.log" 2>&1 &
  server_pid=$!
  wait_port "$PORT"
}

# For the load runs: no rate limit and no idle timeout (the bench's subscribers never speak), and
# a 64 MiB queue per subscriber like Redis's pub/sub buffer limit above. Nothing else is set.
LOAD=(--max-rate 0 --idle-timeout 0 --max-queue 67108864)

commit_times() { # label: the store's commits since the last call, from /metrics, as a JSON line
  curl -s "http://127.0.0.1:$METRICS_PORT/metrics" >"$work/commits.now"
  python3 - "$1" "$work/commits.now" "$work/commits.before" <<'PY' | tee -a "$OUT"
import json, os, sys
def read(path):
    m = {}
    if os.path.exists(path):
        for line in open(path):
            if line.startswith("parley_store_commit_seconds"):
                key, value = line.rsplit(" ", 1)
                m[key] = float(value)
    return m
now, before = read(sys.argv[2]), read(sys.argv[3])
d = {k: v - before.get(k, 0) for k, v in now.items()}
n = d["parley_store_commit_seconds_count"]
within = {str(float(k.split('"')[1]) * 1000): round(v / n, 3)
          for k, v in d.items() if "_bucket" in k and "+Inf" not in k}
print(json.dumps({"label": sys.argv[1], "kind": "commits", "commits": int(n),
                  "mean_ms": round(1000 * d["parley_store_commit_seconds_sum"] / n, 3),
                  "share_within_ms": within}))
PY
  mv "$work/commits.now" "$work/commits.before"
}

LIGHT=(--clients 100 --publishers 1 --window 1 --size 64 --warmup 20000)

light_runs() { # label prefix, --redis or nothing
  bench "$1 light unpaced" ${2:+"$2"} "${LIGHT[@]}" --messages 20000
  for rate in 100 1000; do
    bench "$1 light rate=$rate" ${2:+"$2"} "${LIGHT[@]}" --rate $rate --messages $((rate * 10))
  done
}

suite_light() {
  parley "${LOAD[@]}" --store memory
  light_runs "parley-memory"
  # The default store, with a metrics port: its commit-time histogram, read before and after each
  # measured run (the warm-up is a run of its own), says what storing before delivering costs per
  # message at that rate.
  parley "${LOAD[@]}" --metrics-port "$METRICS_PORT"
  rm -f "$work/commits.before"
  bench "parley-sqlite light unpaced" "${LIGHT[@]}" --messages 20000
  commit_times "parley-sqlite light unpaced: store commits, warm-up included"
  for rate in 100 1000; do
    OUT=/dev/null bench "parley-sqlite warm-up" "${LIGHT[@]}" --messages 1 >/dev/null
    OUT=/dev/null commit_times "parley-sqlite warm-up: store commits" >/dev/null
    bench "parley-sqlite light rate=$rate" "${LIGHT[@]}" --warmup 0 --rate $rate \
      --messages $((rate * 10))
    commit_times "parley-sqlite light rate=$rate: store commits"
  done
  redis
  light_runs "redis" --redis
}

HEAVY=(--clients 1000 --publishers 4 --window 64 --size 64 --messages 3000 --warmup 1000)

suite_heavy() {
  parley "${LOAD[@]}" --store memory
  bench "parley-memory heavy" "${HEAVY[@]}"
  parley "${LOAD[@]}"
  bench "parley-sqlite heavy" "${HEAVY[@]}"
  redis
  bench "redis heavy" --redis "${HEAVY[@]}"
}

half_run() { # label, rate, --redis or nothing: 1,000 subscribers, 4 publishers, paced at rate
  bench "$1 rate=$2" ${3:+"$3"} --clients 1000 --publishers 4 --size 64 --rate "$2" \
    --messages $(($2 * 5 / 4)) --warmup 1000
}

suite_half() {
  # Half of the parley maximum, measured now (memory store, as in the heavy run above).
  parley "${LOAD[@]}" --store memory
  local max
  max=$(bench "parley-memory max" "${HEAVY[@]}" \
    | python3 -c 'import json,sys; print(int(json.loads(sys.stdin.read())["messages_per_s"]))')
  local rate=$((max / 2))
  half_run "parley-memory half" "$rate"
  redis
  half_run "redis half" "$rate" --redis
}

suite_idle() {
  for n in 5000 10000; do
    parley
    bench "parley idle as started" --idle "$n" --as-is
    redis
    bench "redis idle" --redis --idle "$n" --as-is
  done
}

suite_rounds() {
  local half=${HALF_RATE:-4000}
  for round in $(seq 1 "${ROUNDS:-3}"); do
    for target in parley redis; do
      local flag=()
      if [[ $target == parley ]]; then parley "${LOAD[@]}" --store memory; else redis; flag=(--redis); fi
      light_runs "$target round $round" "${flag[@]}"
      half_run "$target round $round half" "$half" "${flag[@]}"
    done
  done
}

run_suites "${@:-light heavy half idle}"
