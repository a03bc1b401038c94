#!/usr/bin/env bash
# A local Martlet cluster as daemons: one ZooKeeper server and N brokers (default 3), each broker
# with its own config file, data dir, log file and pid file under run/ (or $MARTLET_RUN_DIR).
#
#   scripts/cluster.sh start [N]     build (release) and start ZooKeeper + N brokers on
#                                    127.0.0.1:9092.. (ZooKeeper on 127.0.0.1:2181)
#   scripts/cluster.sh stop          SIGTERM each broker (controlled shutdown), then ZooKeeper
#   scripts/cluster.sh status        which processes are running
# Env: MARTLET_BASE_PORT (9092), MARTLET_ZK_PORT (2181), MARTLET_BIN (prebuilt binary).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="${MARTLET_RUN_DIR:-$PWD/run}"
BASE_PORT="${MARTLET_BASE_PORT:-9092}"
ZK_PORT="${MARTLET_ZK_PORT:-2181}"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  local n="${1:-3}" bin="${MARTLET_BIN:-}"
  if [ -z "$bin" ]; then
    scripts/install-deps.sh
    swift build -c release --product martlet
    bin="$PWD/.build/release/martlet"
  fi
  mkdir -p "$RUN"
  if ! scripts/zookeeper.sh status "$RUN/zookeeper" >/dev/null 2>&1; then
    scripts/zookeeper.sh start "$ZK_PORT" "$RUN/zookeeper"
  fi
  local bootstrap=""
  for ((i = 0; i < n; i++)); do
    local dir="$RUN/broker-$i" port=$((BASE_PORT + i))
    mkdir -p "$dir"
    if alive "$dir/broker.pid"; then echo "broker $i already running (pid $(cat "$dir/broker.pid"))"; continue; fi
    cat > "$dir/server.properties" <<PROPS
broker.id=$i
listeners=PLAINTEXT://127.0.0.1:$port
log.dirs=$dir/logs
zookeeper.connect=127.0.0.1:$ZK_PORT/martlet
num.partitions=3
default.replication.factor=1
PROPS
    nohup "$bin" broker --config "$dir/server.properties" >> "$dir/broker.log" 2>&1 < /dev/null &
    echo $! > "$dir/broker.pid"
    bootstrap="${bootstrap:+$bootstrap,}127.0.0.1:$port"
  done
  for ((i = 0; i < n; i++)); do
    local dir="$RUN/broker-$i" deadline=$((SECONDS + 60))
    until grep -q "Martlet broker started" "$dir/broker.log" 2>/dev/null; do
      alive "$dir/broker.pid" || { echo "broker $i exited; see $dir/broker.log"; tail -5 "$dir/broker.log"; exit 1; }
      [ $SECONDS -lt $deadline ] || { echo "broker $i did not start; see $dir/broker.log"; exit 1; }
      sleep 0.2
    done
  done
  echo "cluster up: bootstrap ${bootstrap:-127.0.0.1:$BASE_PORT} (logs and pids in $RUN)"
}

stop() {
  for pidfile in "$RUN"/broker-*/broker.pid; do
    [ -f "$pidfile" ] || continue
    if alive "$pidfile"; then
      local pid; pid=$(cat "$pidfile")
      kill -TERM "$pid"
      for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && { echo "broker pid $pid did not stop; killing"; kill -KILL "$pid"; }
    fi
    rm -f "$pidfile"
  done
  [ -d "$RUN/zookeeper" ] && scripts/zookeeper.sh stop "$RUN/zookeeper" || true
  echo "cluster stopped"
}

status() {
  scripts/zookeeper.sh status "$RUN/zookeeper" >/dev/null 2>&1 && echo "zookeeper: running" || echo "zookeeper: stopped"
  for pidfile in "$RUN"/broker-*/broker.pid; do
    [ -f "$pidfile" ] || continue
    alive "$pidfile" && echo "$(basename "$(dirname "$pidfile")"): running (pid $(cat "$pidfile"))" \
      || echo "$(basename "$(dirname "$pidfile")"): stopped"
  done
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
