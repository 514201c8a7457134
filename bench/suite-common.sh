# Shared by bench/run-suite.sh and bench/beside-redis.sh (sourced, not run): builds the jars and
# installs redis-server when missing, and gives the scripts a work folder, one server at a time
# (server_pid, stop, wait_port, redis) and bench, which runs parley-bench against it and appends
# its JSON line to $OUT. The sourcing script sets OUT, PORT and REDIS_PORT first, and defines
# its own parley function (how it starts parley is what differs between them).
[[ -f server/target/parley-server.jar && -f bench/target/parley-bench.jar ]] \
  || mvn -B -q -DskipTests package
command -v redis-server >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q redis-server >/dev/null; }

work=$(mktemp -d)
server_pid=
stop() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
trap 'stop; rm -rf "$work"' EXIT

wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

redis() {
  stop
  taskset -c 0 redis-server --port "$REDIS_PORT" --save '' --appendonly no --maxclients 20000 \
    --client-output-buffer-limit "pubsub 64mb 64mb 0" --logfile "$work/redis.log" &
  server_pid=$!
  wait_port "$REDIS_PORT"
}

bench() { # label, bench flags... (against whichever server runs now)
  local label=$1
  shift
  local port=$PORT
  [[ " $* " == *" --redis "* ]] && port=$REDIS_PORT
  taskset -c 1 java -jar bench/target/parley-bench.jar --port "$port" --server-pid "$server_pid" \
    --quiet --json --label "$label" "$@" | tail -1 | tee -a "$OUT"
}

run_suites() { # suite names (words, or one word holding several): runs suite_<name> for each
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  for part in "$@"; do
    for p in $part; do "suite_$p"; done
  done
  stop
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}
