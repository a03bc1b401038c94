"""The data path against a 3-broker ZooKeeper cluster with stock clients: produce, consume, offsets."""
import subprocess

from conftest import run, wait_until
from test_cluster_zookeeper import create_topic, raw_metadata


def test_kcat_produce_and_consume_round_trip(cluster_factory, java_classpath):
    c = cluster_factory(3)
    create_topic(java_classpath, c.bootstrap, "kcat-rt", 3, 1)
    wait_until(lambda: raw_metadata(c.brokers[0].port, ["kcat-rt"])[3][0][3] == 3, message="topic")
    lines = "".join(f"key{i % 7}:value-{i}\n" for i in range(2000))
    out = subprocess.run(["kcat", "-b", c.bootstrap, "-P", "-t", "kcat-rt", "-K", ":", "-X", "acks=all"],
                         input=lines, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    got = run(["kcat", "-b", c.bootstrap, "-C", "-t", "kcat-rt", "-e", "-q", "-f", "%p|%o|%k|%s\n"], timeout=120)
    assert got.returncode == 0, got.stderr
    records = [line.split("|") for line in got.stdout.splitlines()]
    assert len(records) == 2000
    assert sorted(r[3] for r in records) == sorted(f"value-{i}" for i in range(2000))
    # Same key, same partition; offsets dense and ordered per partition.
    by_key = {}
    for p, _, k, _ in records:
        by_key.setdefault(k, set()).add(p)
    assert all(len(ps) == 1 for ps in by_key.values())
    for p in {r[0] for r in records}:
        offsets = [int(r[1]) for r in records if r[0] == p]
        assert offsets == list(range(len(offsets)))


import pytest


@pytest.mark.parametrize("compression", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_java_producer_defaults_and_consumer_round_trip(cluster_factory, java_classpath, compression):
    c = cluster_factory(3)
    topic = f"java-{compression}"
    create_topic(java_classpath, c.bootstrap, topic, 6, 1)
    wait_until(lambda: all(raw_metadata(b.port, [topic])[3][0][3] == 6 for b in c.brokers), message="topic everywhere")
    out = run(["java", "-cp", java_classpath, "RoundTrip", c.bootstrap, topic, "100000", compression], timeout=300)
    assert "OK produced=100000 consumed=100000 partitions=6" in out.stdout, out.stdout + out.stderr[-3000:]


def test_producing_to_a_missing_topic_auto_creates_it(cluster_factory):
    c = cluster_factory(3, overrides={"num.partitions": "4"})
    out = subprocess.run(["kcat", "-b", c.bootstrap, "-P", "-t", "auto-made", "-X", "acks=all"],
                         input="".join(f"m{i}\n" for i in range(100)), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    wait_until(lambda: all(raw_metadata(b.port, ["auto-made"])[3][0][3] == 4 for b in c.brokers),
               message="auto-created topic with num.partitions partitions everywhere")
    got = run(["kcat", "-b", c.bootstrap, "-C", "-t", "auto-made", "-e", "-q"], timeout=120)
    assert sorted(got.stdout.split()) == sorted(f"m{i}" for i in range(100))


def test_auto_creation_can_be_disabled(cluster_factory):
    c = cluster_factory(1, overrides={"auto.create.topics.enable": "false"})
    err, name = raw_metadata(c.brokers[0].port, ["not-made"])[3][0][:2]
    assert (err, name) == (3, "not-made")


def test_delete_records_moves_the_log_start(cluster_factory, java_classpath):
    from kafka import TopicPartition
    from kafka.admin import KafkaAdminClient

    c = cluster_factory(1)
    create_topic(java_classpath, c.bootstrap, "trimmed", 1, 1)
    out = subprocess.run(["kcat", "-b", c.bootstrap, "-P", "-t", "trimmed", "-p", "0"],
                         input="".join(f"r{i}\n" for i in range(100)), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    admin = KafkaAdminClient(bootstrap_servers=c.bootstrap, request_timeout_ms=15000)
    try:
        result = admin.delete_records({TopicPartition("trimmed", 0): 40})
        assert result[TopicPartition("trimmed", 0)]["low_watermark"] == 40
    finally:
        admin.close()
    got = run(["kcat", "-b", c.bootstrap, "-C", "-t", "trimmed", "-o", "beginning", "-e", "-q", "-f", "%o %s\n"],
              timeout=60)
    lines = got.stdout.split("\n")
    records = [line.split() for line in lines if line]
    assert records[0] == ["40", "r40"] and len(records) == 60


def test_topic_config_changes_through_the_admin_client_apply_on_the_broker(cluster_factory, java_classpath):
    import kafka_records as kr

    c = cluster_factory(2)
    create_topic(java_classpath, c.bootstrap, "tunable", 1, 1)
    wait_until(lambda: raw_metadata(c.brokers[0].port, ["tunable"])[3][0][3] == 1, message="topic")
    out = run(["java", "-cp", java_classpath, "AdminProbe", c.bootstrap, "set-topic-config", "tunable",
               "max.message.bytes", "600"], timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    described = run(["java", "-cp", java_classpath, "AdminProbe", c.bootstrap, "describe-topic-config", "tunable"],
                    timeout=120)
    assert "max.message.bytes=600 DYNAMIC_TOPIC_CONFIG" in described.stdout, described.stdout + described.stderr
    assert "cleanup.policy=delete DEFAULT_CONFIG" in described.stdout
    # The leader applies the new limit once the change notification arrives.
    leader_port = c.broker(_leader_of(c, "tunable")).port

    def refused():
        error, _ = kr.produce(leader_port, "tunable", 0, [(b"k", b"x" * 1000)])
        return error == 10
    assert wait_until(refused, timeout=30, message="MESSAGE_TOO_LARGE after the config change")
    assert kr.produce(leader_port, "tunable", 0, [(b"k", b"y" * 100)])[0] == 0


def _leader_of(cluster, topic):
    from python_clients import partition_leaders
    return partition_leaders(cluster.bootstrap, topic)[0]
