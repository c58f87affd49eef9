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
from .ws_messages import MessageSocket

# the handshake headers an HTTP/2 WebSocket (RFC 8441) has no use for, and
# the WebSocket object checks: the ASGI server has checked the handshake
_HANDSHAKE = (('Upgrade', 'websocket'), ('Connection', 'Upgrade'),
              ('Sec-WebSocket-Key', 'AAAAAAAAAAAAAAAAAAAAAA=='),
              ('Sec-WebSocket-Version', '13'))


# the WebSocket socket of a ``websocket`` scope (kept under its old name)
ASGIWebSocketStream = MessageSocket


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
