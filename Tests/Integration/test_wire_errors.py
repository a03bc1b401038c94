"""Kafka's wire-level behaviour for requests the broker cannot serve, checked with raw frames."""
import struct
import threading

import kafka_wire as w


def test_api_versions_v3_lists_required_apis(broker):
    s = w.connect(broker.port)
    s.sendall(w.api_versions_request(3, 7))
    corr, err, table = w.parse_api_versions_v3(w.recv_frame(s))
    assert (corr, err) == (7, 0)
    assert table[18] == (0, 4)
    assert table[3] == (1, 12)


def test_unsupported_api_versions_version_gets_v0_error_with_range(broker):
    s = w.connect(broker.port)
    s.sendall(w.api_versions_request(127, 42))
    corr, err, table = w.parse_api_versions_v0(w.recv_frame(s))
    assert corr == 42
    assert err == 35  # UNSUPPORTED_VERSION
    assert table == {18: (0, 4)}
    # The connection stays usable: the client retries at a version it was told about.
    s.sendall(w.api_versions_request(0, 43))
    corr, err, table = w.parse_api_versions_v0(w.recv_frame(s))
    assert (corr, err) == (43, 0) and table[18] == (0, 4)


def test_invalid_client_software_name_gets_invalid_request(broker):
    s = w.connect(broker.port)
    s.sendall(w.api_versions_request(3, 5, software=("-bad name-", "1.0")))
    corr, err, _ = w.parse_api_versions_v3(w.recv_frame(s))
    assert (corr, err) == (5, 42)  # INVALID_REQUEST


def test_pipelined_requests_are_answered_in_order(broker):
    s = w.connect(broker.port)
    frames = b"".join(
        w.api_versions_request(3, i) if i % 2 else w.metadata_v1_request(i) for i in range(1, 41))
    s.sendall(frames)
    for i in range(1, 41):
        payload = w.recv_frame(s)
        (corr,) = struct.unpack_from(">i", payload, 0)
        assert corr == i


def test_metadata_v1_reports_this_broker(broker):
    s = w.connect(broker.port)
    s.sendall(w.metadata_v1_request(9, topics=["missing-topic", "bad/name"]))
    corr, brokers, controller, topics = w.parse_metadata_v1(w.recv_frame(s))
    assert corr == 9
    assert brokers == [(0, "127.0.0.1", broker.port, None)]
    assert controller == 0
    assert topics == [(3, "missing-topic", False, 0), (17, "bad/name", False, 0)]


def _assert_closed_and_broker_healthy(broker, payload):
    victim = w.connect(broker.port)
    bystander = w.connect(broker.port)
    victim.sendall(payload)
    assert w.is_closed(victim), "broker kept the connection open"
    bystander.sendall(w.api_versions_request(0, 1))
    assert w.parse_api_versions_v0(w.recv_frame(bystander))[1] == 0
    fresh = w.connect(broker.port)
    fresh.sendall(w.metadata_v1_request(2))
    assert w.parse_metadata_v1(w.recv_frame(fresh))[0] == 2


def test_negative_frame_size_closes_only_that_connection(broker):
    _assert_closed_and_broker_healthy(broker, struct.pack(">i", -5) + b"xxxx")


def test_frame_above_socket_request_max_bytes_closes_the_connection(broker_factory):
    broker = broker_factory(overrides={"socket.request.max.bytes": "1024"})
    _assert_closed_and_broker_healthy(broker, struct.pack(">i", 1025))


def test_frame_at_socket_request_max_bytes_is_read(broker_factory):
    broker = broker_factory(overrides={"socket.request.max.bytes": "1024"})
    s = w.connect(broker.port)
    # An ApiVersions v0 request padded to exactly 1024 bytes: accepted (trailing bytes ignored by v0).
    payload = w.request_header_v1(18, 0, 77)
    s.sendall(struct.pack(">i", 1024) + payload + b"\0" * (1024 - len(payload)))
    assert w.parse_api_versions_v0(w.recv_frame(s))[:2] == (77, 0)


def test_unknown_api_key_closes_the_connection(broker):
    _assert_closed_and_broker_healthy(broker, w.frame(w.request_header_v1(9999, 0, 1)))


def test_unadvertised_api_closes_the_connection(broker):
    # DescribeAcls (29) is a real Kafka API that Martlet does not serve.
    _assert_closed_and_broker_healthy(broker, w.frame(w.request_header_v1(29, 1, 1) + b"\0" * 16))


def test_unsupported_metadata_version_closes_the_connection(broker):
    _assert_closed_and_broker_healthy(broker, w.frame(w.request_header_v2(3, 13, 1) + b"\x01\x00\x00\x00"))


def test_truncated_header_closes_the_connection(broker):
    _assert_closed_and_broker_healthy(broker, w.frame(b"\x00\x12\x00"))


def test_malformed_body_closes_the_connection(broker):
    # Metadata v1 claiming 1000 topics but carrying none.
    _assert_closed_and_broker_healthy(broker, w.frame(w.request_header_v1(3, 1, 1) + struct.pack(">i", 1000)))


def test_many_concurrent_connections(broker):
    errors = []

    def client(n):
        try:
            s = w.connect(broker.port)
            for i in range(20):
                s.sendall(w.api_versions_request(3, n * 100 + i))
                corr, err, _ = w.parse_api_versions_v3(w.recv_frame(s))
                assert (corr, err) == (n * 100 + i, 0)
            s.close()
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(e))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
