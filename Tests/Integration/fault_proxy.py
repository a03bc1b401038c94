"""A loopback TCP proxy in front of one broker that loses the broker's responses to the first
Produce requests, to make producers retry requests the broker has already appended.

It forwards bytes unchanged in both directions; it only parses frame boundaries and request
headers (to know which response answers which request: Kafka answers in request order on a
connection, and a Produce with acks=0 gets no response). Modes for a lost response:
- "close": the response is discarded and both sockets are closed (a connection that died after
  the broker appended);
- "hold": the response is discarded, and the connection kept open but silent from then on
  until the client gives up and closes it (a response delayed past the client's
  request.timeout.ms).
Thread-per-direction; everything it starts stops in `close()`."""
import socket
import struct
import threading
from collections import deque

PRODUCE = 0


def _recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_frame(sock):
    head = _recv_exact(sock, 4)
    (size,) = struct.unpack(">i", head)
    return head + _recv_exact(sock, size)


def _uvarint(buf, pos):
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def produce_acks(frame):
    """The `acks` of a Produce request frame (v3-v11), from its header and body."""
    api_key, version = struct.unpack_from(">hh", frame, 4)
    assert api_key == PRODUCE
    pos = 4 + 8
    (client_len,) = struct.unpack_from(">h", frame, pos)
    pos += 2 + max(client_len, 0)
    if version >= 9:  # flexible: header tagged fields, compact nullable transactional id
        tags, pos = _uvarint(frame, pos)
        for _ in range(tags):
            _, pos = _uvarint(frame, pos)
            size, pos = _uvarint(frame, pos)
            pos += size
        n, pos = _uvarint(frame, pos)
        pos += max(n - 1, 0)
    else:
        (n,) = struct.unpack_from(">h", frame, pos)
        pos += 2 + max(n, 0)
    (acks,) = struct.unpack_from(">h", frame, pos)
    return acks


class ResponseDroppingProxy:
    def __init__(self, drop_produce_responses, mode="close"):
        assert mode in ("close", "hold")
        self.mode = mode
        self._budget = drop_produce_responses
        self._lock = threading.Lock()
        self.dropped = 0
        self.produce_requests = 0
        self.target = None
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._sockets = []
        self._threads = []
        self._closed = False

    def start(self, target_port):
        self.target = ("127.0.0.1", target_port)
        t = threading.Thread(target=self._accept_loop, daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def _take_drop(self):
        with self._lock:
            if self._budget > 0:
                self._budget -= 1
                self.dropped += 1
                return True
            return False

    def _accept_loop(self):
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            pending = deque()  # api key of each request awaiting a response, in order
            cond = threading.Condition()
            for fn in (self._requests, self._responses):
                t = threading.Thread(target=fn, args=(client, upstream, pending, cond), daemon=True)
                t.start()
                self._threads.append(t)

    @staticmethod
    def _shut(*socks):
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _requests(self, client, upstream, pending, cond):
        try:
            while True:
                frame = _read_frame(client)
                (api_key,) = struct.unpack_from(">h", frame, 4)
                expects_response = True
                if api_key == PRODUCE:
                    with self._lock:
                        self.produce_requests += 1
                    expects_response = produce_acks(frame) != 0
                if expects_response:
                    with cond:
                        pending.append(api_key)
                        cond.notify()
                upstream.sendall(frame)
        except (OSError, ConnectionError, struct.error):
            self._shut(client, upstream)

    def _responses(self, client, upstream, pending, cond):
        silent = False
        try:
            while True:
                frame = _read_frame(upstream)
                with cond:
                    # The request is always recorded before it is forwarded, so it is there.
                    api_key = pending.popleft()
                if silent:
                    continue
                if api_key == PRODUCE and self._take_drop():
                    if self.mode == "close":
                        self._shut(client, upstream)
                        return
                    silent = True
                    continue
                client.sendall(frame)
        except (OSError, ConnectionError, struct.error, IndexError):
            self._shut(client, upstream)

    def close(self):
        self._closed = True
        self._shut(self._listener)
        with self._lock:
            socks = list(self._sockets)
        self._shut(*socks)
