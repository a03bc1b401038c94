"""Consumer groups (classic protocol) on a 3-broker ZooKeeper cluster, driven by real clients:
the Java KafkaConsumer, confluent-kafka, kafka-python and `kcat -G` commit and resume exactly
after their committed offsets; two Java consumers split a topic's partitions and the survivor
takes them all when the other leaves or dies; committed offsets survive a restart of the
coordinator's broker; stale generations and unknown members are rejected on OffsetCommit.

`__consumer_offsets` uses the broker default replication factor (3) unless
MARTLET_TEST_OFFSETS_RF is set (e.g. 1 to check these tests before follower replication)."""
import os
import struct
import queue
import subprocess
import threading

import kafka_wire as w
from conftest import run, wait_until
from python_clients import create_topic, group_committed_offsets, group_coordinator, produce_numbered
from test_cluster_zookeeper import children

N = 200
PARTITIONS = 3
ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, MEMBER_ID_REQUIRED = 22, 25, 79


def group_cluster(cluster_factory):
    rf = os.environ.get("MARTLET_TEST_OFFSETS_RF")
    return cluster_factory(3, overrides={"offsets.topic.replication.factor": rf} if rf else None)


def java_consume(java_classpath, bootstrap, topic, group, count, *props):
    """Runs GroupConsumer in consume mode -> ([(partition, offset, value)], {partition: committed})."""
    out = run(["java", "-cp", java_classpath, "GroupConsumer", bootstrap, topic, group, "consume", str(count), *props],
              timeout=240)
    assert out.returncode == 0, out.stdout + out.stderr
    records, committed = [], None
    for line in out.stdout.splitlines():
        if line.startswith("R "):
            _, p, o, v = line.split(" ", 3)
            records.append((int(p), int(o), v))
        elif line.startswith("COMMITTED "):
            committed = {int(p): int(o) for p, o in (kv.split("=") for kv in line.split(" ", 1)[1].split(","))}
    assert committed is not None, out.stdout
    return records, committed


def positions_after(records):
    """{partition: last consumed offset + 1}"""
    out = {}
    for p, o, _ in records:
        out[p] = max(out.get(p, 0), o + 1)
    return out


def check_resume(acked, first, committed, second):
    """The first consumer read a prefix of each partition and committed exactly its positions;
    the second read everything else, starting at each committed offset: no gap, no repeat."""
    assert committed == positions_after(first)
    for p in range(PARTITIONS):
        mine = sorted(o for q, o, _ in first if q == p)
        assert mine == list(range(committed.get(p, 0))), f"first consumer, partition {p}"
        theirs = sorted(o for q, o, _ in second if q == p)
        end = sum(1 for (q, _) in acked if q == p)
        assert theirs == list(range(committed.get(p, 0), end)), f"second consumer, partition {p}"
    for p, o, v in first + second:
        assert acked[(p, o)] == v


def prepared_topic(c, topic):
    create_topic(c.bootstrap, topic, PARTITIONS)
    return produce_numbered(c.bootstrap, topic, N, PARTITIONS)


# --- Java KafkaConsumer ---

