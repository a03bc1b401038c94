#!/usr/bin/env bash
# Runs a standalone ZooKeeper server for tests and local clusters.
#
#   scripts/zookeeper.sh start PORT DATADIR   write DATADIR/zoo.cfg, start the server in the
#                                             background (pid in DATADIR/zookeeper.pid, log in
#                                             DATADIR/zookeeper.log), wait until it serves clients
#   scripts/zookeeper.sh stop DATADIR         stop the server started with that DATADIR (by pid)
#   scripts/zookeeper.sh status DATADIR       exit 0 if that server answers `ruok`
#
# The server listens on 127.0.0.1:PORT only. tickTime is 200 ms, so sessions may be as short as
# 400 ms (2 ticks); maxSessionTimeout is raised to 60 s so Kafka's 18 s default is granted.
# Restarting with the same DATADIR keeps the data (and the sessions, for their timeout).
# Installs the Debian packages zookeeper and libzookeeper-mt-dev first if they are missing.
set -euo pipefail

ZOOKEEPER_CLASSPATH="/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar"
START_TIMEOUT_SECONDS="${ZOOKEEPER_START_TIMEOUT:-60}"

usage() {
    echo "usage: $0 start PORT DATADIR | stop DATADIR | status DATADIR" >&2
    exit 2
}

ensure_installed() {
    if dpkg -s zookeeper >/dev/null 2>&1 && dpkg -s libzookeeper-mt-dev >/dev/null 2>&1; then
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "installing zookeeper and libzookeeper-mt-dev" >&2
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q zookeeper libzookeeper-mt-dev >&2
}

# Sends a four-letter word; prints the answer (empty if the server does not answer).
# Uses perl (perl-base is Essential on Debian) with select()-based timeouts, not `timeout` or
# `read -t`: those rely on SIGALRM, which may be blocked in the mask a test runner passes on.
four_letter_word() {
    perl -MIO::Socket::INET -MIO::Select -e '
        my $socket = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $ARGV[0], Timeout => 2)
            or exit 0;
        $socket->blocking(0);
        my $select = IO::Select->new($socket);
        my $deadline = time + 3;
        syswrite($socket, $ARGV[1]);
        while ((my $left = $deadline - time) > 0) {
            last unless $select->can_read($left);
            my $read = sysread($socket, my $chunk, 4096);
            last unless $read;
            print $chunk;
        }' "$1" "$2" 2>/dev/null || true
}

is_running() {
    local pidfile="$1/zookeeper.pid"
    [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

start() {
    local port="$1" datadir="$2"
    case "$port" in '' | *[!0-9]*) echo "PORT must be a number" >&2; exit 2 ;; esac
    ensure_installed
    mkdir -p "$datadir/data"
    datadir="$(cd "$datadir" && pwd)"
    if is_running "$datadir"; then
        echo "a ZooKeeper server already runs for $datadir (pid $(cat "$datadir/zookeeper.pid"))" >&2
        exit 1
    fi
    cat >"$datadir/zoo.cfg" <<CFG
tickTime=200
minSessionTimeout=400
maxSessionTimeout=60000
dataDir=$datadir/data
clientPort=$port
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr,stat,mntr,cons,dump
CFG
    echo "$port" >"$datadir/zookeeper.port"
    nohup java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        -Dzookeeper.admin.enableServer=false \
        -cp "$ZOOKEEPER_CLASSPATH" org.apache.zookeeper.server.ZooKeeperServerMain "$datadir/zoo.cfg" \
        </dev/null >>"$datadir/zookeeper.log" 2>&1 &
    echo $! >"$datadir/zookeeper.pid"

    # `ruok` answers before the server accepts sessions; `srvr` reports "Mode:" once it serves.
    local deadline=$((SECONDS + START_TIMEOUT_SECONDS))
    until four_letter_word "$port" srvr | grep -q '^Mode:'; do
        if ! is_running "$datadir"; then
            echo "ZooKeeper exited during startup; last log lines:" >&2
            tail -n 20 "$datadir/zookeeper.log" >&2 || true
            rm -f "$datadir/zookeeper.pid"
            exit 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "ZooKeeper did not answer on port $port within ${START_TIMEOUT_SECONDS}s" >&2
            stop "$datadir"
            exit 1
        fi
        sleep 0.1
    done
    echo "ZooKeeper running on 127.0.0.1:$port (pid $(cat "$datadir/zookeeper.pid"), data $datadir)"
}

stop() {
    local datadir="$1" pidfile="$1/zookeeper.pid"
    if [ ! -f "$pidfile" ]; then
        echo "no ZooKeeper pid file in $datadir" >&2
        return 0
    fi
    local pid
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        local waited=0
        while kill -0 "$pid" 2>/dev/null; do
            if [ "$waited" -ge 100 ]; then
                kill -9 "$pid" 2>/dev/null || true
                break
            fi
            sleep 0.1
            waited=$((waited + 1))
        done
    fi
    rm -f "$pidfile"
    echo "ZooKeeper stopped (pid $pid)"
}

status() {
    local datadir="$1"
    is_running "$datadir" || exit 1
    [ "$(four_letter_word "$(cat "$datadir/zookeeper.port")" ruok)" = "imok" ]
}

case "${1:-}" in
    start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
    stop) [ $# -eq 2 ] || usage; stop "$2" ;;
    status) [ $# -eq 2 ] || usage; status "$2" ;;
    *) usage ;;
esac
