"""A refused request body must not cost the client its answer: the server
reads and drops what is still arriving before it closes, so the 413 (or 400)
is not destroyed by a connection reset. Real servers on both runtimes, a raw
client that sends the whole request before it reads."""
RUNTIMES = ('cpython',)  # drives subprocess servers

import socket

from e2e_helpers import T, each_runtime


def _send_all_then_read(port, raw):
    s = socket.create_connection(('127.0.0.1', port), T)
    try:
        s.settimeout(T)
        s.sendall(raw)
        data = b''
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                raise AssertionError('connection reset after %d bytes: %r'
                                     % (len(data), data[:40]))
            if not chunk:
                return data
            data += chunk
    finally:
        s.close()


def test_oversized_body_gets_413_not_a_reset():
    body = b'x' * (64 * 1024)  # four times the default max_content_length

    def check(port):
        raw = (b'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n'
               % len(body)) + body
        for _ in range(10):
            data = _send_all_then_read(port, raw)
            assert data.startswith(b'HTTP/1.1 413 '), data[:60]
    each_runtime(check)


def test_bad_head_followed_by_data_gets_400_not_a_reset():
    def check(port):
        raw = b'GET / HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n' + \
            b'y' * 30000
        for _ in range(5):
            data = _send_all_then_read(port, raw)
            assert data.startswith(b'HTTP/1.1 400 '), data[:60]
    each_runtime(check)