def test_java_consumer_resumes_exactly_after_the_committed_offset(cluster_factory, java_classpath):
    c = group_cluster(cluster_factory)
    acked = prepared_topic(c, "java-resume")
    first, committed = java_consume(java_classpath, c.bootstrap, "java-resume", "java-g", N // 2)
    assert len(first) == N // 2
    assert group_committed_offsets(c.bootstrap, "java-g") == {("java-resume", p): o for p, o in committed.items()}
    second, _ = java_consume(java_classpath, c.bootstrap, "java-resume", "java-g", N - N // 2)
    check_resume(acked, first, committed, second)


class JavaTracker:
    """A GroupConsumer in track mode; `assignment` is the latest printed assignment."""

    def __init__(self, java_classpath, bootstrap, topic, group, logdir):
        self.errors = open(logdir / f"tracker-{id(self)}.log", "w")
        self.proc = subprocess.Popen(
            ["java", "-cp", java_classpath, "GroupConsumer", bootstrap, topic, group, "track"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True)
        self.lines = queue.Queue()
        self.assignment = None
        self.closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            line = line.strip()
            if line.startswith("ASSIGNED"):
                parts = line.split(" ", 1)[1] if " " in line else ""
                self.assignment = sorted(int(p) for p in parts.split(",") if p)
            elif line == "CLOSED":
                self.closed = True

    def close(self):
        self.proc.stdin.write("close\n")
        self.proc.stdin.flush()
        assert self.proc.wait(60) == 0
        assert self.closed

    def kill(self):
        self.proc.kill()  # SIGKILL: no LeaveGroup, the coordinator must expire the session
        self.proc.wait(30)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
        self.errors.close()


def _split_then_survivor(cluster_factory, java_classpath, tmp_path, leave):
    c = group_cluster(cluster_factory)
    create_topic(c.bootstrap, "split", 4)
    a = JavaTracker(java_classpath, c.bootstrap, "split", "split-g", tmp_path)
    b = None
    try:
        wait_until(lambda: a.assignment == [0, 1, 2, 3], timeout=90, message="the first consumer owning all 4")
        b = JavaTracker(java_classpath, c.bootstrap, "split", "split-g", tmp_path)
        wait_until(lambda: a.assignment is not None and b.assignment is not None
                   and len(a.assignment) == 2 and len(b.assignment) == 2
                   and sorted(a.assignment + b.assignment) == [0, 1, 2, 3],
                   timeout=90, message="the two consumers splitting 2+2")
        leave(b)
        wait_until(lambda: a.assignment == [0, 1, 2, 3], timeout=90, message="the survivor owning all 4")
        a.close()
    finally:
        a.stop()
        if b:
            b.stop()


def test_two_java_consumers_split_partitions_and_the_survivor_gets_all_after_close(
        cluster_factory, java_classpath, tmp_path):
    _split_then_survivor(cluster_factory, java_classpath, tmp_path, lambda b: b.close())


def test_survivor_gets_all_partitions_after_the_other_jvm_is_killed(cluster_factory, java_classpath, tmp_path):
    """kill -9: no LeaveGroup; the member is expired after session.timeout.ms (6000)."""
    _split_then_survivor(cluster_factory, java_classpath, tmp_path, lambda b: b.kill())


# --- Python clients and kcat ---

def _confluent_consume(bootstrap, topic, group, count):
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                         "enable.auto.commit": False, "session.timeout.ms": 6000})
    try:
        consumer.subscribe([topic])
        got = []

        def poll():
            for m in consumer.consume(num_messages=count - len(got), timeout=0.5):
                assert m.error() is None, m.error()
                got.append((m.partition(), m.offset(), m.value().decode()))
            return len(got) >= count

        wait_until(poll, timeout=120, interval=0, message=f"{count} records")
        committed = positions_after(got)
        consumer.commit(offsets=[TopicPartition(topic, p, o) for p, o in committed.items()], asynchronous=False)
        return got, committed
    finally:
        consumer.close()


def _kafka_python_consume(bootstrap, topic, group, count):
    from kafka import KafkaConsumer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                             enable_auto_commit=False, session_timeout_ms=6000, heartbeat_interval_ms=1000)
    try:
        got = []

        def poll():
            for records in consumer.poll(timeout_ms=500, max_records=count - len(got)).values():
                got.extend((r.partition, r.offset, r.value.decode()) for r in records)
            return len(got) >= count

        wait_until(poll, timeout=120, interval=0, message=f"{count} records")
        committed = positions_after(got)
        consumer.commit({TopicPartition(topic, p): OffsetAndMetadata(o, "", -1) for p, o in committed.items()})
        return got, committed
    finally:
        consumer.close()


def _kcat_consume(bootstrap, topic, group, count):
    """`kcat -G` (balanced consumer, auto commit of consumed offsets, final commit on exit)."""
    out = run(["kcat", "-b", bootstrap, "-G", group, "-X", "auto.offset.reset=earliest", "-c", str(count),
               "-f", "%p %o %s\\n", "-q", topic], timeout=180)
    assert out.returncode == 0, out.stderr
    got = []
    for line in out.stdout.splitlines():
        p, o, v = line.split(" ", 2)
        got.append((int(p), int(o), v))
    assert len(got) == count
    return got, positions_after(got)


