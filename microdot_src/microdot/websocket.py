"""WebSocket endpoints (RFC 6455) with the Microdot 2.x API: the
``with_websocket`` decorator, ``websocket_upgrade()`` and the ``WebSocket``
object with ``receive()``, ``send()`` and ``close()``.

The handler takes over the connection after the handshake. Pings are
answered, fragmented messages are joined, text is checked to be UTF-8, and a
peer that breaks the protocol gets the close code the RFC asks for (1002
protocol error, 1007 invalid UTF-8, 1009 message too big). No extensions
(compression) and no subprotocols are negotiated."""
import asyncio
import binascii
import hashlib

from .http11 import HTTPException
from .request import Request
from .response import Response
from .runtime import print_exception
from .streams import READ_SIZE, BufferedStream


class WebSocketError(Exception):
    """Raised by :meth:`WebSocket.receive` and :meth:`WebSocket.send` when
    the connection is closed (by either side) or the peer broke the
    protocol. ``code`` is the close code of the closing handshake, or None
    when the connection was dropped without one."""

    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


# lead bytes that make a UTF-8 sequence invalid by themselves (C0, C1,
# F5-F7) or depending on the byte after them (E0, ED, F0, F4); the
# structure (lead and continuation bytes) is checked by bytes.decode()
_LEADS = b'\xc0\xc1\xf5\xf6\xf7\xe0\xed\xf0\xf4'


def utf8_check(data, final=True):
    """Decode UTF-8 strictly (RFC 3629: no overlong forms, no surrogates,
    nothing above U+10FFFF; MicroPython's own decoder lets those pass).
    With ``final`` the text is returned; without it ``data`` may end inside
    a character and the unfinished end bytes are returned, to be put in
    front of the next piece. Raises UnicodeError for invalid bytes."""
    n = end = len(data)
    if not final:
        # a lead byte among the last three bytes, without all its
        # continuation bytes, starts an unfinished character
        i = n - 1
        while i >= 0 and i >= n - 3:
            c = data[i]
            if c >= 0xc0:
                if c >= 0xf8:
                    raise UnicodeError('invalid UTF-8')
                if n - i < (2 if c < 0xe0 else 3 if c < 0xf0 else 4):
                    end = i
                break
            if c < 0x80:
                break
            i -= 1
    text = (data[:end] if end < n else data).decode()
    if len(text) != end or end < n:  # not plain ASCII: check the leads
        for k in range(9):
            lead = _LEADS[k]
            p = data.find(_LEADS[k:k + 1])
            while p >= 0:
                if k < 5 or p + 1 < n and (
                        data[p + 1] < 0xa0 if lead == 0xe0 else
                        data[p + 1] >= 0xa0 if lead == 0xed else
                        data[p + 1] < 0x90 if lead == 0xf0 else
                        data[p + 1] >= 0x90):
                    raise UnicodeError('invalid UTF-8')
                p = data.find(_LEADS[k:k + 1], p + 1)
    return text if final else data[end:]


def _unmask(mask, buf, start, end):
    # XOR buf[start:end] in place with the 4-byte mask (which starts at
    # buf[0]), 256 bytes at a time as big integers: C speed on both
    # runtimes, no copy of the message
    j = start & 3
    try:
        m = int.from_bytes((mask[j:] + mask[:j]) * 64, 'big')
        for i in range(start, end, 256):
            k = end - i if end - i < 256 else 256
            buf[i:i + k] = (int.from_bytes(buf[i:i + k], 'big') ^
                            (m >> (8 * (256 - k)))).to_bytes(k, 'big')
    except OverflowError:  # a firmware without long integers
        for i in range(start, end):
            buf[i] ^= mask[i & 3]


