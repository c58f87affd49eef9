"""Signed calls to RPC actions, for callers that are not browsers: a device
calling another device or a server, a script, a CLI. Runs on MicroPython
and CPython::

    from microdot.action_signing import call_action

    data = await call_action('http://192.168.1.20/_device', 'Relay.set',
                             kwargs={'on': True}, secret=SECRET)

The server checks the signature with
:class:`microdot.action_guards.ActionSignatureGuard` and the same secret:
``X-Action-Signature`` is the hex HMAC-SHA256 of ``timestamp + "." + nonce
+ "." + body``, over the very bytes sent. The caller's clock must be right
(within the guard's ``max_skew``): on a board, set it with ``ntptime``
first.
"""
import json
import time

from .hmac import hexdigest_sha256, token_urlsafe

try:  # boards whose clock counts from 2000 instead of 1970
    _EPOCH = 946684800 if time.gmtime(0)[0] == 2000 else 0
except (AttributeError, IndexError):
    _EPOCH = 0


def unix_time():
    """The current time in seconds since 1970 (whatever epoch the board
    counts from)."""
    return int(time.time()) + _EPOCH


def signature(secret, timestamp, nonce, body):
    """The hex HMAC-SHA256 that signs a call: over ``timestamp + "." +
    nonce + "."`` followed by the raw ``body`` (bytes, or str as UTF-8)."""
    if isinstance(body, str):
        body = body.encode()
    return hexdigest_sha256(secret, ('%s.%s.' % (timestamp, nonce))
                            .encode() + bytes(body))


def sign(secret, body, timestamp=None, nonce=None):
    """The headers that sign ``body`` (the exact bytes to be sent): a dict
    with ``X-Action-Timestamp`` (now, unless given), ``X-Action-Nonce`` (a
    new random one, unless given) and ``X-Action-Signature``."""
    timestamp = str(unix_time() if timestamp is None else int(timestamp))
    nonce = nonce or token_urlsafe(16)
    return {'X-Action-Timestamp': timestamp, 'X-Action-Nonce': nonce,
            'X-Action-Signature': signature(secret, timestamp, nonce, body)}


def call_body(action, args=None, kwargs=None):
    """The body of a call, as bytes."""
    return json.dumps({'action': action, 'args': list(args or []),
                       'kwargs': kwargs or {}}).encode()


class ActionCallError(Exception):
    """A call answered with an error: ``status`` (the HTTP status),
    ``type`` and ``message`` (from the answer's ``error``)."""

    def __init__(self, status, type, message):
        super().__init__('%s %s: %s' % (status, type, message))
        self.status = status
        self.type = type
        self.message = message


async def call_action(url, action, args=None, kwargs=None, secret=None,
                      headers=None, timeout=10, max_size=16384):
    """Call an action and return its result (``data``).

    :param url: the actions URL (``http://host:port/_actions``); ``https``
                works where the runtime has ``ssl``.
    :param action: the action's name (``'Class.method'``).
    :param args: / ``kwargs``: the arguments.
    :param secret: the key shared with the server's
                   ``ActionSignatureGuard``; None sends the call unsigned.
    :param headers: more request headers (a dict).
    :param timeout: seconds for the whole exchange.
    :param max_size: the largest answer read.

    Raises :class:`ActionCallError` when the server answers an error."""
    import asyncio
    scheme, _, rest = url.partition('://')
    hostport, slash, path = rest.partition('/')
    host, _, port = hostport.partition(':')
    tls = scheme == 'https'
    body = call_body(action, args, kwargs)
    head = {'Host': hostport, 'Content-Type': 'application/json',
            'Content-Length': str(len(body)), 'Connection': 'close'}
    if secret is not None:
        head.update(sign(secret, body))
    if headers:
        head.update(headers)
    lines = ['POST /%s HTTP/1.0' % path if slash else 'POST / HTTP/1.0']
    for name in head:
        lines.append('%s: %s' % (name, head[name]))
    request = ('\r\n'.join(lines) + '\r\n\r\n').encode() + body

    async def exchange():
        reader, writer = await asyncio.open_connection(
            host, int(port or (443 if tls else 80)), ssl=tls or None)
        try:
            writer.write(request)
            await writer.drain()
            data = b''
            while len(data) <= max_size:
                chunk = await reader.read(2048)
                if not chunk:
                    break
                data += chunk
            return data
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except OSError:
                pass
    raw = await asyncio.wait_for(exchange(), timeout)
    status_line, _, rest = raw.partition(b'\r\n')
    try:
        status = int(status_line.split()[1])
        answer = json.loads(rest.partition(b'\r\n\r\n')[2].decode())
        if answer.get('ok') is True:
            return answer.get('data')
        error = answer['error']
        raise ActionCallError(status, error['type'], error['message'])
    except (ValueError, IndexError, KeyError, TypeError, AttributeError):
        raise ActionCallError(status_line.decode(), 'BadAnswer',
                              'not an answer of an actions endpoint')
