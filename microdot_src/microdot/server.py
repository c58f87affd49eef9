"""The asyncio connection loop: keep-alive, pipelining, limits, timeouts, a
connection cap and graceful shutdown. It moves bytes; parsing lives in
``http11`` and dispatch in ``app``."""
import asyncio

from .http11 import HTTPException
from .http11 import find_head_end, parse_request_head
from .request import Request
from .response import InvalidHeader, Response, reason_phrase
from .runtime import IS_MICROPYTHON, print_exception
from .streams import BufferedStream

try:
    import gc
except ImportError:  # pragma: no cover
    gc = None

# errors that mean the peer went away: not worth a traceback
_GONE = (OSError, EOFError)
if not IS_MICROPYTHON:
    _GONE = (OSError, EOFError, ConnectionError)


class Server:
    """Serves one app. Every setting is a class attribute (for all servers)
    and a keyword argument of ``Server()`` / ``app.run()`` (for one):

    - ``idle_timeout``: seconds a keep-alive connection may wait for its
      next request before it is closed (60).
    - ``header_timeout``: seconds a started request head may take to
      arrive (10; then 408).
    - ``body_timeout``: seconds a request body may take to arrive (30).
    - ``write_timeout``: seconds a client may take to accept a streamed or
      large response (60).
    - ``max_connections``: connections served at once; the excess get 503
      and are closed (0 = no limit; a device should set one).
    - ``backlog``: the listen queue (64, so bursts of clients are queued
      rather than refused).
    - ``drain_limit``: unread request body bytes the server reads and
      discards to keep a connection alive; more and it closes instead.
    - ``announce``: print the address once the server listens.
    """

    idle_timeout = 60
    header_timeout = 10
    body_timeout = 30
    write_timeout = 60
    max_connections = 0
    backlog = 64
    drain_limit = 64 * 1024
    announce = False

    def __init__(self, app, **options):
        self.app = app
        for key in options:
            if not hasattr(Server, key):
                raise TypeError('unknown server option: ' + key)
            setattr(self, key, options[key])
        self.connections = {}  # task -> busy flag
        self.listener = None
        self.stopping = False
        self.stop_event = asyncio.Event()
        self.idle_event = asyncio.Event()
        self.scheme = 'http'

    async def serve(self, host, port, ssl=None):
        """Listen on ``host:port`` and serve until :meth:`shutdown`."""
        self.scheme = 'https' if ssl else 'http'
        if ssl is None:
            self.listener = await asyncio.start_server(
                self.handle_connection, host, port, backlog=self.backlog)
        else:
            self.listener = await asyncio.start_server(
                self.handle_connection, host, port, backlog=self.backlog,
                ssl=ssl)
        if self.app.debug or self.announce:
            print('Serving on {}://{}:{}'.format(self.scheme, host, port))
        await self.stop_event.wait()
        await self._stop()

    def shutdown(self):
        """Ask the server to stop (returns at once; ``serve`` returns when
        the requests in progress have finished)."""
        self.stopping = True
        self.stop_event.set()

    async def _stop(self):
        self.listener.close()
        # idle keep-alive connections are closed now; busy ones finish the
        # request in progress and then close. Before wait_closed(): from
        # CPython 3.12 on it also waits for every connection to close
        for task, busy in list(self.connections.items()):
            if not busy:
                task.cancel()
        try:
            await self.listener.wait_closed()
        except Exception:  # pragma: no cover
            pass
        while self.connections:
            self.idle_event.clear()
            await self.idle_event.wait()

    async def handle_connection(self, reader, writer):
        """Serve every request of one connection."""
        task = asyncio.current_task()
        if self.stopping or (self.max_connections and
                             len(self.connections) >= self.max_connections):
            await self._refuse(reader, writer)
            return
        self.connections[task] = False
        try:
            await self._serve_requests(task, reader, writer)
        except asyncio.CancelledError:
            pass
        except _GONE:
            pass
        except MemoryError:
            self._emergency(writer)
        except Exception as exc:  # pragma: no cover - a bug in the server
            print_exception(exc)
        finally:
            del self.connections[task]
            try:
                writer.close()
                await writer.wait_closed()
            except Exception:
                pass
            self.idle_event.set()

    async def _refuse(self, reader, writer):
        # read what the client already sent, so closing does not reset the
        # connection before the 503 arrives
        try:
            await asyncio.wait_for(reader.read(4096), 0.05)
        except Exception:
            pass
        try:
            writer.write(b'HTTP/1.1 503 Service Unavailable\r\n'
                         b'Content-Length: 0\r\nConnection: close\r\n'
                         b'Retry-After: 1\r\n\r\n')
            await writer.drain()
            writer.close()
            await writer.wait_closed()
        except Exception:
            pass

    def _emergency(self, writer):
        if gc is not None:
            gc.collect()
        try:
            writer.write(b'HTTP/1.1 503 Service Unavailable\r\n'
                         b'Content-Length: 0\r\nConnection: close\r\n\r\n')
        except Exception:
            pass

    async def _serve_requests(self, task, reader, writer):
        app = self.app
        stream = BufferedStream(reader)
        peer = writer.get_extra_info('peername')
        max_line = Request.max_readline
        max_headers = Request.max_headers
        while True:
            # wait for the next request, idle
            if not stream.buf:
                try:
                    await asyncio.wait_for(stream.fill(), self.idle_timeout)
                except asyncio.TimeoutError:
                    return
                except EOFError:
                    return
            self.connections[task] = True
            req = None
            try:
                n = find_head_end(stream.buf, max_line, max_headers)
                if n > 0:
                    head = stream.buf[:n]
                    stream.buf = stream.buf[n:]
                else:
                    head = await asyncio.wait_for(
                        stream.read_head(max_line, max_headers),
                        self.header_timeout)
                method, url, version, headers = parse_request_head(head)
                req = Request(app, peer, method, url, version, headers,
                              sock=(stream, writer), scheme=self.scheme)
                if req.content_length and \
                        len(stream.buf) < req.content_length or \
                        'Transfer-Encoding' in headers:
                    if not stream.buf and 'Expect' in headers:
                        await self._send_continue(req, writer)
                    await asyncio.wait_for(req.read_body(stream),
                                           self.body_timeout)
                else:
                    await req.read_body(stream)
            except HTTPException as exc:
                await self._send_error(stream, writer, req, exc.status_code,
                                       exc.reason)
                return
            except asyncio.TimeoutError:
                await self._send_error(stream, writer, req, 408, None)
                return
            except EOFError:
                return

            close = self._wants_close(req)
            res = await app.dispatch_request(req)
            if res is Response.already_handled:
                return  # the handler took over the connection (WebSocket)
            unread = req._stream
            linger = req.content_length > req.max_content_length or (
                unread is not None and hasattr(unread, 'skip') and
                not await unread.skip(self.drain_limit))
            if linger:
                close = True  # the body was not read: cannot go on
            if res.headers.get('Connection', '').lower() == 'close':
                close = True
                del res.headers['Connection']
            if self.stopping:
                close = True
            try:
                if res.is_streamed() or len(res.body) > 4096:
                    close = await asyncio.wait_for(
                        res.write(writer, req.http_version, close),
                        self.write_timeout)
                else:
                    close = await res.write(writer, req.http_version, close)
            except InvalidHeader as exc:
                # a header with CR/LF from user data: refuse to send it
                print_exception(exc)
                await self._send_error(stream, writer, req, 500, None)
                return
            except asyncio.TimeoutError:
                return
            except _GONE:
                return
            except Exception as exc:  # a streamed body failed midway
                print_exception(exc)
                return
            if close:
                if linger:
                    await self._linger(stream)
                return
            self.connections[task] = False
            if self.stopping:
                return

    async def _send_continue(self, req, writer):
        """Answer ``Expect: 100-continue`` with ``100 Continue`` when the
        body will be read: the client waits for it before sending the body
        (RFC 9110 10.1.1)."""
        h = req.headers
        te = h.get('Transfer-Encoding')
        if req.http_version == '1.1' and \
                h['Expect'].lower() == '100-continue' and \
                req.content_length <= req.max_content_length and \
                (te is None or te.lower() == 'chunked' and
                 'Content-Length' not in h):
            writer.write(b'HTTP/1.1 100 Continue\r\n\r\n')
            await writer.drain()

    def _wants_close(self, req):
        conn = req.headers.get('Connection')
        if conn is None:
            return req.http_version == '1.0'
        conn = conn.lower()
        if req.http_version == '1.0':
            return 'keep-alive' not in conn
        return 'close' in conn

    async def _linger(self, stream):
        """Read and drop, briefly, what the client is still sending (a body
        that was refused) before the connection closes: closing a socket with
        unread data resets it, and the reset can destroy the answer before
        the client has read it."""
        total = 0
        try:
            while total < self.drain_limit:
                data = await asyncio.wait_for(stream.stream.read(4096), 0.25)
                if not data:
                    return
                total += len(data)
        except Exception:
            pass

    async def _send_error(self, stream, writer, req, status_code, reason):
        """Answer a request that could not be read, then the connection is
        closed (its framing can no longer be trusted)."""
        try:
            res = await self.app.error_response(req, status_code, reason)
        except Exception as exc:
            print_exception(exc)
            res = Response(reason or reason_phrase(status_code), status_code)
        try:
            await res.write(writer, '1.1', True)
        except Exception:
            return
        await self._linger(stream)