class WebSocket:
    """A WebSocket connection, handed to the handlers of routes decorated
    with :func:`with_websocket` (or returned by :func:`websocket_upgrade`).

    Settings, as class attributes (``WebSocket.max_message_length = 4096``):

    - ``max_message_length``: the largest message accepted, in bytes, all
      its fragments together; a larger one closes the connection with code
      1009. -1 (the default) means ``Request.max_body_length``.
    - ``close_timeout``: seconds to wait for the peer's answer to a close
      frame the server sent, before the connection is dropped (5).
    - ``shutdown_poll``: how often, in seconds, an open connection checks
      whether ``app.shutdown()`` was called; it then closes with 1001 (1).
    """

    CONT = 0
    TEXT = 1
    BINARY = 2
    CLOSE = 8
    PING = 9
    PONG = 10

    max_message_length = -1
    close_timeout = 5
    shutdown_poll = 1

    def __init__(self, request):
        self.request = request
        #: True once a close frame was sent or the connection was lost
        self.closed = False
        # no socket (a WSGI server): handshake() answers 400
        reader, self.writer = request.sock or (None, None)
        if reader is not None and not isinstance(reader, BufferedStream):
            reader = BufferedStream(reader)
        self.reader = reader
        self._parts = None  # the fragments of a message in progress
        self._receiving = False
        self._lock = asyncio.Lock()  # one frame at a time on the wire
        self._watcher = None

    async def handshake(self):
        """Check the upgrade request and send the ``101 Switching
        Protocols`` answer. A bad request is answered with 400 (426 for a
        WebSocket version other than 13)."""
        req = self.request
        h = req.headers
        key = h.get('Sec-WebSocket-Key', '')
        if req.method != 'GET' or req.http_version != '1.1' or \
                req.sock is None or \
                'websocket' not in h.get('Upgrade', '').lower() or \
                'upgrade' not in [t.strip() for t in
                                  h.get('Connection', '').lower().split(',')]:
            raise HTTPException(400, 'Not a WebSocket handshake')
        try:
            if len(binascii.a2b_base64(key)) != 16:
                raise ValueError()
        except ValueError:  # binascii.Error is one on CPython
            raise HTTPException(400, 'Invalid Sec-WebSocket-Key')
        if h.get('Sec-WebSocket-Version') != '13':
            raise HTTPException(426, 'Unsupported WebSocket version')
        accept = binascii.b2a_base64(hashlib.sha1(
            key.encode() + b'258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
        ).digest())[:-1]
        self.writer.write(b'HTTP/1.1 101 Switching Protocols\r\n'
                          b'Upgrade: websocket\r\nConnection: Upgrade\r\n'
                          b'Sec-WebSocket-Accept: ' + accept + b'\r\n\r\n')
        await self.writer.drain()
        server = getattr(req.app, 'server', None)
        if server is not None:
            self._watcher = asyncio.create_task(
                self._watch(server, asyncio.current_task()))

    async def _watch(self, server, task):
        # app.shutdown() waits for the requests in progress, and this one
        # may last for hours: cancel it (with_websocket then sends 1001)
        while not (self.closed or task.done()):
            if server.stopping:
                task.cancel()
                break
            await asyncio.sleep(self.shutdown_poll)
        self._watcher = None

    def _unwatch(self):
        # stop the watcher now: a MicroPython task that ended can keep its
        # last big buffers alive for as long as something refers to it
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None

    async def receive(self):
        """Wait for the next message: a ``str`` for a text message, ``bytes``
        for a binary one. Pings are answered meanwhile. Raises
        WebSocketError when the connection closes (its ``code`` says why)."""
        if self.closed:
            raise WebSocketError('Websocket connection closed')
        self._receiving = True
        try:
            while True:
                msg = await self._next_frame()
                if msg is not None:
                    return msg
        except WebSocketError as exc:
            if exc.code is not None and not self.closed:
                # the peer broke the protocol: fail the connection
                await self._send_close(exc.code, str(exc))
                await self._drain(0.25)
            self.closed = True
            raise
        except (EOFError, OSError):
            self.closed = True
            raise WebSocketError('Websocket connection closed')
        finally:
            self._receiving = False

    async def _next_frame(self):
        # one frame: a complete message, or None (control frame, fragment)
        fin, op, payload = await self._read_frame()
        if op == self.PING:
            await self.send(payload, self.PONG)
            return None
        if op == self.PONG:
            return None
        if op == self.CLOSE:
            await self._peer_closed(payload)
        if op:
            if self._parts is not None:
                raise WebSocketError('Expected a continuation frame', 1002)
            if fin:
                return self._text(payload, True) if op == self.TEXT \
                    else bytes(payload)
            self._op = op
            self._parts = [payload]
            self._size = len(payload)
            self._tail = self._text(payload, False) if op == self.TEXT \
                else b''
            return None
        if self._parts is None:
            raise WebSocketError('Unexpected continuation frame', 1002)
        self._parts.append(payload)
        self._size += len(payload)
        if self._op == self.TEXT:
            self._tail = self._text(self._tail + payload, False)
        if not fin:
            return None
        data = b''.join(self._parts)
        self._parts = None
        if self._op == self.TEXT:
            if self._tail:
                raise WebSocketError('Invalid UTF-8 text', 1007)
            return data.decode()  # checked piece by piece already
        return data

    def _text(self, data, final):
        try:
            return utf8_check(data, final)
        except UnicodeError:
            raise WebSocketError('Invalid UTF-8 text', 1007)

    async def _read_frame(self):
        r = self.reader
        while len(r.buf) < 2:
            await r.fill()
        b0, b1 = await r.readexactly(2)
        op = b0 & 0x0f
        n = b1 & 0x7f
        if b0 & 0x70:
            raise WebSocketError('Reserved bits set', 1002)
        if not b1 & 0x80:
            raise WebSocketError('Unmasked client frame', 1002)
        if op >= 8:
            if op > 10 or n > 125 or not b0 & 0x80:
                raise WebSocketError('Invalid control frame', 1002)
        elif op > 2:
            raise WebSocketError('Reserved opcode', 1002)
        if n == 126:
            n = int.from_bytes(await r.readexactly(2), 'big')
        elif n == 127:
            n = int.from_bytes(await r.readexactly(8), 'big')
        if op < 8:
            limit = self.max_message_length
            if limit < 0:
                limit = Request.max_body_length
            if n + (self._size if op == 0 and self._parts else 0) > limit:
                raise WebSocketError('Message too large', 1009)
        mask = await r.readexactly(4)
        # the payload goes straight into one buffer, unmasked in place
        buf = bytearray(n)
        have = len(r.buf)
        done = 0
        if have >= n:
            buf[:] = r.buf[:n]
            r.buf = r.buf[n:]
        else:
            buf[:have] = r.buf
            r.buf = b''
            text = op == 1 or op == 0 and self._parts and self._op == 1
            tail = self._tail if op == 0 and text else b''
            while True:
                if text and have > done:  # check text as it arrives
                    _unmask(mask, buf, done, have)
                    tail = self._text(tail + buf[done:have], False)
                    done = have
                if have == n:
                    break
                data = await r.stream.read(min(n - have, READ_SIZE))
                if not data:
                    raise EOFError('connection closed')
                buf[have:have + len(data)] = data
                have += len(data)
        _unmask(mask, buf, done, n)
        return b0 & 0x80, op, buf

    async def _peer_closed(self, payload):
        # the peer started the closing handshake: answer it and stop
        code = 1000
        if payload:
            code = int.from_bytes(payload[:2], 'big')
            if len(payload) < 2 or not (
                    1000 <= code <= 1003 or 1007 <= code <= 1014 or
                    3000 <= code <= 4999):
                raise WebSocketError('Invalid close code', 1002)
            self._text(payload[2:], True)
        if not self.closed:
            await self._send_close(code)
            await self._drain(0.02)
        self.closed = True
        raise WebSocketError('Websocket connection closed', code)

    async def _drain(self, quiet):
        # read and drop what the peer still sends, until it has been quiet
        # for ``quiet`` seconds (or closed): closing a socket with unread
        # data resets the connection, and the reset can destroy the close
        # frame before the peer reads it
        r = self.reader
        r.buf = b''
        total = 0
        try:
            while total < 65536:
                data = await asyncio.wait_for(r.stream.read(4096), quiet)
                if not data:
                    return
                total += len(data)
        except Exception:
            pass

    async def send(self, data, opcode=None):
        """Send a message: a ``str`` goes as text, ``bytes`` as binary
        (``opcode`` forces a frame type, e.g. ``WebSocket.PING``). Raises
        WebSocketError if the connection is closed."""
        if self.closed:
            raise WebSocketError('Websocket connection closed')
        if isinstance(data, str):
            data = data.encode()
            if opcode is None:
                opcode = self.TEXT
        elif opcode is None:
            opcode = self.BINARY
        n = len(data)
        if n < 126:
            head = bytes((0x80 | opcode, n))
        elif n < 65536:
            head = bytes((0x80 | opcode, 126, n >> 8, n & 0xff))
        else:
            head = bytes((0x80 | opcode, 127)) + n.to_bytes(8, 'big')
        w = self.writer
        try:
            async with self._lock:
                if n < 4096:
                    w.write(head + data)  # one write, one packet
                else:
                    # in pieces: a device's socket takes a few KB at a time
                    # and would otherwise keep a copy of the rest
                    w.write(head)
                    for i in range(0, n, 4096):
                        w.write(data[i:i + 4096])
                        await w.drain()
                await w.drain()
        except OSError:
            self.closed = True
            raise WebSocketError('Websocket connection closed')

    async def _send_close(self, code, reason=''):
        try:
            await self.send(code.to_bytes(2, 'big') + reason.encode()[:123],
                            self.CLOSE)
        except WebSocketError:
            pass
        self.closed = True

    async def close(self, code=1000, reason=''):
        """Close the connection: send a close frame with ``code`` (1000,
        normal closure) and an optional ``reason``, then wait (up to
        ``close_timeout`` seconds) for the peer's close frame."""
        if self.closed:
            return
        await self._send_close(code, reason)
        if self._receiving:
            return  # the receive() in progress will see the answer
        try:
            await asyncio.wait_for(self._await_close(), self.close_timeout)
        except Exception:
            pass

    async def _await_close(self):
        while True:
            fin, op, payload = await self._read_frame()
            if op == self.CLOSE:
                return


