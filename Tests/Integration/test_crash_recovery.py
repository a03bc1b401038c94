"""A broker killed with SIGKILL while a producer (acks=all) streams into it comes back, with the
same config and log dirs, holding every acknowledged record at its acknowledged offset; new
appends continue at the recovered log end offsets."""
from conftest import free_port_below_32768, wait_until
from test_cluster_zookeeper import children
from python_clients import confluent_drain, create_topic

TOPIC = "crash"
PARTITIONS = 3


def _watermarks(bootstrap):
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "martlet-test-unused", "enable.auto.commit": False})
    try:
        return {p: consumer.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=30) for p in range(PARTITIONS)}
    finally:
        consumer.close()


def test_sigkill_mid_stream_keeps_every_acknowledged_record(cluster_factory, zookeeper):
    from confluent_kafka import Producer

    port = free_port_below_32768()  # the same listener across the restart, as a daemon would have
    c = cluster_factory(1, overrides={"listeners": f"PLAINTEXT://127.0.0.1:{port}"})
    broker = c.brokers[0]
    create_topic(c.bootstrap, TOPIC, PARTITIONS)

    acked = {}  # (partition, offset) -> value
    producer = Producer({"bootstrap.servers": c.bootstrap, "acks": "all", "linger.ms": 2,
                         "batch.num.messages": 50, "message.timeout.ms": 30000})

    def on_delivery(err, msg):
        if err is None:
            acked[(msg.partition(), msg.offset())] = msg.value()

    i = 0
    while len(acked) < 3000:  # still producing when the broker dies
        producer.produce(TOPIC, key=f"k{i % 17}", value=f"value-{i}", on_delivery=on_delivery)
        producer.poll(0)
        i += 1
        if i % 500 == 0:
            producer.poll(0.01)
    broker.kill()  # SIGKILL
    producer.purge()
    producer.flush(0)
    acked_before_kill = dict(acked)
    assert len(acked_before_kill) >= 3000
    del producer

    # As Kafka, a broker refuses to start while its id is still registered by the dead
    # process's ZooKeeper session; that session expires after zookeeper.session.timeout.ms.
    wait_until(lambda: children(zookeeper, c.chroot + "/brokers/ids") == [], timeout=60,
               message="the killed broker's registration to expire")
    broker.start()
    assert broker.port == port
    wait_until(lambda: all(lo == 0 for lo, _ in _watermarks(c.bootstrap).values()), message="partitions served again")
    marks = _watermarks(c.bootstrap)
    total = sum(hi for _, hi in marks.values())
    # Everything acknowledged is below the high watermark...
    for (p, offset) in acked_before_kill:
        assert offset < marks[p][1], f"acknowledged {p}/{offset} beyond recovered high watermark {marks[p][1]}"
    # ...and reads back with its value; offsets are dense from 0 in every partition.
    got = confluent_drain(c.bootstrap, TOPIC, range(PARTITIONS), total)
    assert len(got) == total
    read = {(m.partition(), m.offset()): m.value() for m in got}
    for p in range(PARTITIONS):
        assert sorted(o for (q, o) in read if q == p) == list(range(marks[p][1]))
    for key, value in acked_before_kill.items():
        assert read[key] == value, key

    # New appends continue at the recovered log end offset of each partition.
    after = {}
    producer = Producer({"bootstrap.servers": c.bootstrap, "acks": "all"})
    for p in range(PARTITIONS):
        producer.produce(TOPIC, value=f"after-{p}", partition=p,
                         on_delivery=lambda err, msg: after.__setitem__(msg.partition(), (err, msg.offset())))
    assert producer.flush(60) == 0
    assert after == {p: (None, marks[p][1]) for p in range(PARTITIONS)}
