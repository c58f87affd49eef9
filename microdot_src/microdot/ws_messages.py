"""A WebSocket socket fed and drained by messages instead of bytes.

The ``WebSocket`` of :mod:`microdot.websocket` reads and writes RFC 6455
frames on ``request.sock``. Where the peer is not a network client but
something that speaks in whole messages (an ASGI server, the test client),
:class:`MessageSocket` stands in for the socket: it turns each message the
peer gives into one client frame, and the frames the WebSocket writes back
into messages. The messages have the shape ASGI gives them
(``{'type': 'websocket.receive', 'text': ...}``, ``websocket.send``,
``websocket.accept``, ``websocket.close``, ``websocket.disconnect``), so the
handler sees what it sees under the built-in server: messages, close codes,
size limits and errors. Runs on both runtimes."""

TEXT, BINARY, CLOSE, PING, PONG = 1, 2, 8, 9, 10


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


class MessageSocket:
    """The two ends of ``request.sock`` for a WebSocket whose peer speaks in
    messages: ``read`` gives the messages ``receive()`` returns as frames,
    ``write``/``drain`` turn the server's frames into messages for
    ``send()``."""

    def __init__(self, receive, send):
        self.receive = receive
        self.send = send
        self.out = b''
        self.written = []  # what write() got since the last drain()
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
        # joined once in drain(): a long message comes in several writes,
        # and adding each to the rest would copy it again every time
        self.written.append(bytes(data))

    async def drain(self):
        if self.written:
            self.written.insert(0, self.out)
            self.out = b''.join(self.written)
            self.written = []
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
            # no ``from exc``: MicroPython warns that it cannot chain
            raise OSError('the WebSocket client went away: %r' % (exc,))

    def close(self):
        pass

    async def wait_closed(self):
        pass

    def get_extra_info(self, name, default=None):
        return default
