"""Long-poll Fetch (raw Fetch v4 frames): a fetch parked on an empty partition with min.bytes 1
is completed by the append that gives it data, and carries that data; a fetch with max.wait 0
returns at once, empty. No timing thresholds: the parked fetches are answered only through an
append (the one with max.wait = 2^31-1 ms has no timer that could end it within the test), and
the socket timeouts are failure guards only."""
import kafka_records as kr
import kafka_wire as w
from python_clients import create_topic

TOPIC = "long-poll"


def _single_broker_topic(cluster_factory):
    c = cluster_factory(1)
    create_topic(c.bootstrap, TOPIC, 1)
    return c.brokers[0]


def _park_then_produce(broker, max_wait_ms):
    fetcher = w.connect(broker.port, timeout=120)
    try:
        fetcher.sendall(kr.fetch_request(41, TOPIC, 0, 0, max_wait_ms=max_wait_ms, min_bytes=1))
        error, base_offset = kr.produce(broker.port, TOPIC, 0, [(b"k", b"wakes-the-fetch")])
        assert (error, base_offset) == (0, 0)
        corr, [(topic, partition, error, high_watermark, records)] = kr.parse_fetch_response_v4(w.recv_frame(fetcher))
        assert (corr, topic, partition, error) == (41, TOPIC, 0, 0)
        assert high_watermark == 1
        assert records == [(0, b"k", b"wakes-the-fetch")]
    finally:
        fetcher.close()


def test_parked_fetch_returns_with_the_record_produced_by_another_client(cluster_factory):
    _park_then_produce(_single_broker_topic(cluster_factory), max_wait_ms=30000)


def test_fetch_without_a_usable_timer_is_completed_by_the_append(cluster_factory):
    _park_then_produce(_single_broker_topic(cluster_factory), max_wait_ms=2**31 - 1)


def test_fetch_with_max_wait_zero_returns_at_once_empty(cluster_factory):
    broker = _single_broker_topic(cluster_factory)
    s = w.connect(broker.port, timeout=60)
    try:
        s.sendall(kr.fetch_request(42, TOPIC, 0, 0, max_wait_ms=0, min_bytes=1))
        corr, [(topic, partition, error, high_watermark, records)] = kr.parse_fetch_response_v4(w.recv_frame(s))
        assert (corr, topic, partition, error, high_watermark, records) == (42, TOPIC, 0, 0, 0, [])
        # The connection is still usable, and a max.wait 0 fetch returns available data at once.
        assert kr.produce(broker.port, TOPIC, 0, [(None, b"one"), (b"k2", None)]) == (0, 0)
        s.sendall(kr.fetch_request(43, TOPIC, 0, 0, max_wait_ms=0, min_bytes=1))
        corr, [(_, _, error, high_watermark, records)] = kr.parse_fetch_response_v4(w.recv_frame(s))
        assert (corr, error, high_watermark) == (43, 0, 2)
        assert records == [(0, None, b"one"), (1, b"k2", None)]
    finally:
        s.close()
