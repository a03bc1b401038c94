"""Round trips with the Python clients against a 3-broker ZooKeeper cluster (RF=1 topics, the
partitions spread over the brokers): confluent-kafka (librdkafka) and kafka-python producers and
consumers, with keys, null keys, headers, null values and several compression codecs. Every
acknowledged record comes back exactly once, byte for byte, at the offset it was acknowledged
at, in order per partition."""
from python_clients import confluent_drain, create_topic, kafka_python_drain

PARTITIONS = 3
N = 600


def record(i, null_header=True):
    """(key, value, headers) of record i: some null keys, some null values, headers on most
    (including a repeated header name and, unless `null_header` is false, a header with a null
    value, which kafka-python's producer cannot send)."""
    key = None if i % 10 == 3 else f"key-{i % 13}".encode()
    value = None if i % 10 == 7 else (f"value-{i}-" + "x" * (i % 50)).encode()
    headers = [] if i % 5 == 0 else [("h-index", str(i).encode()), ("h-dup", b"a"), ("h-dup", b"b")] + (
        [("h-null", None)] if null_header else [])
    return key, value, headers


def _check_round_trip(acked, read, null_header=True):
    """`acked`: {(partition, offset): i}; `read`: [(partition, offset, key, value, headers)].
    Every acknowledged record is read exactly once with its content; offsets are dense and
    ascending per partition."""
    assert len(acked) == N
    seen = {}
    for partition, offset, key, value, headers in read:
        assert (partition, offset) not in seen, f"duplicate {partition}/{offset}"
        i = acked.get((partition, offset))
        assert i is not None, f"unacknowledged record at {partition}/{offset}"
        want_key, want_value, want_headers = record(i, null_header)
        assert (key, value) == (want_key, want_value), f"record {i} at {partition}/{offset}"
        assert list(headers) == want_headers, f"headers of record {i}"
        seen[(partition, offset)] = i
    assert len(seen) == N
    for p in range(PARTITIONS):
        offsets = [o for (q, o, *_rest) in read if q == p]
        assert offsets == list(range(len(offsets))), f"partition {p} out of order or with gaps"
    # Records with the same (non-null) key land on one partition.
    by_key = {}
    for (p, _), i in acked.items():
        key = record(i)[0]
        if key is not None:
            by_key.setdefault(key, set()).add(p)
    assert all(len(ps) == 1 for ps in by_key.values())


def _confluent_produce(bootstrap, topic, compression):
    from confluent_kafka import Producer

    acked, errors = {}, []

    def on_delivery(err, msg, i):
        if err is not None:
            errors.append((i, err))
        else:
            acked[(msg.partition(), msg.offset())] = i

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "compression.type": compression,
                         "linger.ms": 5, "batch.num.messages": 100, "message.timeout.ms": 60000})
    for i in range(N):
        key, value, headers = record(i)
        producer.produce(topic, value=value, key=key, headers=headers,
                         on_delivery=lambda err, msg, i=i: on_delivery(err, msg, i))
        producer.poll(0)
    assert producer.flush(60) == 0
    assert errors == []
    return acked


def _confluent_headers(m):
    return m.headers() or []


def test_confluent_kafka_round_trip_every_codec(cluster_factory):
    c = cluster_factory(3)
    for compression in ["none", "gzip", "snappy", "lz4", "zstd"]:
        topic = f"ck-{compression}"
        create_topic(c.bootstrap, topic, PARTITIONS)
        acked = _confluent_produce(c.bootstrap, topic, compression)
        got = confluent_drain(c.bootstrap, topic, range(PARTITIONS), N)
        read = [(m.partition(), m.offset(), m.key(), m.value(), _confluent_headers(m)) for m in got]
        _check_round_trip(acked, read)


def test_confluent_kafka_plain_consumer_without_auto_commit_reads_by_assignment(cluster_factory):
    """The plain Consumer with `enable.auto.commit=false`, assigned each partition at offset 0,
    reads back what confluent-kafka produced, one partition at a time."""
    c = cluster_factory(3)
    topic = "ck-assign"
    create_topic(c.bootstrap, topic, PARTITIONS)
    acked = _confluent_produce(c.bootstrap, topic, "lz4")
    read = []
    for p in range(PARTITIONS):
        expected = sum(1 for (q, _) in acked if q == p)
        got = confluent_drain(c.bootstrap, topic, [p], expected, extra={"fetch.wait.max.ms": 100})
        assert {m.partition() for m in got} <= {p}
        read += [(m.partition(), m.offset(), m.key(), m.value(), _confluent_headers(m)) for m in got]
    _check_round_trip(acked, read)


def _kafka_python_produce(bootstrap, topic, compression):  # records without null header values
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", compression_type=compression,
                             linger_ms=5, batch_size=8192, request_timeout_ms=30000)
    try:
        futures = []
        for i in range(N):
            key, value, headers = record(i, null_header=False)
            futures.append((i, producer.send(topic, key=key, value=value, headers=headers)))
        producer.flush(60)
        acked = {}
        for i, f in futures:
            md = f.get(60)
            acked[(md.partition, md.offset)] = i
        return acked
    finally:
        producer.close()


def test_kafka_python_round_trip(cluster_factory):
    """kafka-python producer and consumer (assign + seek, no group) with every codec (snappy, lz4
    and zstd through the python-snappy, lz4 and zstandard packages scripts/install-deps.sh
    installs), plus a topic written by confluent-kafka and read by kafka-python."""
    from kafka.codec import has_gzip, has_lz4, has_snappy, has_zstd

    assert has_gzip() and has_snappy() and has_lz4() and has_zstd()
    c = cluster_factory(3)
    for compression in [None, "gzip", "snappy", "lz4", "zstd"]:
        topic = f"kp-{compression or 'none'}"
        create_topic(c.bootstrap, topic, PARTITIONS)
        acked = _kafka_python_produce(c.bootstrap, topic, compression)
        got = kafka_python_drain(c.bootstrap, topic, range(PARTITIONS), N)
        read = [(r.partition, r.offset, r.key, r.value, list(r.headers)) for r in got]
        _check_round_trip(acked, read, null_header=False)
    # Cross-client: confluent-kafka writes gzip batches, kafka-python reads them.
    topic = "ck-to-kp"
    create_topic(c.bootstrap, topic, PARTITIONS)
    acked = _confluent_produce(c.bootstrap, topic, "gzip")
    got = kafka_python_drain(c.bootstrap, topic, range(PARTITIONS), N)
    _check_round_trip(acked, [(r.partition, r.offset, r.key, r.value, list(r.headers)) for r in got])
