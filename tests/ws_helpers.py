"""A raw WebSocket client for the in-process tests (both runtimes): it
builds the frames itself (masked, or broken on purpose) over a
server_helpers.Conn, so every byte the server gets is chosen by the test."""
from server_helpers import Conn

KEY = 'dGhlIHNhbXBsZSBub25jZQ=='  # the example of RFC 6455, section 1.3
ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
MASK = b'\x37\xfa\x21\x3d'


def frame(op, payload=b'', fin=True, mask=MASK, rsv=0, long=False):
    """One client frame; ``long`` uses the 8-byte length even when short."""
    if isinstance(payload, str):
        payload = payload.encode()
    n = len(payload)
    b0 = (0x80 if fin else 0) | rsv | op
    m = 0x80 if mask else 0
    if long or n > 65535:
        head = bytes((b0, m | 127)) + n.to_bytes(8, 'big')
    elif n > 125:
        head = bytes((b0, m | 126)) + n.to_bytes(2, 'big')
    else:
        head = bytes((b0, m | n))
    if not mask:
        return head + payload
    return head + mask + bytes([c ^ mask[i & 3] for i, c in
                                enumerate(payload)])


def close_frame(code=None, reason=b''):
    return frame(8, b'' if code is None else code.to_bytes(2, 'big') + reason)


def upgrade_request(path='/echo', headers=''):
    return ('GET %s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n'
            'Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n'
            'Sec-WebSocket-Version: 13\r\n%s\r\n' % (path, KEY, headers)
            ).encode()


async def connect(port, path='/echo', headers=''):
    """A Conn after a successful handshake."""
    c = await Conn().open(port)
    await c.send(upgrade_request(path, headers))
    status, h, _ = await c.response(head=True)
    assert status == 101, status
    assert h['sec-websocket-accept'] == ACCEPT
    assert h['upgrade'].lower() == 'websocket'
    return c


async def recv(c):
    """(fin, opcode, payload) of the next server frame (never masked)."""
    b0, b1 = await c._take(2)
    assert not b1 & 0x80, 'the server masked a frame'
    n = b1 & 0x7f
    if n == 126:
        n = int.from_bytes(await c._take(2), 'big')
    elif n == 127:
        n = int.from_bytes(await c._take(8), 'big')
    return bool(b0 & 0x80), b0 & 0x0f, await c._take(n)


async def roundtrip(c, data, op=1):
    """Send one message, return the payload of the answer."""
    await c.send(frame(op, data))
    fin, rop, payload = await recv(c)
    assert fin and rop == op, (fin, rop, payload)
    return payload


async def expect_close(c, code, answer=True):
    """The next frame must be a close with ``code``; answer it (or not),
    then the server must close the TCP connection. Returns the reason."""
    fin, op, payload = await recv(c)
    assert op == 8, (op, payload)
    got = int.from_bytes(payload[:2], 'big') if payload else None
    assert got == code, (got, payload)
    if answer:
        await c.send(close_frame(code))
    assert await c.closed()
    await c.close()
    return payload[2:]


async def leave(c, code=None, reason=b''):
    """The client closes: the server must answer with the same code (1000
    for none) and end the connection. Returns the reason it sent."""
    await c.send(close_frame(code, reason))
    return await expect_close(c, code or 1000, answer=False)