def _client_round_trip(cluster_factory, consume, name):
    c = group_cluster(cluster_factory)
    topic, group = f"{name}-resume", f"{name}-g"
    acked = prepared_topic(c, topic)
    first, committed = consume(c.bootstrap, topic, group, N // 2)
    assert group_committed_offsets(c.bootstrap, group) == {(topic, p): o for p, o in committed.items()}
    second, _ = consume(c.bootstrap, topic, group, N - N // 2)
    check_resume(acked, first, committed, second)


def test_confluent_kafka_group_consumer_commits_and_resumes(cluster_factory):
    _client_round_trip(cluster_factory, _confluent_consume, "ck")


def test_kafka_python_group_consumer_commits_and_resumes(cluster_factory):
    _client_round_trip(cluster_factory, _kafka_python_consume, "kp")


def test_kcat_balanced_consumer_commits_and_resumes(cluster_factory):
    _client_round_trip(cluster_factory, _kcat_consume, "kcat")


# --- Coordinator restarts ---

def _restart_coordinator(cluster_factory, zookeeper, java_classpath, stop):
    c = group_cluster(cluster_factory)
    acked = prepared_topic(c, "restart")
    first, committed = java_consume(java_classpath, c.bootstrap, "restart", "restart-g", N // 2)
    coordinator = c.broker(group_coordinator(c.bootstrap, "restart-g"))
    stop(coordinator)
    # As Kafka, a broker id can register again only once the old registration is gone.
    wait_until(lambda: str(coordinator.broker_id) not in (children(zookeeper, c.chroot + "/brokers/ids") or []),
               timeout=60, message="the stopped broker's registration to go")
    coordinator.start()
    wait_until(lambda: sorted(children(zookeeper, c.chroot + "/brokers/ids") or []) == ["0", "1", "2"],
               timeout=60, message="three registered brokers")
    # The offsets partition is loaded again (here or on a new leader): the commits are there.
    wait_until(lambda: group_committed_offsets(c.bootstrap, "restart-g")
               == {("restart", p): o for p, o in committed.items()}, timeout=90, message="committed offsets served")
    second, _ = java_consume(java_classpath, c.bootstrap, "restart", "restart-g", N - N // 2)
    check_resume(acked, first, committed, second)


def test_committed_offsets_survive_a_sigterm_restart_of_the_coordinator(cluster_factory, zookeeper, java_classpath):
    def stop(broker):
        assert broker.stop() == 0

    _restart_coordinator(cluster_factory, zookeeper, java_classpath, stop)


def test_committed_offsets_survive_a_sigkill_restart_of_the_coordinator(cluster_factory, zookeeper, java_classpath):
    _restart_coordinator(cluster_factory, zookeeper, java_classpath, lambda broker: broker.kill())


# --- OffsetCommit generation and member checks (raw protocol) ---

def _stable_member(c, group, topic):
    """Joins `group` alone over the raw protocol (MEMBER_ID_REQUIRED, then JoinGroup/SyncGroup)
    at its coordinator. Returns (socket, member_id, generation)."""
    coordinator = c.broker(group_coordinator(c.bootstrap, group))
    sock = w.connect(coordinator.port, timeout=60)

    def join(member_id):
        result = w.join_group_v5(sock, group, member_id, [topic])
        return result if result["error"] not in (14, 16) else None  # loading / moved: retry

    first = wait_until(lambda: join(""), timeout=60, message="a JoinGroup answer")
    assert first["error"] == MEMBER_ID_REQUIRED and first["member_id"]
    me = first["member_id"]
    joined = w.join_group_v5(sock, group, me, [topic])
    assert joined["error"] == 0 and joined["leader"] == me and joined["members"] == [me]
    error, _ = w.sync_group_v3(sock, group, joined["generation"], me, {me: {topic: [0]}})
    assert error == 0
    return sock, me, joined["generation"]


def test_offset_commit_with_a_stale_generation_gets_illegal_generation(cluster_factory):
    c = group_cluster(cluster_factory)
    create_topic(c.bootstrap, "gen", 1)
    sock, me, generation = _stable_member(c, "gen-g", "gen")
    assert w.offset_commit_v7(sock, "gen-g", generation, me, {("gen", 0): 1}) == {("gen", 0): 0}
    # The leader rejoining starts a new generation.
    rejoined = w.join_group_v5(sock, "gen-g", me, ["gen"])
    assert rejoined["error"] == 0 and rejoined["generation"] > generation
    assert w.sync_group_v3(sock, "gen-g", rejoined["generation"], me, {me: {"gen": [0]}})[0] == 0
    assert w.offset_commit_v7(sock, "gen-g", generation, me, {("gen", 0): 2}) == {("gen", 0): ILLEGAL_GENERATION}
    assert w.offset_commit_v7(sock, "gen-g", rejoined["generation"], me, {("gen", 0): 3}) == {("gen", 0): 0}
    assert group_committed_offsets(c.bootstrap, "gen-g") == {("gen", 0): 3}


def test_offset_commit_from_an_unknown_member_gets_unknown_member_id(cluster_factory):
    c = group_cluster(cluster_factory)
    create_topic(c.bootstrap, "member", 1)
    sock, me, generation = _stable_member(c, "member-g", "member")
    assert w.offset_commit_v7(sock, "member-g", generation, "no-such-member", {("member", 0): 1}) == {
        ("member", 0): UNKNOWN_MEMBER_ID}
    assert group_committed_offsets(c.bootstrap, "member-g") == {}


# --- __consumer_offsets as a stock client sees it ---

def java_string_hash(s):
    """Java's String.hashCode (UTF-16 code units), as a signed 32-bit int."""
    h = 0
    for unit in struct.unpack(f">{len(s.encode('utf-16-be')) // 2}H", s.encode("utf-16-be")):
        h = (31 * h + unit) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def read_kafka_string(buf, pos):
    (length,) = struct.unpack_from(">h", buf, pos)
    pos += 2
    if length < 0:
        return None, pos
    return buf[pos:pos + length].decode(), pos + length


def test_offsets_topic_holds_kafka_shaped_records(cluster_factory):
    """A plain consumer assigned the group's `__consumer_offsets` partition reads an
    OffsetCommitKey v1 / OffsetCommitValue v3 record with the committed offset and metadata, and
    the GroupMetadataKey v2 record of the group's generation (Kafka's own schemas)."""
    from kafka import KafkaConsumer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    c = group_cluster(cluster_factory)
    topic, group = "shaped", "shaped-g"
    prepared_topic(c, topic)
    consumer = KafkaConsumer(topic, bootstrap_servers=c.bootstrap, group_id=group, auto_offset_reset="earliest",
                             enable_auto_commit=False, session_timeout_ms=6000, heartbeat_interval_ms=1000)
    try:
        wait_until(lambda: consumer.poll(timeout_ms=500), timeout=120, interval=0, message="first records")
        consumer.commit({TopicPartition(topic, 1): OffsetAndMetadata(7, "meta-7", -1)})
    finally:
        consumer.close()

    h = java_string_hash(group)
    partition = 0 if h == -(1 << 31) else abs(h) % 50  # offsets.topic.num.partitions default
    reader = KafkaConsumer(bootstrap_servers=c.bootstrap, enable_auto_commit=False)
    try:
        tp = TopicPartition("__consumer_offsets", partition)
        reader.assign([tp])
        reader.seek_to_beginning(tp)
        end = reader.end_offsets([tp])[tp]
        records = []
        wait_until(lambda: records.extend(r for rs in reader.poll(timeout_ms=500).values() for r in rs)
                   or reader.position(tp) >= end, timeout=60, interval=0, message="the offsets partition read")
    finally:
        reader.close()

    commits, generations = [], []
    for r in records:
        (key_version,) = struct.unpack_from(">h", r.key, 0)
        g, pos = read_kafka_string(r.key, 2)
        if g != group:
            continue
        if key_version == 1:  # OffsetCommitKey: group, topic, partition
            t, pos = read_kafka_string(r.key, pos)
            (p,) = struct.unpack_from(">i", r.key, pos)
            if r.value is None:
                continue
            value_version, offset, leader_epoch = struct.unpack_from(">hqi", r.value, 0)
            metadata, pos = read_kafka_string(r.value, 14)
            (commit_ts,) = struct.unpack_from(">q", r.value, pos)
            commits.append((t, p, value_version, offset, leader_epoch, metadata, commit_ts > 0))
        elif key_version == 2 and r.value is not None:  # GroupMetadataKey: group
            value_version = struct.unpack_from(">h", r.value, 0)[0]
            protocol_type, pos = read_kafka_string(r.value, 2)
            (generation,) = struct.unpack_from(">i", r.value, pos)
            generations.append((value_version, protocol_type, generation))
    assert (topic, 1, 3, 7, -1, "meta-7", True) in commits
    assert generations and all(v == 3 and t == "consumer" for v, t, _ in generations)
    assert max(gen for _, _, gen in generations) >= 1
