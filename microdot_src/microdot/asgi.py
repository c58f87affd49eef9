"""Run a Microdot app under an ASGI server (uvicorn, hypercorn, granian...).

``microdot.asgi.Microdot`` is the application class to use: the app object
is then itself the ASGI callable, ``app(scope, receive, send)``::

    from microdot.asgi import Microdot

    app = Microdot()

    @app.get('/')
    async def index(request):
        return 'Hello from ASGI'

and ``uvicorn module:app`` serves it. CPython only.
"""
import asyncio
import os
import signal
from urllib.parse import quote

from . import gateway
from .app import Microdot as BaseMicrodot
from .app import abort, redirect, send_file  # noqa: F401 (as Microdot's)
from .http11 import HTTPException
from .request import Request
from .response import Response
from .runtime import invoke_handler, print_exception
from .streams import BufferedStream
from .structures import NoCaseDict


class ReceiveStream:
    """The request body as a stream: each ``read`` returns the body of the
    next ``http.request`` message (b'' at the end of the body, or when the
    client went away)."""

    def __init__(self, receive):
        self.receive = receive
        self.done = False
        self.disconnected = False

    async def read(self, n=-1):
        while not self.done:
            message = await self.receive()
            if message['type'] == 'http.disconnect':
                self.done = self.disconnected = True
                break
            if not message.get('more_body', False):
                self.done = True
            body = message.get('body', b'')
            if body:
                return body
        return b''

    async def wait_disconnect(self):
        """Wait until the client is gone (discarding what is left of the
        body)."""
        while not self.disconnected:
            message = await self.receive()
            if message['type'] == 'http.disconnect':
                self.disconnected = True


# a WebSocket request has the scheme of the HTTP request it upgrades
_SCHEMES = {'http': 'http', 'https': 'https', 'ws': 'http', 'wss': 'https'}


def _request_target(scope):
    """The percent-encoded path and query of a scope, as a request line
    carries them (the root path, if any, taken off)."""
    path = scope.get('raw_path')
    path = path.decode('latin-1') if path else \
        quote(scope['path'].encode('utf-8'), safe="/:@!$&'()*+,;=~")
    root = scope.get('root_path')
    if root and path.startswith(root) and path[len(root):len(root) + 1] \
            in ('', '/'):
        path = path[len(root):] or '/'
    query = scope.get('query_string')
    if query:
        path += '?' + query.decode('latin-1')
    return path


def scope_headers(scope):
    """The headers of an ASGI scope as the case-insensitive dict that
    ``request.headers`` is."""
    headers = NoCaseDict()
    for name, value in scope.get('headers', ()):
        name = gateway.header_name(name.decode('latin-1'))
        gateway.add_header(headers, name, value.decode('latin-1'))
    return headers


