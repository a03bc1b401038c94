#!/usr/bin/env python3
"""Raw consumer drain: reads every partition of a topic from offset 0 to its high watermark with
plain Fetch v11 requests and counts the records from the record-batch headers, without decoding
records (no decompression, no per-record work). It measures how fast the broker can hand a topic
to a consumer when the client is not the bottleneck: kcat (librdkafka) spends far more CPU per
byte than the broker does and caps the drain on a 2-core machine.

    raw_drain.py HOST:PORT TOPIC

Prints one JSON object: records, bytes (record-batch bytes received), seconds. Checks that the
records counted equal the sum of the high watermarks (exit 1 otherwise). Single broker only (it
fetches every partition from the bootstrap broker, which must lead them all).
"""
import json
import socket
import struct
import sys
import time

FETCH_VERSION = 11
MAX_WAIT_MS = 100
MAX_BYTES = 64 << 20
PARTITION_MAX_BYTES = 16 << 20


def kafka_string(s):
    data = s.encode()
    return struct.pack(">h", len(data)) + data


def header(api_key, version, correlation_id):
    return struct.pack(">hhi", api_key, version, correlation_id) + kafka_string("raw-drain")


class Connection:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.correlation = 0
        self.buffer = bytearray(MAX_BYTES + (1 << 20))

    def call(self, api_key, version, body):
        self.correlation += 1
        payload = header(api_key, version, self.correlation) + body
        self.sock.sendall(struct.pack(">i", len(payload)) + payload)
        size = struct.unpack(">i", self._recv(4))[0]
        if size > len(self.buffer):
            self.buffer = bytearray(size)
        view = memoryview(self.buffer)[:size]
        got = 0
        while got < size:
            n = self.sock.recv_into(view[got:], size - got)
            if n == 0:
                raise SystemExit("connection closed")
            got += n
        (correlation,) = struct.unpack_from(">i", self.buffer, 0)
        assert correlation == self.correlation, (correlation, self.correlation)
        return self.buffer, 4, size

    def _recv(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise SystemExit("connection closed")
            data += chunk
        return data


def partitions_of(conn, topic):
    """Metadata v1 for one topic: [partition ids]."""
    body = struct.pack(">i", 1) + kafka_string(topic)
    buf, pos, _ = conn.call(3, 1, body)
    (n_brokers,) = struct.unpack_from(">i", buf, pos)
    pos += 4
    for _ in range(n_brokers):
        pos += 4
        (hl,) = struct.unpack_from(">h", buf, pos)
        pos += 2 + hl + 4
        (rl,) = struct.unpack_from(">h", buf, pos)
        pos += 2 + max(rl, 0)
    pos += 4  # controller id
    (n_topics,) = struct.unpack_from(">i", buf, pos)
    pos += 4
    result = []
    for _ in range(n_topics):
        (err,) = struct.unpack_from(">h", buf, pos)
        pos += 2
        (nl,) = struct.unpack_from(">h", buf, pos)
        pos += 2 + nl + 1  # name, is_internal
        (n_parts,) = struct.unpack_from(">i", buf, pos)
        pos += 4
        if err != 0:
            raise SystemExit(f"metadata error {err} for {topic}")
        for _ in range(n_parts):
            _, index, _ = struct.unpack_from(">hii", buf, pos)
            pos += 10
            for _ in range(2):  # replicas, isr
                (count,) = struct.unpack_from(">i", buf, pos)
                pos += 4 + 4 * count
            result.append(index)
    return sorted(result)


def fetch_request(topic, offsets):
    parts = b"".join(struct.pack(">iiqqi", p, -1, o, -1, PARTITION_MAX_BYTES) for p, o in offsets.items())
    return (struct.pack(">iiiibii", -1, MAX_WAIT_MS, 1, MAX_BYTES, 0, 0, -1)
            + struct.pack(">i", 1) + kafka_string(topic) + struct.pack(">i", len(offsets)) + parts
            + struct.pack(">i", 0) + kafka_string(""))


def drain(host, port, topic):
    conn = Connection(host, port)
    partitions = partitions_of(conn, topic)
    offsets = {p: 0 for p in partitions}
    high = {p: None for p in partitions}
    records = 0
    received = 0
    start = time.perf_counter()
    while True:
        pending = {p: o for p, o in offsets.items() if high[p] is None or o < high[p]}
        if not pending:
            break
        buf, pos, end = conn.call(1, FETCH_VERSION, fetch_request(topic, pending))
        _, err, _ = struct.unpack_from(">ihi", buf, pos)
        pos += 10
        if err != 0:
            raise SystemExit(f"fetch error {err}")
        (n_topics,) = struct.unpack_from(">i", buf, pos)
        pos += 4
        for _ in range(n_topics):
            (nl,) = struct.unpack_from(">h", buf, pos)
            pos += 2 + nl
            (n_parts,) = struct.unpack_from(">i", buf, pos)
            pos += 4
            for _ in range(n_parts):
                index, perr, hw = struct.unpack_from(">ihq", buf, pos)
                pos += 4 + 2 + 8 + 8 + 8
                (n_aborted,) = struct.unpack_from(">i", buf, pos)
                pos += 4 + 16 * max(n_aborted, 0) + 4  # aborted txns, preferred read replica
                (size,) = struct.unpack_from(">i", buf, pos)
                pos += 4
                if perr != 0:
                    raise SystemExit(f"partition {index}: error {perr}")
                high[index] = hw
                batch_pos, batches_end = pos, pos + max(size, 0)
                pos = batches_end
                received += max(size, 0)
                fetch_offset = offsets[index]
                while batch_pos + 61 <= batches_end:
                    base, length = struct.unpack_from(">qi", buf, batch_pos)
                    if batch_pos + 12 + length > batches_end:
                        break  # partial batch at the end of the response
                    (last_delta,) = struct.unpack_from(">i", buf, batch_pos + 23)
                    last = base + last_delta
                    if last >= fetch_offset:
                        records += last - max(base, fetch_offset) + 1
                        fetch_offset = last + 1
                    batch_pos += 12 + length
                offsets[index] = fetch_offset
    seconds = time.perf_counter() - start
    expected = sum(high.values())
    print(json.dumps({"records": records, "bytes": received, "seconds": seconds, "high_watermarks": expected}))
    if records != expected:
        print(f"raw_drain: counted {records} records, high watermarks sum to {expected}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    host, port = sys.argv[1].rsplit(":", 1)
    drain(host, int(port), sys.argv[2])
