"""TestClient.websocket on both runtimes: a generator plays the client of a
WebSocket route in-process, the way Microdot 2.x's test client drives it
(each server message is sent into the generator, which yields the next
client message); the handler sees real frames, close codes and limits."""
from microdot import Microdot, abort
from microdot.test_client import TestClient
from microdot.websocket import WebSocket, WebSocketError, with_websocket, \
    websocket_upgrade
import support

app = Microdot()
seen = []  # what the handlers saw


@app.route('/echo')
@with_websocket
async def echo(request, ws):
    try:
        while True:
            msg = await ws.receive()
            await ws.send(msg)
    except WebSocketError as exc:
        seen.append(('closed', exc.code))
        raise


@app.route('/greet/<name>')
@with_websocket
async def greet(request, ws, name):
    await ws.send('welcome ' + name)
    reply = await ws.receive()
    await ws.send('bye ' + reply)
    await ws.close(4000, 'done')


@app.route('/twice')
@with_websocket
async def twice(request, ws):
    while True:
        msg = await ws.receive()
        await ws.send(msg + '1')
        await ws.send(msg + '2')


@app.route('/guarded')
async def guarded(request):
    if request.headers.get('Authorization') != 'Bearer ok':
        abort(401)
    ws = await websocket_upgrade(request)
    await ws.send('in')
    await ws.close()
    from microdot import Response
    return Response.already_handled


def run(path, client, **kwargs):
    return support.run(TestClient(app).websocket(path, client, **kwargs))


def test_echo_text_binary_and_long_messages():
    got = []

    def client():
        for msg in ('hello', b'bye', b'*' * 300, 'caf\xe9' * 50,
                    b'+' * 5000):
            data = yield msg
            got.append(data)
    del seen[:]
    res = run('/echo', client)
    assert got == ['hello', b'bye', b'*' * 300, 'caf\xe9' * 50,
                   b'+' * 5000]
    # the route took the connection: an empty response, as with Microdot
    assert res.status_code is None and res.body is None
    # the generator ended: a closing handshake with 1000
    assert seen == [('closed', 1000)]


def test_server_speaks_first_and_closes_the_generator():
    got = []
    ended = []

    def client():
        try:
            got.append((yield None))  # nothing to say: wait for the server
            got.append((yield 'ann'))
            got.append((yield 'never read'))
        finally:
            ended.append(True)
    run('/greet/bob', client)
    assert got == ['welcome bob', 'bye ann']
    assert ended == [True]  # the server's close frame closed it


def test_async_style_generator():
    # an ``async def`` generator on CPython; MicroPython has no async
    # generators and runs the same body as a plain generator
    got = []

    async def client():
        got.append((yield 'a'))
        got.append((yield 'b'))
    run('/echo', client)
    assert got == ['a', 'b']


class AsendClient:
    # an asynchronous generator written by hand (asend), on both runtimes
    def __init__(self, messages, got):
        self.messages = messages
        self.got = got

    async def asend(self, value):
        if value is not None:
            self.got.append(value)
        if not self.messages:
            raise StopAsyncIteration()
        return self.messages.pop(0)

    async def aclose(self):
        self.messages = []


def test_asend_protocol():
    got = []
    run('/echo', lambda: AsendClient(['x', b'y'], got))
    assert got == ['x', b'y']


def test_yield_none_while_the_server_sends_more():
    got = []

    def client():
        got.append((yield 'a'))   # a1
        got.append((yield None))  # a2: nothing to send after a1
        got.append((yield 'b'))
        got.append((yield None))
    run('/twice', client)
    assert got == ['a1', 'a2', 'b1', 'b2']


def test_a_failed_assert_in_the_client_is_raised():
    def client():
        data = yield 'ping'
        assert data == 'pong', 'the echo was ' + data
    del seen[:]
    exc = support.raises(AssertionError, support.run,
                         TestClient(app).websocket('/echo', client))
    assert 'the echo was ping' in str(exc)
    # the connection was dropped without a closing handshake
    assert seen == [('closed', None)]


def test_a_client_that_yields_a_wrong_type_fails():
    def client():
        yield 42
    support.raises(TypeError, support.run,
                   TestClient(app).websocket('/echo', client))


def test_refused_and_unknown_routes_answer_http():
    def client():
        yield 'x'
    res = run('/nowhere', client)
    assert res.status_code == 404
    res = run('/guarded', client)
    assert res.status_code == 401
    got = []

    def listener():
        got.append((yield None))
    res = run('/guarded', listener,
              headers={'Authorization': 'Bearer ok'})
    assert res.status_code is None and got == ['in']


def test_a_message_over_the_limit_closes_with_1009():
    old = WebSocket.max_message_length
    WebSocket.max_message_length = 100
    got = []
    try:
        def client():
            got.append((yield b'x' * 50))
            got.append((yield b'x' * 101))
        del seen[:]
        run('/echo', client)
    finally:
        WebSocket.max_message_length = old
    assert got == [b'x' * 50]
    assert seen == [('closed', 1009)]
