"""microdot.websocket over the real server, in-process, on both runtimes:
handshake, text and binary, fragments, ping/pong, the closing handshake,
shutdown. The client is the raw one of ws_helpers (frames built by hand)."""
from microdot import Microdot, Response, abort
from microdot.websocket import WebSocket, WebSocketError, with_websocket, \
    websocket_upgrade
from server_helpers import Conn, serve_app, get
from ws_helpers import frame, connect, recv, roundtrip, \
    expect_close, upgrade_request, leave, ACCEPT

app = Microdot()
seen = []  # what the handlers saw: messages, close codes


@app.route('/echo')
@with_websocket
async def echo(request, ws):
    try:
        while True:
            msg = await ws.receive()
            seen.append(msg)
            await ws.send(msg)
    except WebSocketError as exc:
        seen.append(('closed', exc.code))
        raise


@app.route('/types')
@with_websocket
async def types(request, ws):
    while True:
        msg = await ws.receive()
        await ws.send(type(msg).__name__ + ':' + str(len(msg)))


@app.route('/bye/<int:code>')
@with_websocket
async def bye(request, ws, code):
    await ws.send('bye')
    if code != 1000:
        await ws.close(code, 'done')


@app.route('/boom')
@with_websocket
async def boom(request, ws):
    raise RuntimeError('the handler failed (expected by the test)')


@app.route('/guarded')
async def guarded(request):
    if request.headers.get('Authorization') != 'secret':
        abort(401)
    ws = await websocket_upgrade(request)
    await ws.send(await ws.receive())
    await ws.close()
    return Response.already_handled


@app.route('/plain')
async def plain(request):
    return 'plain'


async def answer(port, raw):
    c = await Conn().open(port)
    await c.send(raw)
    res = await c.response()
    await c.close()
    return res


def test_handshake_and_echo():
    async def client(port):
        c = await connect(port)
        assert await roundtrip(c, 'hello') == b'hello'
        assert await roundtrip(c, b'\x00\xff\x80', op=2) == b'\x00\xff\x80'
        assert await roundtrip(c, 'κόσμε €') == 'κόσμε €'.encode()
        assert await roundtrip(c, '') == b''
        assert await leave(c, 1000, b'done') == b''
    del seen[:]
    serve_app(app, client)
    assert seen == ['hello', b'\x00\xff\x80', 'κόσμε €', '',
                    ('closed', 1000)]


def test_text_is_str_binary_is_bytes():
    async def client(port):
        c = await connect(port, '/types')
        assert await roundtrip(c, 'abc') == b'str:3'
        await c.send(frame(2, b'abcd'))
        assert await recv(c) == (True, 1, b'bytes:4')
        await leave(c, 1001)
    serve_app(app, client)


def test_lengths_16_and_64_bit():
    async def client(port):
        c = await connect(port)
        big = bytes(range(256)) * 3 + b'end'  # 126..65535: 16-bit length
        assert await roundtrip(c, big, op=2) == big
        await c.send(frame(1, 'short, 64-bit length', long=True))
        assert (await recv(c))[2] == b'short, 64-bit length'
        await leave(c)
    serve_app(app, client)


def test_fragments_with_ping_between():
    async def client(port):
        c = await connect(port)
        # a 2-byte character split across fragments, a ping in the middle
        await c.send(frame(1, b'caf\xc3', fin=False) + frame(9, b'p1') +
                     frame(0, b'\xa9 ', fin=False))
        assert await recv(c) == (True, 10, b'p1')  # pong, same payload
        await c.send(frame(0, b'au lait'))
        assert await recv(c) == (True, 1, 'café au lait'.encode())
        await c.send(frame(2, b'\x01', fin=False) + frame(0, b'\x02'))
        assert await recv(c) == (True, 2, b'\x01\x02')
        await c.send(frame(10, b'unsolicited pong') + frame(9))
        assert await recv(c) == (True, 10, b'')
        await leave(c, 3000, b'app')
    serve_app(app, client)


