"""Raw Produce (v3) and Fetch (v4) frames and record batches (magic 2) for integration tests,
written from the protocol specification independently of Martlet's Swift codec (uses
kafka_wire's framing). Non-flexible versions only: fixed-width lengths everywhere."""
import struct
import time

import kafka_wire as w

PRODUCE, FETCH = 0, 1

# CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, as record batches v2 use.
_CRC_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def varint(n):
    """Zig-zag varint (Kafka record fields)."""
    return w.uvarint((n << 1) ^ (n >> 63))


def read_varint(buf, pos):
    u, pos = w.read_uvarint(buf, pos)
    return (u >> 1) ^ -(u & 1), pos


def _bytes_field(b):
    return varint(-1) if b is None else varint(len(b)) + b


def record(offset_delta, key, value, headers=(), timestamp_delta=0):
    body = (b"\x00" + varint(timestamp_delta) + varint(offset_delta) + _bytes_field(key) + _bytes_field(value)
            + varint(len(headers)) + b"".join(varint(len(k)) + k + _bytes_field(v) for k, v in headers))
    return varint(len(body)) + body


def record_batch(records, base_timestamp=None, producer_id=-1, producer_epoch=-1, base_sequence=-1,
                 corrupt_crc=False):
    """An uncompressed magic-2 batch at base offset 0 of `records`: [(key, value)]."""
    if base_timestamp is None:
        base_timestamp = int(time.time() * 1000)
    body = b"".join(record(i, k, v) for i, (k, v) in enumerate(records))
    after_crc = struct.pack(">hiqqqhii", 0, len(records) - 1, base_timestamp, base_timestamp,
                            producer_id, producer_epoch, base_sequence, len(records)) + body
    crc = crc32c(after_crc)
    if corrupt_crc:
        crc ^= 0xDEADBEEF
    after_length = struct.pack(">ibI", -1, 2, crc) + after_crc
    return struct.pack(">qi", 0, len(after_length)) + after_length


def _string(s):
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def produce_request(correlation_id, topic, partition, batch, acks=1, timeout_ms=30000, version=3):
    body = (struct.pack(">hhi", -1, acks, timeout_ms) + struct.pack(">i", 1) + _string(topic)
            + struct.pack(">ii", 1, partition) + struct.pack(">i", len(batch)) + batch)
    return w.frame(w.request_header_v1(PRODUCE, version, correlation_id) + body)


class _Reader:
    def __init__(self, buf, pos=0):
        self.buf, self.pos = buf, pos

    def take(self, fmt):
        vals = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return vals if len(vals) > 1 else vals[0]

    def string(self):
        n = self.take(">h")
        if n < 0:
            return None
        s = self.buf[self.pos:self.pos + n].decode()
        self.pos += n
        return s

    def raw(self, n):
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b


def parse_produce_response_v3(payload):
    """-> (correlation_id, [(topic, partition, error, base_offset)])"""
    r = _Reader(payload)
    corr = r.take(">i")
    out = []
    for _ in range(r.take(">i")):
        topic = r.string()
        for _ in range(r.take(">i")):
            partition, error, base_offset, _append_time = r.take(">ihqq")
            out.append((topic, partition, error, base_offset))
    return corr, out


def fetch_request(correlation_id, topic, partition, offset, max_wait_ms, min_bytes=1, max_bytes=1 << 20,
                  version=4):
    body = (struct.pack(">iiiib", -1, max_wait_ms, min_bytes, max_bytes, 0) + struct.pack(">i", 1) + _string(topic)
            + struct.pack(">iiqi", 1, partition, offset, max_bytes))
    return w.frame(w.request_header_v1(FETCH, version, correlation_id) + body)


def parse_records(data):
    """Decodes uncompressed magic-2 batches -> [(offset, key, value)] (checks each batch's CRC)."""
    out = []
    pos = 0
    while pos + 12 <= len(data):
        base_offset, length = struct.unpack_from(">qi", data, pos)
        end = pos + 12 + length
        if end > len(data):
            break  # a partial trailing batch, as brokers may send
        _epoch, magic, crc = struct.unpack_from(">ibI", data, pos + 12)
        assert magic == 2
        assert crc32c(data[pos + 21:end]) == crc, "batch CRC mismatch"
        attributes = struct.unpack_from(">h", data, pos + 21)[0]
        assert attributes & 0x7 == 0, "compressed batch"
        count = struct.unpack_from(">i", data, pos + 57)[0]
        rp = pos + 61
        for _ in range(count):
            _length, rp = read_varint(data, rp)
            rp += 1  # attributes
            _ts, rp = read_varint(data, rp)
            delta, rp = read_varint(data, rp)
            fields = []
            for _f in range(2):
                n, rp = read_varint(data, rp)
                fields.append(None if n < 0 else bytes(data[rp:rp + n]))
                rp += max(n, 0)
            headers, rp = read_varint(data, rp)
            for _h in range(headers):
                n, rp = read_varint(data, rp)
                rp += n
                n, rp = read_varint(data, rp)
                rp += max(n, 0)
            out.append((base_offset + delta, fields[0], fields[1]))
        pos = end
    return out


def parse_fetch_response_v4(payload):
    """-> (correlation_id, [(topic, partition, error, high_watermark, records [(offset, key, value)])])"""
    r = _Reader(payload)
    corr = r.take(">i")
    r.take(">i")  # throttle_time_ms
    out = []
    for _ in range(r.take(">i")):
        topic = r.string()
        for _ in range(r.take(">i")):
            partition, error, high_watermark, _lso = r.take(">ihqq")
            for _ in range(max(r.take(">i"), 0)):  # aborted transactions
                r.take(">qq")
            n = r.take(">i")
            data = r.raw(n) if n > 0 else b""
            out.append((topic, partition, error, high_watermark, parse_records(data)))
    return corr, out


def produce(port, topic, partition, records, acks=1, **batch_kw):
    """One raw Produce v3 on a fresh connection -> (error, base_offset)."""
    s = w.connect(port)
    try:
        s.sendall(produce_request(7, topic, partition, record_batch(records, **batch_kw), acks=acks))
        corr, results = parse_produce_response_v3(w.recv_frame(s))
        assert corr == 7
        [(_, _, error, base_offset)] = results
        return error, base_offset
    finally:
        s.close()
