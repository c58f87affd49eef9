"""WebSocket routes of microdot.websocket under a real uvicorn, talked to
with the ``websockets`` client: echo, close codes both ways, limits,
refused handshakes."""

import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from e2e_helpers import T
from gateway_helpers import ModuleServer, uvicorn, wait_until

RUNTIMES = ('cpython',)

try:
    import microdot.websocket  # noqa: F401
except ModuleNotFoundError as exc:
    if exc.name != 'microdot.websocket':
        raise
    from support import skip
    skip('microdot.websocket is not there yet')

shared = ModuleServer(uvicorn)


def setup_module(module):
    shared.start()


def teardown_module(module):
    shared.stop()


def ws_url(path):
    return 'ws://' + shared.url.partition('://')[2] + path


def closed_by_server(ws):
    """Wait for the server to close ``ws``; return the close frame."""
    try:
        message = ws.recv(T)
    except ConnectionClosed as exc:
        return exc.rcvd
    raise AssertionError('expected a close, got %r' % (message,))


def test_echo_text_and_binary():
    with connect(ws_url('/ws/echo'), open_timeout=T) as ws:
        ws.send('hello')
        assert ws.recv(T) == 'hello'
        ws.send('unicode: é ✓ 😀')
        assert ws.recv(T) == 'unicode: é ✓ 😀'
        ws.send(b'\x00\x01\xfe\xff')
        assert ws.recv(T) == b'\x00\x01\xfe\xff'
        ws.send(b'')
        assert ws.recv(T) == b''
        big = 'x' * 100000  # a 64-bit frame length
        ws.send(big)
        assert ws.recv(T) == big
        ws.send(['frag', 'ment', 'ed'])  # sent as three frames
        assert ws.recv(T) == 'fragmented'
        for i in range(50):
            ws.send(str(i))
        assert [ws.recv(T) for i in range(50)] == [str(i) for i in range(50)]


def test_microdot_asgi_with_websocket():
    # the spelling of Microdot's ASGI docs: microdot.asgi.with_websocket
    with connect(ws_url('/ws/asgi-echo'), open_timeout=T) as ws:
        ws.send('once')
        assert ws.recv(T) == 'once'
        # the handler returned: a normal close
        assert closed_by_server(ws).code == 1000


def test_server_closes_with_code_and_reason():
    with connect(ws_url('/ws/close/4000'), open_timeout=T) as ws:
        ws.send('go')
        frame = closed_by_server(ws)
        assert (frame.code, frame.reason) == (4000, 'bye')


def test_handler_exception_closes_1011():
    with connect(ws_url('/ws/fail'), open_timeout=T) as ws:
        ws.send('go')
        assert closed_by_server(ws).code == 1011


def test_message_too_big_closes_1009():
    # over WebSocket.max_message_length (256 KB in the app)
    with connect(ws_url('/ws/echo'), open_timeout=T,
                 max_size=None) as ws:
        ws.send(b'y' * (300 * 1024))
        assert closed_by_server(ws).code == 1009


def closes_seen():
    return requests.get(shared.url + '/ws/closes', timeout=T).json()['closes']


def test_client_close_code_reaches_handler():
    before = len(closes_seen())
    with connect(ws_url('/ws/wait'), open_timeout=T) as ws:
        ws.close(1001, 'going away')
    wait_until(lambda: len(closes_seen()) > before, 'the handler to end')
    assert closes_seen()[before] == 1001


def test_client_dropped_without_close():
    before = len(closes_seen())
    with connect(ws_url('/ws/wait'), open_timeout=T) as ws:
        ws.socket.close()  # no closing handshake at all
    wait_until(lambda: len(closes_seen()) > before, 'the handler to end')
    # uvicorn reports a lost connection as code 1005 (no status), as it
    # does a close frame without a code: the handler sees a normal close
    assert closes_seen()[before] in (None, 1000)


def refused_status(path):
    """The HTTP status of a WebSocket handshake the server refuses."""
    try:
        connect(ws_url(path), open_timeout=T).close()
    except InvalidStatus as exc:
        return exc.response.status_code
    raise AssertionError('the handshake to %s was accepted' % path)


def test_refused_handshake_gets_the_http_status():
    assert refused_status('/nowhere') == 404
    # an HTTP route is not a WebSocket one: its answer is the status
    assert refused_status('/cookies') == 200


def test_http_still_served_beside_websockets():
    with connect(ws_url('/ws/echo'), open_timeout=T) as ws:
        ws.send('a')
        assert requests.get(shared.url + '/', timeout=T).text == 'hello'
        assert ws.recv(T) == 'a'
