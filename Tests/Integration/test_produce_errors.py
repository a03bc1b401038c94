"""Produce (and Fetch) error paths with raw frames (Produce v3, Fetch v4) against a 2-broker
ZooKeeper cluster with `message.max.bytes=4000`: each error is answered on its partition with
Kafka's code, and the broker keeps serving the connection, except for acks=0 failures, where
Kafka's answer is to close the connection."""
import pytest

import kafka_records as kr
import kafka_wire as w
from conftest import Cluster, ZooKeeperServer
from python_clients import create_topic, partition_leaders

NONE, OFFSET_OUT_OF_RANGE, CORRUPT_MESSAGE, UNKNOWN_TOPIC_OR_PARTITION = 0, 1, 2, 3
NOT_LEADER_OR_FOLLOWER, MESSAGE_TOO_LARGE, INVALID_REQUIRED_ACKS = 6, 10, 21


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("produce-errors")
    zk = ZooKeeperServer(workdir / "zookeeper").start()
    c = Cluster(workdir, zk, 2, overrides={"message.max.bytes": "4000"})
    try:
        c.start()
        create_topic(c.bootstrap, "errs", 2)
        create_topic(c.bootstrap, "small", 1, config={"max.message.bytes": "1000"})
        yield c
    finally:
        c.kill_all()
        zk.stop()


def leader_port(c, topic, partition):
    return c.broker(partition_leaders(c.bootstrap, topic)[partition]).port


def test_batch_over_topic_max_message_bytes_is_message_too_large(cluster):
    port = leader_port(cluster, "small", 0)
    assert kr.produce(port, "small", 0, [(None, b"x" * 2000)])[0] == MESSAGE_TOO_LARGE
    assert kr.produce(port, "small", 0, [(None, b"x" * 500)]) == (NONE, 0)


def test_batch_over_broker_message_max_bytes_is_message_too_large(cluster):
    port = leader_port(cluster, "errs", 0)
    assert kr.produce(port, "errs", 0, [(None, b"x" * 6000)])[0] == MESSAGE_TOO_LARGE
    error, _ = kr.produce(port, "errs", 0, [(None, b"x" * 2000)])  # above the topic "small"'s limit, below the broker's
    assert error == NONE


def test_missing_partition_is_unknown_topic_or_partition(cluster):
    for b in cluster.brokers:
        assert kr.produce(b.port, "errs", 7, [(None, b"v")])[0] == UNKNOWN_TOPIC_OR_PARTITION
        assert kr.produce(b.port, "no-such-topic-and-no-auto-create-on-produce", 0, [(None, b"v")])[0] \
            == UNKNOWN_TOPIC_OR_PARTITION


def test_producing_to_a_broker_that_does_not_lead_is_not_leader_or_follower(cluster):
    leaders = partition_leaders(cluster.bootstrap, "errs")
    assert set(leaders.values()) == {0, 1}, leaders  # both brokers lead one partition (RF=1)
    for partition, leader in leaders.items():
        other = cluster.broker(1 - leader)
        assert kr.produce(other.port, "errs", partition, [(None, b"v")])[0] == NOT_LEADER_OR_FOLLOWER


def test_acks_two_is_invalid_required_acks(cluster):
    port = leader_port(cluster, "errs", 1)
    assert kr.produce(port, "errs", 1, [(None, b"v")], acks=2)[0] == INVALID_REQUIRED_ACKS


def test_batch_with_a_wrong_crc_is_corrupt_message(cluster):
    port = leader_port(cluster, "errs", 1)
    assert kr.produce(port, "errs", 1, [(b"k", b"v")], corrupt_crc=True)[0] == CORRUPT_MESSAGE
    # Nothing was appended: the next good batch... is acknowledged and reads back alone at its offset.
    error, base = kr.produce(port, "errs", 1, [(b"k", b"good")])
    assert error == NONE
    s = w.connect(port)
    try:
        s.sendall(kr.fetch_request(5, "errs", 1, base, max_wait_ms=0))
        _, [(_, _, error, high_watermark, records)] = kr.parse_fetch_response_v4(w.recv_frame(s))
        assert (error, high_watermark) == (NONE, base + 1)
        assert records[0] == (base, b"k", b"good")
    finally:
        s.close()


def test_acks_zero_failure_closes_the_connection_and_success_does_not(cluster):
    port = leader_port(cluster, "errs", 0)
    ok = w.connect(port)
    try:
        ok.sendall(kr.produce_request(1, "errs", 0, kr.record_batch([(None, b"fire-and-forget")]), acks=0))
        ok.sendall(w.api_versions_request(0, 2))  # answered: the acks=0 produce sent nothing back
        corr, error, _ = w.parse_api_versions_v0(w.recv_frame(ok))
        assert (corr, error) == (2, 0)
    finally:
        ok.close()
    for bad in [kr.produce_request(3, "errs", 9, kr.record_batch([(None, b"v")]), acks=0),
                kr.produce_request(4, "errs", 0, kr.record_batch([(None, b"v")], corrupt_crc=True), acks=0)]:
        s = w.connect(port)
        try:
            s.sendall(bad)
            assert w.is_closed(s, timeout=30)
        finally:
            s.close()


def test_fetch_beyond_the_log_end_is_offset_out_of_range(cluster):
    port = leader_port(cluster, "small", 0)
    error, base = kr.produce(port, "small", 0, [(None, b"v")])
    assert error == NONE
    s = w.connect(port)
    try:
        s.sendall(kr.fetch_request(6, "small", 0, base + 100, max_wait_ms=0))
        _, [(topic, partition, error, high_watermark, records)] = kr.parse_fetch_response_v4(w.recv_frame(s))
        assert (topic, partition, error, high_watermark, records) == ("small", 0, OFFSET_OUT_OF_RANGE, base + 1, [])
        s.sendall(kr.fetch_request(7, "small", 0, -5, max_wait_ms=0))
        _, [(_, _, error, _, _)] = kr.parse_fetch_response_v4(w.recv_frame(s))
        assert error == OFFSET_OUT_OF_RANGE
    finally:
        s.close()
