"""A minimal raw Kafka wire client for integration tests: frames, headers and the few bodies
the tests inspect byte by byte (ApiVersions, Metadata v1). Independent of Martlet's Swift codec,
so it checks the broker against the protocol, not against itself."""
import socket
import struct


def connect(port, host="127.0.0.1", timeout=10.0):
    s = socket.create_connection((host, port), timeout=timeout)
    s.settimeout(timeout)
    return s


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("connection closed by broker")
        data += chunk
    return data


def recv_frame(sock):
    (size,) = struct.unpack(">i", recv_exact(sock, 4))
    return recv_exact(sock, size)


def is_closed(sock, timeout=5.0):
    """True when the broker closed the connection (EOF or reset) within `timeout`."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def request_header_v1(api_key, version, correlation_id, client_id="martlet-test"):
    cid = client_id.encode()
    return struct.pack(">hhih", api_key, version, correlation_id, len(cid)) + cid


def request_header_v2(api_key, version, correlation_id, client_id="martlet-test"):
    return request_header_v1(api_key, version, correlation_id, client_id) + b"\x00"  # no tagged fields


def frame(payload):
    return struct.pack(">i", len(payload)) + payload


def uvarint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def compact_string(s):
    b = s.encode()
    return uvarint(len(b) + 1) + b


def api_versions_request(version, correlation_id, software=("martlet-test", "1.0")):
    if version >= 3:
        body = compact_string(software[0]) + compact_string(software[1]) + b"\x00"
        return frame(request_header_v2(18, version, correlation_id) + body)
    return frame(request_header_v1(18, version, correlation_id))


def parse_api_versions_v0(payload):
    """Response header v0 + ApiVersions v0 body -> (correlation_id, error, {key: (min, max)})."""
    corr, err, n = struct.unpack_from(">ihi", payload, 0)
    pos = 10
    table = {}
    for _ in range(max(n, 0)):
        k, lo, hi = struct.unpack_from(">hhh", payload, pos)
        pos += 6
        table[k] = (lo, hi)
    return corr, err, table


def read_uvarint(buf, pos):
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def parse_api_versions_v3(payload):
    """Response header v0 + ApiVersions v3 body (compact) -> (correlation_id, error, table)."""
    corr, err = struct.unpack_from(">ih", payload, 0)
    n, pos = read_uvarint(payload, 6)
    table = {}
    for _ in range(n - 1):
        k, lo, hi = struct.unpack_from(">hhh", payload, pos)
        pos += 6
        tags, pos = read_uvarint(payload, pos)
        assert tags == 0
        table[k] = (lo, hi)
    return corr, err, table


def metadata_v1_request(correlation_id, topics=None):
    if topics is None:
        body = struct.pack(">i", -1)
    else:
        body = struct.pack(">i", len(topics)) + b"".join(struct.pack(">h", len(t)) + t.encode() for t in topics)
    return frame(request_header_v1(3, 1, correlation_id) + body)


def parse_metadata_v1(payload):
    """-> (correlation_id, brokers [(id, host, port, rack)], controller_id, topics [(err, name, internal, nparts)])"""
    pos = 0
    (corr,) = struct.unpack_from(">i", payload, pos); pos += 4

    def string():
        nonlocal pos
        (n,) = struct.unpack_from(">h", payload, pos); pos += 2
        if n < 0:
            return None
        s = payload[pos:pos + n].decode(); pos += n
        return s

    (nb,) = struct.unpack_from(">i", payload, pos); pos += 4
    brokers = []
    for _ in range(nb):
        (node,) = struct.unpack_from(">i", payload, pos); pos += 4
        host = string()
        (port,) = struct.unpack_from(">i", payload, pos); pos += 4
        rack = string()
        brokers.append((node, host, port, rack))
    (controller,) = struct.unpack_from(">i", payload, pos); pos += 4
    (nt,) = struct.unpack_from(">i", payload, pos); pos += 4
    topics = []
    for _ in range(nt):
        (err,) = struct.unpack_from(">h", payload, pos); pos += 2
        name = string()
        internal = payload[pos] != 0; pos += 1
        (np,) = struct.unpack_from(">i", payload, pos); pos += 4
        for _ in range(np):
            pos += 2 + 4 + 4
            for _ in range(2):
                (k,) = struct.unpack_from(">i", payload, pos); pos += 4 + 4 * max(k, 0)
        topics.append((err, name, internal, np))
    return corr, brokers, controller, topics
