#!/usr/bin/env bash
# Installs what building, running and testing Martlet needs on a fresh Debian machine with Swift:
#   apt:  zookeeper + libzookeeper-mt-dev (C client), kcat (librdkafka 2.0.2), a JDK, unzip
#   pip:  confluent-kafka, kafka-python (+ python-snappy, lz4, zstandard), pytest
#   jars: Apache Kafka Java client 3.9.1 (+ lz4, snappy, zstd, slf4j) from a PyPI wheel that bundles them
# Idempotent: what is already present is left alone. Env: MARTLET_JAVA_DIR (jar cache).
set -euo pipefail
JAR_DIR="${MARTLET_JAVA_DIR:-$HOME/.cache/martlet/java}"
PY="${PYTHON:-python3}"
WHEEL="shigawire-apache-flink-libraries==2.0.0.post1"
JARS="kafka-clients lz4-java slf4j-api snappy-java zstd-jni"
KAFKA_CLIENTS_SHA256=7568b998572d256f0b7bc0afdc1b7a2588b8b08415c62ce314c864a6851ae9d9

say() { echo "[install-deps] $*"; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

need_apt=""
dpkg -s zookeeper >/dev/null 2>&1 || need_apt="$need_apt zookeeper"
dpkg -s libzookeeper-mt-dev >/dev/null 2>&1 || need_apt="$need_apt libzookeeper-mt-dev"
command -v kcat >/dev/null || need_apt="$need_apt kcat"
command -v javac >/dev/null || need_apt="$need_apt openjdk-17-jdk-headless"
command -v unzip >/dev/null || need_apt="$need_apt unzip"
if [ -n "$need_apt" ]; then
  say "apt-get install$need_apt"
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq $need_apt >/dev/null
fi

pip_pin() { # pip_pin DIST VERSION
  local have; have=$($PY -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || true)
  if [ "$have" != "$2" ]; then
    say "pip install $1==$2"
    $PY -m pip install -q --disable-pip-version-check --root-user-action=ignore "$1==$2"
  fi
}
pip_pin confluent-kafka 2.16.1
pip_pin kafka-python 3.0.12
# kafka-python's optional codecs (snappy, lz4, zstd)
pip_pin cramjam 2.14.0
pip_pin python-snappy 0.7.3
pip_pin lz4 4.4.5
pip_pin zstandard 0.25.0
$PY -c "import pytest" 2>/dev/null || pip_pin pytest 9.0.3

missing=""
for j in $JARS; do [ -s "$JAR_DIR/$j.jar" ] || missing="$missing $j"; done
if [ -n "$missing" ]; then
  say "fetching$missing from the PyPI wheel $WHEEL"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  $PY -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: "$WHEEL" -d "$tmp"
  mkdir -p "$JAR_DIR"
  for j in $JARS; do unzip -q -j -o "$tmp"/*.whl "pyflink/lib/$j.jar" -d "$JAR_DIR"; done
fi
sum=$(sha256sum "$JAR_DIR/kafka-clients.jar" | cut -d' ' -f1)
[ "$sum" = "$KAFKA_CLIENTS_SHA256" ] || { say "kafka-clients.jar has unexpected sha256 $sum"; exit 1; }
say "ready: kcat, zookeeper, libzookeeper-mt, confluent-kafka, kafka-python, Java client jars in $JAR_DIR"