class Microdot(BaseMicrodot):
    """A Microdot app that is also an ASGI application: give the app object
    to an ASGI server.

    :param lifespan_startup: a function (sync or async) called with the
                             ASGI scope when the server starts, before any
                             request (``lifespan.startup``); if it raises,
                             the server is told the startup failed.
    :param lifespan_shutdown: a function called with the scope when the
                              server stops (``lifespan.shutdown``).

    Both can also be set later as attributes of the same names. Each
    request carries the ASGI scope as ``request.asgi_scope``.
    """

    def __init__(self, lifespan_startup=None, lifespan_shutdown=None):
        super().__init__()
        self.lifespan_startup = lifespan_startup
        self.lifespan_shutdown = lifespan_shutdown

    async def __call__(self, scope, receive, send):
        await self.asgi_app(scope, receive, send)

    async def asgi_app(self, scope, receive, send):
        """The ASGI application: ``http``, ``websocket`` and ``lifespan``
        scopes."""
        kind = scope['type']
        if kind == 'http':
            await self.handle_http(scope, receive, send)
        elif kind == 'websocket':
            await self.handle_websocket(scope, receive, send)
        elif kind == 'lifespan':
            await self.handle_lifespan(scope, receive, send)

    async def handle_lifespan(self, scope, receive, send):
        """Answer the server's ``lifespan.startup`` and
        ``lifespan.shutdown`` messages, running the hooks."""
        while True:
            message = await receive()
            kind = message['type']
            if kind == 'lifespan.startup':
                hook = self.lifespan_startup
            elif kind == 'lifespan.shutdown':
                hook = self.lifespan_shutdown
            else:
                continue
            try:
                if hook is not None:
                    await invoke_handler(hook, scope)
            except Exception as exc:
                print_exception(exc)
                await send({'type': kind + '.failed',
                            'message': '%s: %s' % (type(exc).__name__, exc)})
                return
            await send({'type': kind + '.complete'})
            if kind == 'lifespan.shutdown':
                return

    def make_request(self, scope, headers):
        """The Request for an ``http`` or ``websocket`` scope (its body is
        read separately)."""
        client = scope.get('client')
        req = Request(self, tuple(client) if client else None,
                      scope.get('method', 'GET'), _request_target(scope),
                      scope.get('http_version', '1.1'), headers,
                      scheme=_SCHEMES.get(scope.get('scheme'), 'http'))
        req.asgi_scope = scope
        return req

    async def handle_http(self, scope, receive, send):
        """Serve one ``http`` scope: build the request, read its body (or
        leave a large one in ``request.stream``), dispatch it and send the
        response, streamed bodies piece by piece."""
        reader = ReceiveStream(receive)
        req = None
        try:
            req = self.make_request(scope, scope_headers(scope))
            await gateway.read_body(req, BufferedStream(reader))
        except HTTPException as exc:
            res = await self.error_response(req, exc.status_code, exc.reason)
        else:
            res = await self.dispatch_request(req)
        if res is not Response.already_handled:
            await self.send_response(req, res, send, reader)

    async def send_response(self, req, res, send, reader=None,
                            kind='http.response'):
        """Send a Response as ASGI ``http.response.start`` and
        ``http.response.body`` messages (``kind`` gives another prefix:
        ``websocket.http.response``). A streamed body goes piece by piece
        with ``more_body``, and stops if ``reader`` sees the client go."""
        res, headers = await gateway.prepare_response(self, req, res)
        await send({'type': kind + '.start', 'status': res.status_code,
                    'headers': [(n.lower().encode('latin-1'),
                                 v.encode('latin-1')) for n, v in headers]})
        if not gateway.sends_body(res):
            await gateway.close_body(res.body)
            await send({'type': kind + '.body', 'body': b''})
        elif not res.is_streamed():
            await send({'type': kind + '.body', 'body': res.body})
        else:
            await self._send_streamed(res, reader, send, kind)

    async def _send_streamed(self, res, reader, send, kind):
        # the body goes out piece by piece while another task watches for
        # the client going away, which stops the body (an endless stream
        # would otherwise run for ever)
        streaming = asyncio.ensure_future(self._send_pieces(res, send, kind))
        watching = asyncio.ensure_future(reader.wait_disconnect()) \
            if reader is not None else streaming
        try:
            await asyncio.wait((streaming, watching),
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            watching.cancel()
            streaming.cancel()  # nothing when it has finished
            try:
                await streaming  # a body that failed raises here
            except asyncio.CancelledError:
                pass
            finally:
                await gateway.close_body(res.body)

    @staticmethod
    async def _send_pieces(res, send, kind):
        async for chunk in res.body_iter():
            if chunk:
                await send({'type': kind + '.body',
                            'body': gateway.to_bytes(chunk),
                            'more_body': True})
        await send({'type': kind + '.body', 'body': b''})

    async def handle_websocket(self, scope, receive, send):
        """Serve one ``websocket`` scope: routes made with
        ``with_websocket`` (from ``microdot.websocket``, or this module)
        take it; see :mod:`microdot.asgi_websocket`."""
        from .asgi_websocket import handle_websocket
        await handle_websocket(self, scope, receive, send)

    def shutdown(self):
        """Stop the server this app runs in, once the requests in progress
        have finished (the process is sent SIGTERM, which ASGI servers
        take as a graceful stop). Safe to call from a handler."""
        os.kill(os.getpid(), signal.SIGTERM)

    def run(self, host='0.0.0.0', port=5000, debug=False, **options):
        """Serve the app with uvicorn (``pip install uvicorn``), for
        development; in production start the ASGI server of your choice
        with the app object instead. ``options`` go to ``uvicorn.run``."""
        import uvicorn
        self.debug = debug
        uvicorn.run(self, host=host, port=port, **options)


def __getattr__(name):
    # ``from microdot.asgi import with_websocket``, as with Microdot: the
    # WebSocket API of microdot.websocket works under ASGI as it is
    if name in ('with_websocket', 'websocket_upgrade', 'WebSocket',
                'WebSocketError'):
        from . import websocket
        return getattr(websocket, name)
    return gateway.package_name(name)
