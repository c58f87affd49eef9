"""Run a Microdot app under a WSGI server (gunicorn, uWSGI, waitress...).

``microdot.wsgi.Microdot`` is the application class to use: the app object
is then itself the WSGI callable, ``app(environ, start_response)``::

    from microdot.wsgi import Microdot

    app = Microdot()

    @app.get('/')
    async def index(request):
        return 'Hello from WSGI'

and ``gunicorn module:app`` serves it. The app runs in an event loop that
each server thread keeps for itself; plain ``def`` handlers run in a thread
beside it, as under the built-in server. CPython only.
"""
import asyncio
import concurrent.futures
import contextvars
import os
import signal
import sys
import threading
from urllib.parse import quote

from . import gateway
from .app import Microdot as BaseMicrodot
from .app import abort, redirect, send_file  # noqa: F401 (as Microdot's)
from .http11 import HTTPException
from .request import Request
from .response import Response, reason_phrase
from .streams import BufferedStream
from .structures import NoCaseDict


# the server thread of the request in progress (sync handlers run in
# another thread, with the request's context variables)
_serving_thread = contextvars.ContextVar('microdot_wsgi_thread')


class InputStream:
    """``wsgi.input`` with the ``async read`` the request body stream is
    built on (the read blocks, which is what a WSGI server thread does).
    It never asks for more than ``length`` bytes, the body's: PEP 3333
    input may be the socket itself, where reading past the body waits for
    the next request. A ``length`` of None reads to the input's end (for
    servers that set ``wsgi.input_terminated``)."""

    def __init__(self, wsgi_input, length):
        self.input = wsgi_input
        self.remaining = length

    async def read(self, n=-1):
        if n <= 0:
            n = 65536
        if self.remaining is not None:
            n = min(n, self.remaining)
            if n <= 0:
                return b''
        data = self.input.read(n)
        if self.remaining is not None:
            self.remaining -= len(data)
        return data


def environ_headers(environ):
    """The HTTP headers of a WSGI environ as the case-insensitive dict
    that ``request.headers`` is."""
    headers = NoCaseDict()
    for key, value in environ.items():
        if key.startswith('HTTP_'):
            name = key[5:]
        elif key in ('CONTENT_TYPE', 'CONTENT_LENGTH'):
            if not value:
                continue  # some servers give empty strings
            name = key
        else:
            continue
        gateway.add_header(headers,
                           gateway.header_name(name.replace('_', '-')),
                           value)
    return headers


def _request_target(environ):
    """The percent-encoded path and query of the request."""
    raw = environ.get('RAW_URI') or environ.get('REQUEST_URI')
    if raw and not environ.get('SCRIPT_NAME'):
        return raw  # exactly what the client sent
    # PEP 3333: PATH_INFO holds the decoded bytes as latin-1 characters
    path = quote(environ.get('PATH_INFO', '').encode('latin-1'),
                 safe="/:@!$&'()*+,;=~") or '/'
    query = environ.get('QUERY_STRING')
    return path + '?' + query if query else path


class BodyIterable:
    """A streamed response body as the iterable WSGI servers send: each
    piece is made by running the body's async iterator in the thread's
    event loop. ``close()`` (called by the server, also when the client
    went away) releases the body."""

    def __init__(self, res, loop):
        self.res = res
        self.loop = loop
        self.pieces = res.body_iter()

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            try:
                chunk = self.loop.run_until_complete(
                    self.pieces.__anext__())
            except StopAsyncIteration:
                raise StopIteration
            if chunk:
                return gateway.to_bytes(chunk)

    def close(self):
        self.loop.run_until_complete(gateway.close_body(self.res.body))


