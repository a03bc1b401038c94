#!/usr/bin/env bash
# Builds Martlet (release) and runs a local broker in the foreground on 127.0.0.1:9092
# (data in ./run/broker-0). Ctrl-C (SIGINT) or SIGTERM stops it cleanly.
#   scripts/run-local.sh [PORT]
# Point any Kafka client at it:  kcat -b 127.0.0.1:9092 -L
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-9092}"
scripts/install-deps.sh
swift build -c release --product martlet
DATA="$PWD/run/broker-0"
mkdir -p "$DATA"
cat > "$DATA/server.properties" <<PROPS
broker.id=0
listeners=PLAINTEXT://127.0.0.1:$PORT
log.dirs=$DATA/logs
num.partitions=1
PROPS
echo "starting martlet broker 0 on 127.0.0.1:$PORT (config $DATA/server.properties)"
exec .build/release/martlet broker --config "$DATA/server.properties"
