"""Idempotent producers whose Produce responses are lost retry batches the broker has already
appended; the broker recognises the duplicates (same producer id, epoch and sequence) and the
log holds every record exactly once.

One broker behind `ResponseDroppingProxy` (loopback): the broker listens on one port and
advertises the proxy's, so every client connection, bootstrap and metadata-directed alike, goes
through the proxy. The proxy loses the responses to the first Produce requests, after the broker
appended them (a response exists only once the append is done)."""
import pytest

from conftest import free_port_below_32768, run
from fault_proxy import ResponseDroppingProxy
from python_clients import confluent_drain, create_topic

DROPS = 3


@pytest.fixture
def proxied_broker(cluster_factory):
    """(proxy factory): make(mode) -> (proxy, bootstrap) for a fresh 1-broker cluster."""
    proxies = []

    def make(mode):
        proxy = ResponseDroppingProxy(DROPS, mode)
        proxies.append(proxy)
        listen = free_port_below_32768()
        # Forwarding first: the broker's own controller reaches it through the advertised (proxy)
        # address, and the broker reports "started" only once that UpdateMetadata arrived.
        proxy.start(listen)
        c = cluster_factory(1, overrides={
            "listeners": f"PLAINTEXT://127.0.0.1:{listen}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{proxy.port}",
        })
        assert c.brokers[0].port == proxy.port  # the broker announces the proxy's address
        return proxy, c.bootstrap

    yield make
    for p in proxies:
        p.close()


def log_end_offsets(bootstrap, topic, partitions):
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "martlet-test-unused",
                         "enable.auto.commit": False})
    try:
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1] for p in partitions}
    finally:
        consumer.close()


def assert_exactly_once(bootstrap, topic, partitions, n):
    """Every value `value-0`..`value-{n-1}` is in the log once, and the logs hold n records in all
    (no duplicate record, whatever its value)."""
    ends = log_end_offsets(bootstrap, topic, partitions)
    got = confluent_drain(bootstrap, topic, partitions, n)
    values = [m.value().decode() for m in got]
    assert sorted(values) == sorted(f"value-{i}" for i in range(n))
    assert sum(ends.values()) == n, ends


@pytest.mark.parametrize("mode", ["close", "hold"])
def test_confluent_idempotent_producer_retries_leave_each_record_once(proxied_broker, mode):
    from confluent_kafka import Producer

    proxy, bootstrap = proxied_broker(mode)
    topic = f"idem-ck-{mode}"
    create_topic(bootstrap, topic, 2)
    n = 5000
    errors, acked = [], set()

    def on_delivery(err, msg):
        if err is not None:
            errors.append(err)
        else:
            assert (msg.partition(), msg.offset()) not in acked  # distinct offsets for distinct records
            acked.add((msg.partition(), msg.offset()))

    producer = Producer({
        "bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
        "linger.ms": 5, "batch.num.messages": 200, "message.timeout.ms": 120000,
        # Client-side request timeout, so that a held response is given up on and retried.
        "socket.timeout.ms": 3000,
    })
    for i in range(n):
        producer.produce(topic, key=f"k{i % 11}", value=f"value-{i}", on_delivery=on_delivery)
        producer.poll(0)
    assert producer.flush(150) == 0
    assert errors == []
    assert len(acked) == n
    assert proxy.dropped == DROPS
    assert_exactly_once(bootstrap, topic, range(2), n)


def test_java_default_producer_retries_leave_each_record_once(proxied_broker, java_classpath):
    """The Java KafkaProducer with its defaults (idempotent, acks=all); RoundTrip also checks that
    per partition the records come back in acknowledgement order without duplicates."""
    proxy, bootstrap = proxied_broker("close")
    topic = "idem-java"
    create_topic(bootstrap, topic, 3)
    n = 20000
    out = run(["java", "-cp", java_classpath, "RoundTrip", bootstrap, topic, str(n), "lz4"], timeout=300)
    assert f"OK produced={n} consumed={n} partitions=3" in out.stdout, out.stdout + out.stderr[-3000:]
    assert proxy.dropped == DROPS
    assert_exactly_once(bootstrap, topic, range(3), n)
