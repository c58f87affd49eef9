"""microdot.websocket against a client that breaks RFC 6455, in-process on
both runtimes: each violation closes the connection with its close code
(1002 protocol error, 1007 invalid UTF-8, 1009 too big), the handler sees
WebSocketError, and the server goes on serving."""
from microdot import Microdot, Request
from microdot.websocket import WebSocket, WebSocketError, with_websocket
from server_helpers import serve_app
from ws_helpers import frame, close_frame, connect, recv, roundtrip, \
    expect_close, leave

app = Microdot()
errors = []  # the close code of each WebSocketError the handler saw


@app.route('/echo')
@with_websocket
async def echo(request, ws):
    try:
        while True:
            await ws.send(await ws.receive())
    except WebSocketError as exc:
        errors.append(exc.code)
        raise


def fails_with(code, *frames, answer=True):
    """Send the frames on a fresh connection: the server must answer with a
    close frame carrying ``code`` and drop the connection; then it must
    still serve a new one."""
    async def client(port):
        c = await connect(port)
        for data in frames:
            await c.send(data)
        await expect_close(c, code, answer)
        c = await connect(port)
        assert await roundtrip(c, 'again') == b'again'
        await leave(c)
    del errors[:]
    serve_app(app, client)
    assert errors == [code, 1000], errors


def test_unmasked_frame():
    fails_with(1002, frame(1, 'no mask', mask=None))


def test_reserved_bits_and_opcodes():
    fails_with(1002, frame(1, 'rsv1', rsv=0x40))
    fails_with(1002, frame(1, 'rsv3', rsv=0x10))
    fails_with(1002, frame(3, 'opcode 3'))
    fails_with(1002, frame(11, 'opcode 11'))


def test_bad_control_frames():
    fails_with(1002, frame(9, b'x' * 126))  # control payload over 125
    fails_with(1002, frame(9, 'fragmented ping', fin=False))
    fails_with(1002, frame(8, b'\x03'))  # a 1-byte close payload


def test_bad_fragment_sequences():
    fails_with(1002, frame(0, 'nothing to continue'))
    fails_with(1002, frame(1, 'start', fin=False), frame(1, 'new start'))
    fails_with(1002, frame(2, 'start', fin=False), frame(2, 'again'))


def test_invalid_utf8_text():
    for bad in (b'\xff', b'\xc0\x80', b'\xe0\x80\xaf', b'\xed\xa0\x80',
                b'\xf4\x90\x80\x80', b'\xf5\x80\x80\x80', b'ok\xe2\x82'):
        fails_with(1007, frame(1, bad))
    # binary messages are not text: anything goes
    async def client(port):
        c = await connect(port)
        assert await roundtrip(c, b'\xff\xc0\x80', op=2) == b'\xff\xc0\x80'
        await leave(c)
    serve_app(app, client)


def test_invalid_utf8_is_caught_at_the_first_fragment():
    # the rest of the message is never sent: the server must not wait for
    # it to find the first fragment invalid
    fails_with(1007, frame(1, b'ok \xed\xa0', fin=False))
    fails_with(1007, frame(1, b'\xce\xba', fin=False),
               frame(0, b'\xf4\x90', fin=False))
    # a message that ends inside a character
    fails_with(1007, frame(1, b'\xce', fin=False), frame(0, b''))
    # nor wait for the end of a frame: 1000 bytes announced, 10 sent
    fails_with(1007, frame(1, b'valid \xf4\x90\x80\x80' + b'.' * 990)[:18])
    fails_with(1007, frame(1, b'\xce\xba', fin=False),
               frame(0, b'ok \xed\xa0\x80' + b'.' * 200)[:14])


def test_close_frame_checks():
    for code in (0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535):
        fails_with(1002, close_frame(code), answer=False)
    fails_with(1007, close_frame(1000, b'\xff reason'), answer=False)
    for code in (1000, 1001, 1003, 1007, 1011, 3000, 4999):
        fails_with(code, close_frame(code, b'reason'), answer=False)


def test_max_message_length():
    try:
        WebSocket.max_message_length = 10
        fails_with(1009, frame(2, b'x' * 11))
        fails_with(1009, frame(1, '12345', fin=False), frame(0, '678901'))

        async def client(port):
            c = await connect(port)
            assert await roundtrip(c, b'x' * 10, op=2) == b'x' * 10
            await c.send(frame(1, '12345', fin=False) + frame(9, 'ping') +
                         frame(0, '67890'))
            assert await recv(c) == (True, 10, b'ping')  # not counted
            assert await recv(c) == (True, 1, b'1234567890')
            await leave(c)
        serve_app(app, client)
        # -1: the limit is Request.max_body_length
        WebSocket.max_message_length = -1
        old = Request.max_body_length
        Request.max_body_length = 20
        try:
            fails_with(1009, frame(2, b'x' * 21))
        finally:
            Request.max_body_length = old
    finally:
        WebSocket.max_message_length = -1


def test_abrupt_disconnect():
    async def client(port):
        c = await connect(port)
        await c.send(frame(1, 'half a frame')[:5])
        await c.close()
        c = await connect(port)
        assert await roundtrip(c, 'next') == b'next'
        await leave(c)
    del errors[:]
    serve_app(app, client)
    assert len(errors) == 2 and None in errors and 1000 in errors
