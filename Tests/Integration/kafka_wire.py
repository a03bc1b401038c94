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


# --- Classic group protocol (non-flexible versions), for tests that need exact error codes ---
# FindCoordinator v2, JoinGroup v5, SyncGroup v3, OffsetCommit v7: request header v1,
# response header v0, classic (non-compact) strings/arrays/bytes.

class Reader:
    """Sequential reader of a non-flexible response body."""

    def __init__(self, payload, pos=0):
        self.buf = payload
        self.pos = pos

    def take(self, fmt):
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return values[0] if len(values) == 1 else values

    def string(self):
        n = self.take(">h")
        if n < 0:
            return None
        s = self.buf[self.pos:self.pos + n].decode()
        self.pos += n
        return s

    def bytes_(self):
        n = self.take(">i")
        if n < 0:
            return None
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b


def string(s):
    if s is None:
        return struct.pack(">h", -1)
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def bytes_field(b):
    return struct.pack(">i", len(b)) + b


def request(sock, api_key, version, correlation_id, body):
    """Sends one request (header v1) and returns a Reader positioned after the response header
    (v0), having checked the correlation id."""
    sock.sendall(frame(request_header_v1(api_key, version, correlation_id) + body))
    reader = Reader(recv_frame(sock))
    corr = reader.take(">i")
    assert corr == correlation_id, (corr, correlation_id)
    return reader


def find_coordinator_v2(sock, group, correlation_id=1):
    """-> (error_code, node_id, host, port)"""
    r = request(sock, 10, 2, correlation_id, string(group) + struct.pack(">b", 0))
    r.take(">i")  # throttle
    error = r.take(">h")
    r.string()  # error message
    node = r.take(">i")
    host = r.string()
    port = r.take(">i")
    return error, node, host, port


def consumer_subscription_v0(topics):
    """ConsumerProtocolSubscription v0 bytes (version prefix included)."""
    return struct.pack(">hi", 0, len(topics)) + b"".join(string(t) for t in topics) + struct.pack(">i", -1)


def consumer_assignment_v0(assignment):
    """ConsumerProtocolAssignment v0 bytes for {topic: [partitions]}."""
    out = struct.pack(">hi", 0, len(assignment))
    for topic, partitions in assignment.items():
        out += string(topic) + struct.pack(">i", len(partitions)) + b"".join(struct.pack(">i", p) for p in partitions)
    return out + struct.pack(">i", -1)


def join_group_v5(sock, group, member_id="", topics=(), session_timeout_ms=10000, rebalance_timeout_ms=10000,
                  correlation_id=1):
    """-> dict(error, generation, protocol, leader, member_id, members=[member ids])"""
    body = (string(group) + struct.pack(">ii", session_timeout_ms, rebalance_timeout_ms) + string(member_id)
            + string(None) + string("consumer") + struct.pack(">i", 1) + string("range")
            + bytes_field(consumer_subscription_v0(list(topics))))
    r = request(sock, 11, 5, correlation_id, body)
    r.take(">i")  # throttle
    error = r.take(">h")
    generation = r.take(">i")
    protocol = r.string()
    leader = r.string()
    member = r.string()
    members = []
    for _ in range(r.take(">i")):
        members.append(r.string())
        r.string()  # group instance id
        r.bytes_()
    return {"error": error, "generation": generation, "protocol": protocol, "leader": leader,
            "member_id": member, "members": members}


def sync_group_v3(sock, group, generation, member_id, assignments=None, correlation_id=1):
    """`assignments`: {member_id: {topic: [partitions]}} (leader only). -> (error, assignment bytes)"""
    assignments = assignments or {}
    body = (string(group) + struct.pack(">i", generation) + string(member_id) + string(None)
            + struct.pack(">i", len(assignments))
            + b"".join(string(m) + bytes_field(consumer_assignment_v0(a)) for m, a in assignments.items()))
    r = request(sock, 14, 3, correlation_id, body)
    r.take(">i")
    error = r.take(">h")
    return error, r.bytes_()


def offset_commit_v7(sock, group, generation, member_id, offsets, correlation_id=1):
    """`offsets`: {(topic, partition): offset}. -> {(topic, partition): error_code}"""
    by_topic = {}
    for (topic, partition), offset in offsets.items():
        by_topic.setdefault(topic, []).append((partition, offset))
    body = string(group) + struct.pack(">i", generation) + string(member_id) + string(None)
    body += struct.pack(">i", len(by_topic))
    for topic, parts in by_topic.items():
        body += string(topic) + struct.pack(">i", len(parts))
        for partition, offset in parts:
            body += struct.pack(">iqi", partition, offset, -1) + string("")
    r = request(sock, 8, 7, correlation_id, body)
    r.take(">i")
    result = {}
    for _ in range(r.take(">i")):
        topic = r.string()
        for _ in range(r.take(">i")):
            partition, error = r.take(">ih")
            result[(topic, partition)] = error
    return result
