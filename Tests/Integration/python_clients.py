"""Helpers for tests driving the Python Kafka clients (confluent-kafka, kafka-python) against
Martlet: topic creation through the admin API, draining assigned partitions, and consumer-group
helpers (committed offsets, the group's coordinator)."""
import time

from conftest import wait_until


def create_topic(bootstrap, name, partitions, replication_factor=1, config=None):
    """Creates `name` with confluent-kafka's AdminClient (CreateTopics) and waits until every
    broker in `bootstrap` reports all its partitions with a leader."""
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics(
        [NewTopic(name, num_partitions=partitions, replication_factor=replication_factor, config=config or {})],
        operation_timeout=30, request_timeout=30)
    futures[name].result(60)

    # Metadata reaches each broker through its own UpdateMetadata: ask every broker itself.
    per_broker = [AdminClient({"bootstrap.servers": b}) for b in bootstrap.split(",")]

    def ready():
        for client in per_broker:
            md = client.list_topics(name, timeout=10)
            t = md.topics.get(name)
            if not (t is not None and t.error is None and len(t.partitions) == partitions
                    and all(p.leader >= 0 for p in t.partitions.values())):
                return False
        return True

    wait_until(ready, message=f"topic {name} with {partitions} led partitions")


def partition_leaders(bootstrap, topic):
    """{partition: leader broker id} as confluent-kafka's Metadata sees it."""
    from confluent_kafka.admin import AdminClient

    md = AdminClient({"bootstrap.servers": bootstrap}).list_topics(topic, timeout=10)
    return {p.id: p.leader for p in md.topics[topic].partitions.values()}


def confluent_drain(bootstrap, topic, partitions, expected, extra=None, timeout=120.0):
    """Reads `expected` records from the beginning of `partitions` with a plain confluent-kafka
    Consumer (assign, no group membership, no commits). Returns the Message objects in the order
    received. Fails on a consumer error other than partition EOF."""
    from confluent_kafka import Consumer, KafkaError, TopicPartition

    conf = {"bootstrap.servers": bootstrap, "group.id": "martlet-test-unused", "enable.auto.commit": False,
            "enable.partition.eof": False}
    conf.update(extra or {})
    consumer = Consumer(conf)
    try:
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        got = []
        deadline = time.monotonic() + timeout
        while len(got) < expected and time.monotonic() < deadline:
            for m in consumer.consume(num_messages=1000, timeout=1.0):
                if m.error():
                    assert m.error().code() == KafkaError._PARTITION_EOF, m.error()
                    continue
                got.append(m)
        return got
    finally:
        consumer.close()


def kafka_python_drain(bootstrap, topic, partitions, expected, timeout=120.0):
    """Reads `expected` records from offset 0 of `partitions` with kafka-python's KafkaConsumer
    (assign + seek, no group). Returns ConsumerRecords in the order received."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                             request_timeout_ms=30000, consumer_timeout_ms=1000)
    try:
        tps = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, 0)
        got = []
        deadline = time.monotonic() + timeout
        while len(got) < expected and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000, max_records=5000).values():
                got.extend(records)
        return got
    finally:
        consumer.close()


# --- Consumer-group helpers (test_consumer_groups.py, test_admin_cli.py) ---

def produce_numbered(bootstrap, topic, n, partitions):
    """Produces values "v-0".."v-{n-1}" with confluent-kafka (acks=all), record i to partition
    i % partitions. Returns {(partition, offset): value}."""
    from confluent_kafka import Producer

    acked, errors = {}, []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(err)
        else:
            acked[(msg.partition(), msg.offset())] = msg.value().decode()

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5})
    for i in range(n):
        producer.produce(topic, value=f"v-{i}", partition=i % partitions, on_delivery=on_delivery)
        producer.poll(0)
    assert producer.flush(60) == 0
    assert errors == [] and len(acked) == n
    return acked


def group_committed_offsets(bootstrap, group):
    """{(topic, partition): offset} committed by `group`, read with kafka-python's
    KafkaAdminClient.list_group_offsets (OffsetFetch at the coordinator)."""
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30000)
    try:
        offsets = admin.list_group_offsets({group: None}).get(group, {})
        return {(tp.topic, tp.partition): om.offset for tp, om in offsets.items() if om.offset >= 0}
    finally:
        admin.close()


def group_coordinator(bootstrap, group):
    """The coordinator's broker id for `group` (FindCoordinator via kafka_wire on the first
    bootstrap broker; retried while the coordinator is not available yet)."""
    import kafka_wire as w

    port = int(bootstrap.split(",")[0].rsplit(":", 1)[1])

    def find():
        s = w.connect(port)
        try:
            error, node, _host, _port = w.find_coordinator_v2(s, group)
            return (node,) if error == 0 else None  # a tuple: broker id 0 is falsy
        finally:
            s.close()

    return wait_until(find, timeout=60, message=f"a coordinator for group {group}")[0]
