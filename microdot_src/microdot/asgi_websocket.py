"""WebSocket routes under an ASGI server: ``with_websocket`` handlers of
``microdot.websocket`` run unchanged.

The ASGI server has already done the WebSocket framing; the handler's
``WebSocket`` object reads and writes RFC 6455 frames on ``request.sock``.
:class:`ASGIWebSocketStream` is that socket: each ``websocket.receive``
message is handed to the WebSocket as one frame, and each frame the
WebSocket writes becomes a ``websocket.accept`` (the 101 answer),
``websocket.send`` or ``websocket.close`` message. So the handler sees
exactly what it sees under the built-in server: messages, close codes,
size limits and errors. CPython only; ``microdot.asgi`` loads it for the
first ``websocket`` scope."""
from . import gateway
from .asgi import scope_headers
from .response import Response
from .streams import BufferedStream

TEXT, BINARY, CLOSE, PING, PONG = 1, 2, 8, 9, 10

# the handshake headers an HTTP/2 WebSocket (RFC 8441) has no use for, and
# the WebSocket object checks: the ASGI server has checked the handshake
_HANDSHAKE = (('Upgrade', 'websocket'), ('Connection', 'Upgrade'),
              ('Sec-WebSocket-Key', 'AAAAAAAAAAAAAAAAAAAAAA=='),
              ('Sec-WebSocket-Version', '13'))


def client_frame(opcode, payload):
    """One final frame as a client sends it (masked, with a zero mask that
    leaves the payload as it is)."""
    n = len(payload)
    if n < 126:
        head = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, 'big')
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, 'big')
    return head + b'\0\0\0\0' + payload


def parse_server_frame(buf):
    """``(fin, opcode, payload, rest)`` for the first frame in ``buf``
    (unmasked, as a server sends them), or None while it is incomplete."""
    if len(buf) < 2:
        return None
    n = buf[1] & 0x7f
    start = 2
    if n == 126:
        start = 4
    elif n == 127:
        start = 10
    if len(buf) < start:
        return None
    if start > 2:
        n = int.from_bytes(buf[2:start], 'big')
    if len(buf) < start + n:
        return None
    return (buf[0] & 0x80, buf[0] & 0x0f, bytes(buf[start:start + n]),
            buf[start + n:])


class ASGIWebSocketStream:
    """The two ends of ``request.sock`` for a WebSocket under ASGI: ``read``
    gives the client's messages as frames, ``write``/``drain`` turn the
    server's frames into ASGI messages."""

    def __init__(self, receive, send):
        self.receive = receive
        self.send = send
        self.out = b''
        self.accepted = False
        self.gone = False  # the client went away: nothing more is sent
        self.closed = False  # a close was sent: only that, once
        self.eof = False
        self.parts = None  # the fragments of a message being sent

    async def read(self, n=-1):
        """The next message of the client as one frame; a close frame when
        it closed, b'' after that (or when the connection dropped)."""
        if self.eof:
            return b''
        message = await self.receive()
        kind = message['type']
        if kind == 'websocket.receive':
            text = message.get('text')
            if text is not None:
                return client_frame(TEXT, text.encode())
            return client_frame(BINARY, message.get('bytes') or b'')
        if kind == 'websocket.disconnect':
            self.eof = self.gone = True
            code = message.get('code', 1005)
            if code == 1006:  # dropped without a closing handshake
                return b''
            return client_frame(CLOSE, b'' if code == 1005 else
                                code.to_bytes(2, 'big'))
        return b''

    def write(self, data):
        self.out += data

    async def drain(self):
        if not self.accepted:
            end = self.out.find(b'\r\n\r\n')
            if end < 0:
                return
            head = self.out[:end]
            self.out = self.out[end + 4:]
            if not head.startswith(b'HTTP/1.1 101 '):
                raise OSError('not a WebSocket handshake answer')
            self.accepted = True
            await self._send({'type': 'websocket.accept'})
        while True:
            frame = parse_server_frame(self.out)
            if frame is None:
                return
            fin, opcode, payload, self.out = frame
            await self._forward(fin, opcode, payload)

    async def _forward(self, fin, opcode, payload):
        if opcode == CLOSE:
            if not self.closed:
                self.closed = True
                code = int.from_bytes(payload[:2], 'big') \
                    if len(payload) >= 2 else 1000
                await self._send({'type': 'websocket.close', 'code': code,
                                  'reason': payload[2:].decode('utf-8',
                                                               'replace')})
            return
        if opcode in (PING, PONG) or self.closed:
            return  # the ASGI server pings by itself
        if opcode:
            self.opcode = opcode
            self.parts = [payload]
        elif self.parts is not None:
            self.parts.append(payload)
        if not fin or self.parts is None:
            return
        data = b''.join(self.parts)
        self.parts = None
        if self.opcode == TEXT:
            await self._send({'type': 'websocket.send',
                              'text': data.decode()})
        else:
            await self._send({'type': 'websocket.send', 'bytes': data})

    async def _send(self, message):
        if self.gone:
            raise OSError('the WebSocket client went away')
        try:
            await self.send(message)
        except Exception as exc:  # the server's own "disconnected" errors
            self.gone = True
            raise OSError('the WebSocket client went away') from exc

    def close(self):
        pass

    async def wait_closed(self):
        pass

    def get_extra_info(self, name, default=None):
        return default


async def handle_websocket(app, scope, receive, send):
    """Serve one ``websocket`` scope: dispatch it like the HTTP upgrade
    request it came from; a route made with ``with_websocket`` takes it
    over. Any other answer (404, 401...) is sent as the handshake's HTTP
    response where the server offers that (``websocket.http.response``),
    else the connection is refused (the server answers 403)."""
    message = await receive()
    if message['type'] != 'websocket.connect':
        return
    headers = scope_headers(scope)
    for name, value in _HANDSHAKE:
        if name not in headers:
            headers[name] = value
    req = app.make_request(scope, headers)
    req.http_version = '1.1'  # the upgrade the WebSocket object expects
    stream = ASGIWebSocketStream(receive, send)
    req.sock = (BufferedStream(stream), stream)
    res = await app.dispatch_request(req)
    if res is Response.already_handled or stream.accepted:
        return
    if 'websocket.http.response' in (scope.get('extensions') or {}):
        await app.send_response(req, res, send,
                                kind='websocket.http.response')
    else:
        await gateway.close_body(res.body)
        await send({'type': 'websocket.close', 'code': 1000})
