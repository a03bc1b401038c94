"""Helpers for tests driving the Python Kafka clients (confluent-kafka, kafka-python) against
Martlet: topic creation through the admin API and draining assigned partitions. No consumer
groups are used (they are not implemented yet): consumers are assigned partitions explicitly."""
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
