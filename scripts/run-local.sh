#!/usr/bin/env bash
# The README's "run" command: builds Martlet (release), installs what it needs, and starts a local
# cluster of ZooKeeper + 3 brokers as daemons on 127.0.0.1:9092-9094 (data, logs and pid files
# under ./run). Stop it with `scripts/cluster.sh stop`.
#   kcat -b 127.0.0.1:9092 -L
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/cluster.sh start "${1:-3}"
