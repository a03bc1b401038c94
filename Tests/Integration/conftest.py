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
