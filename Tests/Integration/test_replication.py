"""Follower replication on a real 3-broker ZooKeeper cluster: replica fetchers copy the leader's
log, acks=all waits for the ISR, a new leader after kill -9 serves every acknowledged record, a
restarted old leader catches up and rejoins the ISR, and a paused follower is shrunk out of the
ISR and re-added (written to ZooKeeper by the leader, seen by clients in Metadata)."""
import json
import signal
import struct
import time
from pathlib import Path

from conftest import run, wait_until
from test_cluster_zookeeper import children, create_topic, znode, zk_path

TOPIC = "durable"
N = 2000
OVERRIDES = {
    "min.insync.replicas": "2",
    "replica.lag.time.max.ms": "3000",
    # Long enough that a follower paused past the lag time keeps its session.
    "zookeeper.session.timeout.ms": "20000",
}


def log_end_offset(broker, topic=TOPIC, partition=0):
    """The log end offset of a broker's replica, read from its segment files (batch headers)."""
    directory = Path(broker.data) / "logs" / f"{topic}-{partition}"
    end = None
    for segment in sorted(directory.glob("*.log")):
        data = segment.read_bytes()
        pos = 0
        while pos + 61 <= len(data):
            base_offset, length = struct.unpack_from(">qi", data, pos)
            if length <= 0 or pos + 12 + length > len(data):
                break
            last_delta = struct.unpack_from(">i", data, pos + 23)[0]
            end = base_offset + last_delta + 1
            pos += 12 + length
    if end is None:
        # Empty log: the active segment's name is its base (= end) offset.
        names = sorted(directory.glob("*.log"))
        end = int(names[-1].stem) if names else None
    return end


def state(zookeeper, cluster, topic=TOPIC, partition=0):
    data = znode(zookeeper, zk_path(cluster, f"/brokers/topics/{topic}/partitions/{partition}/state"))
    return json.loads(data) if data else None


def produce_all(java_classpath, bootstrap):
    out = run(["java", "-cp", java_classpath, "RoundTrip", bootstrap, TOPIC, str(N), "none"], timeout=300)
    assert out.returncode == 0 and "OK produced=" in out.stdout, out.stdout + out.stderr


def drain_values(bootstrap, expected):
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                             request_timeout_ms=30000, consumer_timeout_ms=1000)
    try:
        tp = TopicPartition(TOPIC, 0)
        consumer.assign([tp])
        consumer.seek(tp, 0)
        values = []
        deadline = time.monotonic() + 120
        while len(values) < expected and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000, max_records=5000).values():
                values.extend(r.value.decode() for r in records)
        return values
    finally:
        consumer.close()


def produce(bootstrap, n, acks):
    """Produces `n` records with confluent-kafka; fails unless every one is acknowledged."""
    from confluent_kafka import Producer

    errors = []
    producer = Producer({"bootstrap.servers": bootstrap, "acks": acks, "linger.ms": 5})
    for i in range(n):
        producer.produce(TOPIC, value=f"extra-{i}", partition=0,
                         on_delivery=lambda err, _msg: err is not None and errors.append(err))
    assert producer.flush(60) == 0
    assert errors == []


def isr_in_metadata(bootstrap):
    """The partition's ISR in a Metadata answer (confluent-kafka), sorted."""
    from confluent_kafka.admin import AdminClient

    md = AdminClient({"bootstrap.servers": bootstrap}).list_topics(TOPIC, timeout=10)
    return sorted(md.topics[TOPIC].partitions[0].isrs)


def test_replicas_converge_and_failover_keeps_acknowledged_records(cluster_factory, zookeeper, java_classpath):
    c = cluster_factory(3, OVERRIDES)
    create_topic(java_classpath, c.bootstrap, TOPIC, 1, 3)
    produce_all(java_classpath, c.bootstrap)

    # Every replica ends with the leader's log end offset, all in the ISR.
    wait_until(lambda: {log_end_offset(b) for b in c.brokers} == {N}, timeout=60,
               message="all replicas at the same log end offset")
    assert sorted(state(zookeeper, c)["isr"]) == [0, 1, 2]

    # kill -9 the leader: a replica from the ISR takes over with every acknowledged record.
    old_leader = state(zookeeper, c)["leader"]
    c.broker(old_leader).proc.send_signal(signal.SIGKILL)
    c.broker(old_leader).proc.wait(10)
    new_state = wait_until(lambda: (s := state(zookeeper, c)) and s["leader"] not in (old_leader, -1) and s,
                           timeout=60, message="a new leader")
    assert new_state["leader"] in (0, 1, 2)
    values = drain_values(c.bootstrap, N)
    assert sorted(values, key=lambda v: int(v.split("-")[1])) == [f"value-{i}" for i in range(N)]

    # The old leader comes back as a follower, catches up, and rejoins the ISR.
    c.broker(old_leader).start()
    wait_until(lambda: children(zookeeper, zk_path(c, "/brokers/ids")) == ["0", "1", "2"], message="re-registered")
    wait_until(lambda: sorted(state(zookeeper, c)["isr"]) == [0, 1, 2], timeout=60,
               message="old leader back in the ISR (ZooKeeper)")
    wait_until(lambda: isr_in_metadata(c.bootstrap) == [0, 1, 2], timeout=60,
               message="old leader back in the ISR (Metadata)")
    assert log_end_offset(c.broker(old_leader)) == N


def test_paused_follower_leaves_and_rejoins_the_isr(cluster_factory, zookeeper, java_classpath):
    c = cluster_factory(3, OVERRIDES)
    create_topic(java_classpath, c.bootstrap, TOPIC, 1, 3)
    wait_until(lambda: (s := state(zookeeper, c)) and sorted(s["isr"]) == [0, 1, 2], message="full ISR")
    leader = state(zookeeper, c)["leader"]
    # Not the controller either: it must process the ISR change notification meanwhile.
    controller = json.loads(znode(zookeeper, zk_path(c, "/controller")))["brokerid"]
    follower = next(b for b in c.brokers if b.broker_id not in (leader, controller))
    others = ",".join(b.bootstrap for b in c.brokers if b is not follower)

    follower.proc.send_signal(signal.SIGSTOP)
    try:
        # An idle follower at the leader's end stays in sync (Kafka's rule): give it something to miss.
        produce(others, 10, acks="1")
        # The leader shrinks the ISR itself (same leader epoch, new znode version) ...
        before = state(zookeeper, c)
        shrunk = wait_until(lambda: (s := state(zookeeper, c)) and follower.broker_id not in s["isr"] and s,
                            timeout=15, message="follower shrunk out of the ISR in ZooKeeper")
        assert shrunk["leader"] == leader and shrunk["leader_epoch"] == before["leader_epoch"]
        # ... and the controller propagates it (isr_change_notification -> UpdateMetadata).
        wait_until(lambda: follower.broker_id not in isr_in_metadata(others), timeout=15,
                   message="follower shrunk out of the ISR in Metadata")
    finally:
        follower.proc.send_signal(signal.SIGCONT)

    wait_until(lambda: sorted(state(zookeeper, c)["isr"]) == [0, 1, 2], timeout=30,
               message="follower back in the ISR (ZooKeeper)")
    wait_until(lambda: isr_in_metadata(c.bootstrap) == [0, 1, 2], timeout=30,
               message="follower back in the ISR (Metadata)")
    # Still a working RF 3 / min ISR 2 topic (acks=all), every replica with every record.
    produce(c.bootstrap, 100, acks="all")
    wait_until(lambda: {log_end_offset(b) for b in c.brokers} == {110}, timeout=60, message="replicas converge")
