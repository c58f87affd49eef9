"""Clients that go away at the worst moment, against a real server on each
runtime: in the middle of a request head, of a request body, of a streamed
response, of an event stream, of a WebSocket frame or message, and a
client that never reads its (large) response. After each kind, repeated,
the server holds no connection but the asking one, its heap is back to
its baseline and it still answers (hardening_helpers.leaves_nothing)."""
RUNTIMES = ('cpython',)  # drives subprocess servers

import socket
import time

from hardening_helpers import connect, each_server, leaves_nothing, \
    settled

# short timeouts, so that a client the server must give up on is quick
SETTINGS = ('header_timeout=2', 'body_timeout=2', 'write_timeout=1',
            'idle_timeout=5')
UPGRADE = (b'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n'
           b'Connection: Upgrade\r\n'
           b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
           b'Sec-WebSocket-Version: 13\r\n\r\n')


def _sent_then_gone(*parts, reset=False):
    """A client that sends ``parts`` and disconnects (with a reset when
    ``reset``: SO_LINGER 0) without waiting for anything."""
    def client(port):
        s = connect(port)
        for part in parts:
            s.sendall(part)
        if reset:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         b'\x01\x00\x00\x00\x00\x00\x00\x00')
        s.close()
    return client


def _reads_then_gone(request, until, reset=False):
    """A client that sends ``request``, reads the response until ``until``
    arrived (a piece of the body), and disconnects."""
    def client(port):
        s = connect(port)
        s.sendall(request)
        data = b''
        while until not in data:
            assert len(data) < 1 << 20, data[:200]
            chunk = s.recv(4096)
            assert chunk, data
            data += chunk
        if reset:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         b'\x01\x00\x00\x00\x00\x00\x00\x00')
        s.close()
    return client


def _check(client):
    each_server(lambda port: leaves_nothing(port, client), *SETTINGS)


def test_gone_mid_head():
    _check(_sent_then_gone(b'GET / HTTP/1.1\r\nHost: x\r\nX-Half: '))


def test_gone_mid_request_line_with_reset():
    _check(_sent_then_gone(b'GET /some/pa', reset=True))


def test_gone_mid_body():
    _check(_sent_then_gone(b'POST /echo HTTP/1.1\r\nHost: x\r\n'
                           b'Content-Length: 1000\r\n\r\n', b'y' * 100))


def test_gone_mid_chunked_body():
    _check(_sent_then_gone(b'POST /echo HTTP/1.1\r\nHost: x\r\n'
                           b'Transfer-Encoding: chunked\r\n\r\n',
                           b'10\r\n0123456789abcdef\r\n20\r\nhalf'))


def test_gone_mid_streamed_response():
    _check(_reads_then_gone(b'GET /drip HTTP/1.1\r\nHost: x\r\n\r\n',
                            b'drip\n\r\n5\r\ndrip\n'))


def test_gone_mid_flood_with_reset():
    _check(_reads_then_gone(b'GET /flood HTTP/1.1\r\nHost: x\r\n\r\n',
                            b'xxxxxxxx', reset=True))


def test_gone_mid_event_stream():
    _check(_reads_then_gone(b'GET /events HTTP/1.1\r\nHost: x\r\n'
                            b'Accept: text/event-stream\r\n\r\n',
                            b'data: 2\n\n'))


def test_gone_mid_websocket_frame():
    # a masked text frame announcing 100 bytes, 10 of them sent
    _check(_sent_then_gone(UPGRADE, b'\x81\xe4\x37\xfa\x21\x3d' + b'a' * 10))


def test_gone_mid_websocket_message():
    # the first fragment of a text message, and no more
    _check(_sent_then_gone(UPGRADE, b'\x01\x83\x37\xfa\x21\x3d' + b'abc'))


def _never_reads(request):
    """A client that sends ``request`` and never reads the (endless or
    large) response: the server must give up after its write_timeout and
    close the connection (its socket and buffers freed) while the client
    is still connected."""
    def client(port):
        base = settled(port)
        s = connect(port, rcvbuf=4096)
        try:
            s.sendall(request)
            time.sleep(0.2)
            settled(port, base['fds'])
        finally:
            s.close()
    return client


def test_never_reads_a_streamed_response():
    client = _never_reads(b'GET /flood HTTP/1.1\r\nHost: x\r\n\r\n')
    each_server(lambda port: leaves_nothing(port, client, 3), *SETTINGS)


def test_never_reads_a_large_response():
    # more than the socket buffers hold (up to 4 MB on Linux), in one
    # piece: MicroPython needs a larger heap than its default for it
    client = _never_reads(b'GET /big?n=6000000 HTTP/1.1\r\nHost: x\r\n\r\n')
    each_server(lambda port: leaves_nothing(port, client, 3), *SETTINGS,
                heap='32m')
