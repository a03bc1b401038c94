"""Fixtures for Martlet's integration tests: real `martlet broker` processes on loopback
(OS-assigned ports), driven by real Kafka clients (kcat, the Java client, kafka-python,
confluent-kafka). Everything a test starts is stopped by PID when the test ends."""
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
JAVA_DIR = Path(os.environ.get("MARTLET_JAVA_DIR", Path.home() / ".cache/martlet/java"))
STARTED = re.compile(r"^.*\blisteners=(\S+).*Martlet broker started.*$", re.MULTILINE)


def martlet_binary():
    path = Path(os.environ.get("MARTLET_BIN", REPO / ".build/debug/martlet"))
    if not path.exists():
        pytest.fail(f"martlet binary not found at {path}; build it first (scripts/test.sh does)")
    return path


class BrokerProcess:
    """One `martlet broker` process with its own config file, log dirs and log file."""

    def __init__(self, workdir: Path, broker_id=0, overrides=None):
        self.workdir = workdir
        self.broker_id = broker_id
        self.data = workdir / f"broker-{broker_id}"
        self.data.mkdir(parents=True, exist_ok=True)
        self.config = self.data / "server.properties"
        self.logfile = self.data / "broker.log"
        props = {
            "broker.id": str(broker_id),
            "listeners": "PLAINTEXT://127.0.0.1:0",
            "log.dirs": str(self.data / "logs"),
            "num.network.threads": "2",
        }
        props.update(overrides or {})
        self.config.write_text("".join(f"{k}={v}\n" for k, v in props.items()))
        self.proc = None
        self.port = None

    def start(self, timeout=30.0, expect_ready=True):
        self.log = open(self.logfile, "ab")
        offset = self.log.tell()  # only this run's output counts
        self.proc = subprocess.Popen(
            [str(martlet_binary()), "broker", "--config", str(self.config)],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if not expect_ready:
            return self
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = STARTED.search(self.logfile.read_bytes()[offset:].decode(errors="replace"))
            if match:
                listener = match.group(1).split(",")[0]
                self.port = int(listener.rsplit(":", 1)[1])
                return self
            if self.proc.poll() is not None:
                raise AssertionError(f"broker exited with {self.proc.returncode}:\n{self.logfile.read_text()}")
            time.sleep(0.05)
        raise AssertionError(f"broker did not start within {timeout}s:\n{self.logfile.read_text()}")

    @property
    def bootstrap(self):
        return f"127.0.0.1:{self.port}"

    def wait(self, timeout=30.0):
        try:
            return self.proc.wait(timeout)
        finally:
            self.log.close()

    def stop(self, timeout=30.0):
        """SIGTERM and wait; returns the exit code."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def output(self):
        return self.logfile.read_text(errors="replace")


@pytest.fixture
def broker_factory(tmp_path):
    started = []

    def make(broker_id=0, overrides=None, start=True):
        b = BrokerProcess(tmp_path, broker_id, overrides)
        started.append(b)
        return b.start() if start else b

    yield make
    for b in started:
        b.kill()


@pytest.fixture
def broker(broker_factory):
    return broker_factory()


@pytest.fixture(scope="session")
def java_classpath(tmp_path_factory):
    """Compiles Tests/Integration/java/*.java against the Kafka Java client jars."""
    jars = sorted(JAVA_DIR.glob("*.jar"))
    if not any(j.name == "kafka-clients.jar" for j in jars):
        pytest.fail(f"Kafka Java client jars missing in {JAVA_DIR}; run scripts/install-deps.sh")
    out = tmp_path_factory.mktemp("java-classes")
    cp = ":".join(str(j) for j in jars)
    sources = [str(p) for p in (Path(__file__).parent / "java").glob("*.java")]
    subprocess.run(["javac", "-nowarn", "-cp", cp, "-d", str(out), *sources], check=True, timeout=180)
    return f"{out}:{cp}"


def run(cmd, timeout=60, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


def free_port_below_32768():
    """A currently free TCP port in [20000, 32000) on 127.0.0.1 (outside the ephemeral range)."""
    import random
    import socket

    for _ in range(200):
        port = random.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port found")


class ZooKeeperServer:
    """A real ZooKeeper 3.8 server (Debian package) started with scripts/zookeeper.sh."""

    def __init__(self, datadir: Path):
        self.datadir = datadir
        self.port = free_port_below_32768()

    def start(self):
        out = run([str(REPO / "scripts/zookeeper.sh"), "start", str(self.port), str(self.datadir)], timeout=90)
        assert out.returncode == 0, out.stdout + out.stderr
        return self

    def stop(self):
        run([str(REPO / "scripts/zookeeper.sh"), "stop", str(self.datadir)], timeout=60)

    @property
    def connect(self):
        return f"127.0.0.1:{self.port}"

    def zkcli(self, *command):
        """Runs one zkCli.sh command against this server; returns its stdout."""
        cli = "/usr/share/zookeeper/bin/zkCli.sh"
        out = run([cli, "-server", self.connect, *command], timeout=60)
        return out.stdout


@pytest.fixture
def zookeeper(tmp_path):
    zk = ZooKeeperServer(tmp_path / "zookeeper").start()
    yield zk
    zk.stop()


class Cluster:
    """N brokers registered in one ZooKeeper chroot."""

    def __init__(self, workdir: Path, zookeeper: ZooKeeperServer, size: int, overrides=None):
        import uuid

        self.zookeeper = zookeeper
        self.chroot = f"/martlet-{uuid.uuid4().hex[:8]}"
        base = {
            "zookeeper.connect": zookeeper.connect + self.chroot,
            "zookeeper.session.timeout.ms": "6000",
        }
        base.update(overrides or {})
        self.brokers = [BrokerProcess(workdir, broker_id=i, overrides=base) for i in range(size)]

    def start(self):
        for b in self.brokers:
            b.start()
        return self

    @property
    def bootstrap(self):
        return ",".join(b.bootstrap for b in self.brokers if b.proc and b.proc.poll() is None)

    def broker(self, broker_id):
        return next(b for b in self.brokers if b.broker_id == broker_id)

    def kill_all(self):
        for b in self.brokers:
            b.kill()


@pytest.fixture
def cluster_factory(tmp_path, zookeeper):
    made = []

    def make(size=3, overrides=None):
        c = Cluster(tmp_path, zookeeper, size, overrides).start()
        made.append(c)
        return c

    yield make
    for c in made:
        c.kill_all()


def wait_until(predicate, timeout=30.0, interval=0.1, message="condition"):
    """Polls `predicate` until it returns a truthy value (returned) or fails after `timeout`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as e:  # noqa: BLE001 - remembered for the failure message
            last = e
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}; last value: {last!r}")
