#!/usr/bin/env python3
"""Recording Kafka proxy used to capture the golden request frames in this directory.

  record_frames.py LISTEN_PORT UPSTREAM_HOST:PORT OUT_DIR [--seconds 120] [--strip-apiversions-tags]

Listens on 127.0.0.1:LISTEN_PORT, forwards every connection to the upstream broker, and writes
each complete request frame (without its 4-byte size prefix) to
OUT_DIR/<seq>-c<conn>-k<apiKey>-v<apiVersion>.bin. Responses are forwarded untouched. The broker
must advertise the proxy's address so that clients stay on the proxy after their first Metadata.
Stops by itself after --seconds.

--strip-apiversions-tags empties the top-level tagged-field section of ApiVersions v3+ responses.
Tansu 0.6.0 writes all four optional tags there (with default values), which librdkafka 2.0.2
(kcat 1.7.1) fails to skip ("Protocol read buffer underflow for ApiVersion v3"); Kafka itself
omits default-valued tagged fields. Requests are never modified.
"""
import asyncio
import os
import struct
import sys

ARGS = sys.argv[1:]
SECONDS = float(ARGS[ARGS.index("--seconds") + 1]) if "--seconds" in ARGS else 120.0
STRIP_TAGS = "--strip-apiversions-tags" in ARGS
SEQ = [0]
CONN = [0]


def uvarint(data, pos):
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def skip_tags(data, pos):
    count, pos = uvarint(data, pos)
    for _ in range(count):
        _, pos = uvarint(data, pos)
        size, pos = uvarint(data, pos)
        pos += size
    return pos


def strip_apiversions_tags(frame):
    """ApiVersions v3+ response (header v0): keep everything up to ThrottleTimeMs, then no tags."""
    pos = 4 + 2  # correlation id, error code
    count, pos = uvarint(frame, pos)
    for _ in range(max(count - 1, 0)):
        pos = skip_tags(frame, pos + 6)  # api key, min, max, entry tags
    pos += 4  # throttle time
    return frame[:pos] + b"\x00"


async def pump(reader, writer, on_frame=None):
    while True:
        head = await reader.readexactly(4)
        (length,) = struct.unpack(">i", head)
        frame = await reader.readexactly(length)
        if on_frame is not None and length >= 4:
            replacement = on_frame(frame)
            if replacement is not None:
                frame = replacement
                head = struct.pack(">i", len(frame))
        writer.write(head + frame)
        await writer.drain()


async def handle(client_reader, client_writer):
    CONN[0] += 1
    conn = CONN[0]
    host, port = ARGS[1].rsplit(":", 1)
    upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))

    pending = {}

    def record(frame):
        SEQ[0] += 1
        key, version, correlation = struct.unpack(">hhi", frame[:8])
        pending[correlation] = (key, version)
        name = "%04d-c%d-k%d-v%d.bin" % (SEQ[0], conn, key, version)
        with open(os.path.join(ARGS[2], name), "wb") as f:
            f.write(frame)

    def rewrite(frame):
        (correlation,) = struct.unpack(">i", frame[:4])
        key, version = pending.pop(correlation, (None, None))
        if STRIP_TAGS and key == 18 and version >= 3:
            return strip_apiversions_tags(frame)
        return None

    tasks = [asyncio.create_task(pump(client_reader, upstream_writer, record)),
             asyncio.create_task(pump(upstream_reader, client_writer, rewrite))]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in tasks:
        task.cancel()
    client_writer.close()
    upstream_writer.close()


async def main():
    os.makedirs(ARGS[2], exist_ok=True)
    server = await asyncio.start_server(handle, "127.0.0.1", int(ARGS[0]))
    async with server:
        try:
            await asyncio.wait_for(server.serve_forever(), SECONDS)
        except asyncio.TimeoutError:
            pass


if __name__ == "__main__":
    if len(ARGS) < 3:
        print(__doc__)
        sys.exit(2)
    asyncio.run(main())
