#!/usr/bin/env bash
# The measurements behind BENCHMARKS.md other than the Redis comparison and the N sweep
# (bench/compare-redis.sh does those). Each run appends one JSON line to $OUT.
#
# Usage: bench/run-suite.sh [store|latency|memory|big ...]   (default: all four)
#   store    durable SQLite store against the memory store, N=1000 and N=10, alternating
#   latency  paced runs at several rates (parley and Redis), and light load (N=100, one in flight)
#   memory   5,000 idle signed-in connections, server -Xmx256m (G1, and Serial for contrast);
#            Redis for comparison
#   big      10,000 connections: idle, and a fan-out to 10,000 subscribers
# Servers run on core 0, the bench on core 1. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-bench/results/suite.jsonl}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-5391}
REDIS_PORT=${REDIS_PORT:-6391}
mkdir -p "$(dirname "$OUT")"
source bench/suite-common.sh

parley() { # [jvm flags...] -- [server flags...]
  stop
  local jvm=()
  while [[ $# -gt 0 && $1 != -- ]]; do jvm+=("$1"); shift; done
  shift || true
  rm -rf "$work/data"
  taskset -c 0 java "${jvm[@]}" -jar server/target/parley-server.jar --port "$PORT" \
    --idle-timeout 0 --max-rate 0 --max-clients 20000 --data-dir "$work/data" "$@" \
    >"$work/parley.log" 2>&1 &
  server_pid=$!
  wait_port "$PORT"
}

suite_store() {
  for round in $(seq 1 "$ROUNDS"); do
    for n in 1000 10; do
      m=$((12000000 / (4 * n)))
      w=1000
      [[ $n -eq 10 ]] && m=100000 && w=20000 # enough warm-up messages for the JIT at N=10
      parley -- --store sqlite --max-queue 67108864
      bench "store sqlite N=$n" --clients $n --publishers 4 --messages $m --warmup $w
      parley -- --store memory --max-queue 67108864
      bench "store memory N=$n" --clients $n --publishers 4 --messages $m --warmup $w
    done
  done
}

suite_latency() {
  for target in parley redis; do
    if [[ $target == parley ]]; then parley -- --store memory --max-queue 67108864; else redis; fi
    local flag=()
    [[ $target == redis ]] && flag=(--redis)
    bench "latency $target light unpaced" "${flag[@]}" --clients 100 --publishers 1 --window 1 \
      --messages 20000 --warmup 2000
    for rate in 100 1000; do
      bench "latency $target light rate=$rate" "${flag[@]}" --clients 100 --publishers 1 \
        --window 1 --rate $rate --messages $((rate * 5)) --warmup 500
    done
    bench "latency $target max" "${flag[@]}" --clients 1000 --publishers 4 --messages 3000 \
      --warmup 1000
    for rate in 500 1000 2500 5000; do
      bench "latency $target rate=$rate" "${flag[@]}" --clients 1000 --publishers 4 \
        --rate $rate --messages $((rate * 5 / 4)) --warmup 500
    done
  done
}

suite_memory() {
  # G1 is what the JVM picks on this 2-core machine; confined to one core by taskset it picks
  # Serial, whose young generation stays resident at whatever size a burst touched. The server
  # sets MaxHeapFreeRatio=20 itself (LeanHeap) unless given on the command line: the "jvm-ratios"
  # row gives the JVM's own defaults explicitly, to show what that setting is worth.
  for round in $(seq 1 "$ROUNDS"); do
    parley -Xmx256m -XX:+UseG1GC -- --store memory
    bench "memory parley g1" --idle 5000
    parley -Xmx256m -XX:+UseG1GC -XX:MaxHeapFreeRatio=70 -XX:MinHeapFreeRatio=40 -- --store memory
    bench "memory parley g1 jvm-ratios" --idle 5000
    parley -Xmx256m -- --store memory
    bench "memory parley serial" --idle 5000
    redis
    bench "memory redis" --redis --idle 5000
  done
}

suite_big() {
  parley -Xmx256m -XX:+UseG1GC -- --store memory
  bench "big parley idle" --idle 10000
  parley -- --store memory --max-queue 67108864
  bench "big parley fan-out" --clients 10000 --publishers 4 --messages 300 --warmup 100
  redis
  bench "big redis fan-out" --redis --clients 10000 --publishers 4 --messages 300 --warmup 100
}

run_suites "${@:-store latency memory big}"