async def websocket_upgrade(request):
    """Upgrade the request to a WebSocket connection and return the
    :class:`WebSocket`, for handlers that decide for themselves when to
    upgrade (after checking credentials, for example). A handler that calls
    it must return ``Response.already_handled`` when done."""
    ws = WebSocket(request)
    await ws.handshake()
    return ws


def websocket_wrapper(f, upgrade_function):
    """Make ``f(request, ws, ...)`` a WebSocket handler whose connection is
    upgraded by ``upgrade_function(request)`` (what :func:`with_websocket`
    does with :func:`websocket_upgrade`)."""
    async def wrapper(request, *args, **kwargs):
        try:
            ws = await upgrade_function(request)
        except HTTPException as exc:
            if exc.status_code != 426:
                raise
            return Response(exc.reason, 426, {'Sec-WebSocket-Version': '13'})
        code = 1000
        try:
            await f(request, ws, *args, **kwargs)
        except WebSocketError:
            pass
        except asyncio.CancelledError:
            # the connection task is cancelled (the server stops)
            ws._unwatch()
            await ws._send_close(1001)  # going away
            raise
        except Exception as exc:
            print_exception(exc)
            code = 1011  # internal error
        ws._unwatch()
        await ws.close(code)
        return Response.already_handled
    return wrapper


def with_websocket(f):
    """Decorator that makes a route a WebSocket endpoint. The handler
    receives the WebSocket as its second argument::

        @app.route('/echo')
        @with_websocket
        async def echo(request, ws):
            while True:
                message = await ws.receive()
                await ws.send(message)

    When the handler returns (or raises) the connection is closed, with
    code 1000 (or 1011 for an exception other than WebSocketError)."""
    return websocket_wrapper(f, websocket_upgrade)