class Microdot(BaseMicrodot):
    """A Microdot app that is also a WSGI application: give the app object
    to a WSGI server. Each request carries the WSGI environ as
    ``request.environ``."""

    def __init__(self):
        super().__init__()
        self._threads = threading.local()
        self._server = None

    def event_loop(self):
        """The event loop of the calling thread, made on first use (a WSGI
        server may serve requests in several threads at once)."""
        loop = getattr(self._threads, 'loop', None)
        if loop is None or loop.is_closed():
            loop = asyncio.new_event_loop()
            # plain def handlers run in a thread beside it, as under the
            # built-in server (outside any event loop, so they may call
            # asyncio.run); one at a time, like the loop's requests
            loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix='microdot-wsgi'))
            self._threads.loop = loop
        return loop

    def close_event_loop(self):
        """Close the calling thread's event loop and its handler thread,
        for WSGI servers that end the thread after a request (the loop of
        a thread that lives on is kept for its next request)."""
        loop = getattr(self._threads, 'loop', None)
        if loop is not None and not loop.is_closed():
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    def __call__(self, environ, start_response):
        return self.wsgi_app(environ, start_response)

    def wsgi_app(self, environ, start_response):
        """The WSGI application."""
        loop = self.event_loop()
        run = loop.run_until_complete
        _serving_thread.set(threading.current_thread())
        req = None
        try:
            req = self.make_request(environ)
            length = req.content_length if 'Content-Length' in req.headers \
                else None
            source = BufferedStream(InputStream(environ['wsgi.input'],
                                                length))
            run(gateway.read_body(req, source,
                                  environ.get('wsgi.input_terminated',
                                              False)))
        except HTTPException as exc:
            res = run(self.error_response(req, exc.status_code, exc.reason))
        else:
            res = run(self.dispatch_request(req))
        if res is Response.already_handled:  # nothing to send
            res = Response(b'', 204)
        res, headers = run(gateway.prepare_response(self, req, res, True))
        start_response('%d %s' % (res.status_code, res.reason or
                                  reason_phrase(res.status_code)), headers)
        if not gateway.sends_body(res):
            run(gateway.close_body(res.body))
            return []
        if not res.is_streamed():
            return [res.body]
        return BodyIterable(res, loop)

    def make_request(self, environ):
        """The Request for a WSGI environ (its body is read separately)."""
        addr = environ.get('REMOTE_ADDR')
        port = environ.get('REMOTE_PORT')
        client = (addr, int(port) if port and port.isdigit() else 0) \
            if addr else None
        version = environ.get('SERVER_PROTOCOL', 'HTTP/1.1')
        req = Request(self, client, environ.get('REQUEST_METHOD', 'GET'),
                      _request_target(environ),
                      version[5:] if version.startswith('HTTP/') else '1.1',
                      environ_headers(environ),
                      scheme=environ.get('wsgi.url_scheme', 'http'))
        req.environ = environ
        return req

    def shutdown(self):
        """Stop the server once the requests in progress have finished.
        Under :meth:`run` the built-in development server stops; under
        gunicorn its master process is sent SIGTERM (a graceful stop);
        under another server this process is."""
        server = self._server
        if server is not None:
            # from a handler: another thread waits for the thread serving
            # this very request to finish its response, then stops
            serving = _serving_thread.get(None)

            def stop():
                if serving is not None and \
                        serving is not threading.main_thread():
                    serving.join(10)
                server.shutdown()
            threading.Thread(target=stop, daemon=True).start()
        elif 'gunicorn.workers.base' in sys.modules:
            os.kill(os.getppid(), signal.SIGTERM)
        else:
            os.kill(os.getpid(), signal.SIGTERM)

    def run(self, host='0.0.0.0', port=5000, debug=False, **options):
        """Serve the app with the standard library's ``wsgiref`` server, for
        development only; in production start a WSGI server (gunicorn...)
        with the app object instead."""
        from socketserver import ThreadingMixIn
        from wsgiref.simple_server import WSGIServer, make_server

        app = self

        class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
            daemon_threads = True

            def process_request_thread(self, request, client_address):
                # a thread per request: its event loop goes with it
                try:
                    super().process_request_thread(request, client_address)
                finally:
                    app.close_event_loop()

        self.debug = debug
        self._server = make_server(host, port, self,
                                   server_class=ThreadingWSGIServer,
                                   **options)
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()
            self._server = None


def __getattr__(name):
    # the names Microdot's microdot.wsgi re-exports. WebSocket routes need
    # the socket itself, which a WSGI server does not give: they answer 400
    # here (run the app under ASGI for them)
    if name in ('with_websocket', 'websocket_upgrade', 'WebSocket',
                'WebSocketError'):
        from . import websocket
        return getattr(websocket, name)
    return gateway.package_name(name)