def test_handler_returns_then_server_closes():
    async def client(port):
        c = await connect(port, '/bye/1000')
        assert await recv(c) == (True, 1, b'bye')
        await expect_close(c, 1000)  # the client answers, then TCP ends
        c = await connect(port, '/bye/4001')
        assert await recv(c) == (True, 1, b'bye')
        assert await expect_close(c, 4001) == b'done'
    serve_app(app, client)


def test_handler_exception_closes_with_1011():
    async def client(port):
        c = await connect(port, '/boom')
        await expect_close(c, 1011)
        # the server goes on serving
        assert (await get(port, b'GET /plain HTTP/1.1\r\nHost: x\r\n'
                                b'\r\n'))[2] == b'plain'
    serve_app(app, client)


def test_bad_handshakes():
    def req(headers, path='/echo', method='GET', version='1.1'):
        return ('%s %s HTTP/%s\r\nHost: x\r\n%s\r\n' % (
            method, path, version, headers)).encode()
    good = upgrade_request().decode().split('\r\n', 2)[2][:-2]

    async def client(port):
        for raw in (req(''),
                    req(good.replace('Upgrade: websocket', 'Upgrade: h2c')),
                    req(good.replace('Connection: Upgrade',
                                     'Connection: keep-alive')),
                    req(good.replace('dGhlIHNhbXBsZSBub25jZQ==', 'short')),
                    req(good.replace('Sec-WebSocket-Key', 'X-Key')),
                    req(good, version='1.0')):
            status, h, body = await answer(port, raw)
            assert status == 400, (raw, status)
        status, h, body = await answer(port, req(
            good.replace('Version: 13', 'Version: 8')))
        assert status == 426 and h['sec-websocket-version'] == '13'
        # a refused handshake leaves an ordinary keep-alive connection
        c = await Conn().open(port)
        await c.send(req('') + b'GET /plain HTTP/1.1\r\nHost: x\r\n\r\n')
        assert (await c.response())[0] == 400
        assert (await c.response())[2] == b'plain'
        await c.close()
        # "Connection: keep-alive, Upgrade" is an upgrade too
        c = await Conn().open(port)
        await c.send(req(good.replace('Connection: Upgrade',
                                      'Connection: keep-alive, Upgrade')))
        status, h, _ = await c.response(head=True)
        assert status == 101 and h['sec-websocket-accept'] == ACCEPT
        await leave(c)
    serve_app(app, client)


def test_websocket_upgrade_after_a_check():
    async def client(port):
        status, h, body = await answer(port, upgrade_request('/guarded'))
        assert status == 401
        c = await connect(port, '/guarded', 'Authorization: secret\r\n')
        assert await roundtrip(c, 'let me in') == b'let me in'
        await expect_close(c, 1000)
    serve_app(app, client)


late_seen = []


@app.route('/late')
@with_websocket
async def late(request, ws):
    await ws.close()
    for call in (ws.send('too late'), ws.receive()):
        try:
            await call
        except WebSocketError:
            late_seen.append('refused')


def test_send_and_receive_after_close_raise():
    async def client(port):
        c = await connect(port, '/late')
        await expect_close(c, 1000)
    serve_app(app, client)
    assert late_seen == ['refused', 'refused']


def test_shutdown_closes_open_websockets_with_1001():
    async def client(port):
        c = await connect(port)
        assert await roundtrip(c, 'hi') == b'hi'
        app.shutdown()  # start_server must return, the client hears 1001
        await expect_close(c, 1001, answer=False)
    WebSocket.shutdown_poll = 0.05
    try:
        serve_app(app, client)
    finally:
        WebSocket.shutdown_poll = 1


def test_class_constants_match_microdot():
    assert (WebSocket.CONT, WebSocket.TEXT, WebSocket.BINARY,
            WebSocket.CLOSE, WebSocket.PING, WebSocket.PONG) == \
        (0, 1, 2, 8, 9, 10)
    assert WebSocket.max_message_length == -1
    assert isinstance(WebSocketError('x'), Exception)
