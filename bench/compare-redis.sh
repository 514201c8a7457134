#!/usr/bin/env bash
# Fan-out, parley against Redis 7 pub/sub, on this machine, in one run.
#
# Both servers are pinned to core 0 and the bench to core 1 (taskset). The same bench client
# (parley-bench, java.nio) runs the same workload against each, back to back, ROUNDS times:
# N subscribers, K publishers each sending M messages of SIZE bytes with at most W unconfirmed.
# Printed per round and as the median over the rounds:
#   rate ratio = parley deliveries/s / Redis deliveries/s                (target >= 1.2)
#   CPU ratio  = parley server CPU per delivery / Redis server CPU per delivery  (target <= 0.67)
# Server CPU is utime+stime of the server process over the measured window (/proc/PID/stat).
#
# Usage: bench/compare-redis.sh [ROUNDS]; settings through the environment, e.g.
#   N=1000 K=4 M=3000 SIZE=64 W=64 WARMUP=1000 bench/compare-redis.sh 5
#   NS="10 100 1000 5000" bench/compare-redis.sh 2     # a sweep over N; M then defaults to
#                                                       # 12 million deliveries / (K * N)
#   TLS=1 bench/compare-redis.sh 3                      # both over TLS: parley --tls-port (TLS only)
#                                                       # against redis --tls-port, one self-signed
#                                                       # P-256 certificate made here with openssl
# Results (one JSON line per run) go to $OUT (default bench/target/compare-redis.jsonl);
# bench/plot-throughput.py turns them into a chart.
# Not part of the test suite: it installs redis-server if missing (needs root and apt).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-${ROUNDS:-3}}
N=${N:-1000}
NS=${NS:-$N}
K=${K:-4}
M=${M:-}
SIZE=${SIZE:-64}
W=${W:-64}
WARMUP=${WARMUP:-1000}
PARLEY_PORT=${PARLEY_PORT:-5390}
REDIS_PORT=${REDIS_PORT:-6390}
MAX_QUEUE=${MAX_QUEUE:-67108864} # bytes a slow subscriber may have queued, for both servers
SERVER_CORE=${SERVER_CORE:-0}
BENCH_CORE=${BENCH_CORE:-1}
TLS=${TLS:-0}
OUT=${OUT:-bench/target/compare-redis.jsonl}

if ! command -v redis-server >/dev/null; then
  echo "installing redis-server (Debian package)" >&2
  apt-get update -q >/dev/null && apt-get install -y -q redis-server >/dev/null
fi
if [[ ! -f server/target/parley-server.jar || ! -f bench/target/parley-bench.jar ]]; then
  mvn -B -q -DskipTests package
fi
mkdir -p "$(dirname "$OUT")"
: >"$OUT"

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

parley_tls=()
redis_net=(--port "$REDIS_PORT")
bench_tls=()
if [[ $TLS == 1 ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  # The bench opens up to 200 connections at once, all from 127.0.0.1: above the per-address
  # bound on TLS handshakes a server sets for real clients (docs/MANUAL.md, "Limits").
  parley_tls=(--tls-port "$PARLEY_PORT" --tls-only --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"
    --max-tls-handshakes-per-address 256)
  redis_net=(--port 0 --tls-port "$REDIS_PORT" --tls-cert-file "$work/cert.pem"
    --tls-key-file "$work/key.pem" --tls-ca-cert-file "$work/cert.pem" --tls-auth-clients no)
  bench_tls=(--tls)
fi

taskset -c "$SERVER_CORE" java -jar server/target/parley-server.jar --port "$PARLEY_PORT" \
  "${parley_tls[@]}" --store memory --max-rate 0 --idle-timeout 0 --max-queue "$MAX_QUEUE" \
  --max-clients 20000 >"$work/parley.log" 2>&1 &
parley_pid=$!
pids+=("$parley_pid")
taskset -c "$SERVER_CORE" redis-server "${redis_net[@]}" --save '' --appendonly no \
  --maxclients 20000 --client-output-buffer-limit "pubsub $MAX_QUEUE $MAX_QUEUE 0" \
  --logfile "$work/redis.log" &
redis_pid=$!
pids+=("$redis_pid")
wait_port "$PARLEY_PORT"
wait_port "$REDIS_PORT"

bench() { # $1 = parley|redis, $2 = port, $3 = server pid, $4 = N
  local extra=()
  [[ $1 == redis ]] && extra=(--redis)
  local m=${M:-$((12000000 / (K * $4)))}
  taskset -c "$BENCH_CORE" java -jar bench/target/parley-bench.jar "${extra[@]}" "${bench_tls[@]}" \
    --port "$2" --server-pid "$3" --clients "$4" --publishers "$K" --messages "$m" \
    --size "$SIZE" --window "$W" --warmup "$WARMUP" --quiet --json --label "round $round" \
    | tail -1 | tee -a "$OUT" >/dev/null
}

echo "parley vs Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')$([[ $TLS == 1 ]] && echo ' over TLS'): N=$NS K=$K M=${M:-auto}" \
  "size=$SIZE window=$W warmup=$WARMUP, servers on core $SERVER_CORE, bench on core $BENCH_CORE," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $NS; do
  for round in $(seq 1 "$ROUNDS"); do
    bench parley "$PARLEY_PORT" "$parley_pid" "$n"
    bench redis "$REDIS_PORT" "$redis_pid" "$n"
  done
done

python3 - "$OUT" <<'EOF'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
pairs = {}
for r in runs:
    pairs.setdefault((r["clients"], r["label"]), {})[r["target"]] = r
print(f"{'N':>5} {'round':>5} {'parley del/s':>13} {'redis del/s':>13} {'rate x':>7}"
      f" {'parley ns/del':>13} {'redis ns/del':>12} {'cpu x':>6} {'missing':>8}")
by_n = {}
for (n, label), pair in pairs.items():
    p, r = pair["parley"], pair["redis"]
    rate = p["deliveries_per_s"] / r["deliveries_per_s"]
    cpu = p["server_ns_per_delivery"] / r["server_ns_per_delivery"]
    by_n.setdefault(n, []).append((rate, cpu))
    print(f"{n:>5} {label.split()[-1]:>5} {p['deliveries_per_s']:>13,} {r['deliveries_per_s']:>13,}"
          f" {rate:>7.2f} {p['server_ns_per_delivery']:>13.0f}"
          f" {r['server_ns_per_delivery']:>12.0f} {cpu:>6.2f}"
          f" {p['missing'] + r['missing']:>8}")
for n, ratios in by_n.items():
    rate = statistics.median(x[0] for x in ratios)
    cpu = statistics.median(x[1] for x in ratios)
    print(f"N={n}: median rate ratio {rate:.2f}"
          f" (target >= 1.2: {'met' if rate >= 1.2 else 'NOT met'}),"
          f" median CPU-per-delivery ratio {cpu:.2f}"
          f" (target <= 0.67: {'met' if cpu <= 0.67 else 'NOT met'})")
EOF
