"""The asyncio connection loop: keep-alive, pipelining, limits, timeouts, a
connection cap and graceful shutdown. It moves bytes; parsing lives in
``http11`` and dispatch in ``app``.

Timeouts are enforced by one watchdog task per server rather than an
``asyncio.wait_for`` per read: each connection records its phase and when
the phase began, and the watchdog cancels the ones that overstay. That costs
no task and no allocation per request, on a device or a desktop."""
import asyncio

from .http11 import HTTPException, parse_request_head
from .request import Request
from .response import InvalidHeader, Response, unsent
from .runtime import IS_MICROPYTHON, TICKS_PER_S, print_exception, ticks, \
    ticks_diff
from .streams import READ_SIZE, BufferedStream

# errors that mean the peer went away: not worth a traceback
_GONE = (OSError, EOFError) if IS_MICROPYTHON else \
    (OSError, EOFError, ConnectionError)
_BUSY = b'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n' \
    b'Connection: close\r\nRetry-After: 1\r\n\r\n'
# connection phases, each with its timeout (the handler has none); a phase
# with 8 added timed out
_IDLE, _HEAD, _BODY, _HANDLE, _WRITE = 0, 1, 2, 3, 4


class Server:
    """Serves one app. Every setting is a class attribute (for all servers)
    and a keyword argument of ``Server()`` / ``app.run()`` (for one):

    - ``idle_timeout``: seconds a keep-alive connection may wait for its
      next request before it is closed (60).
    - ``header_timeout``: seconds a request head may take to arrive once
      its first byte came (10; then 408).
    - ``body_timeout``: seconds a request body read by the server (up to
      ``Request.max_body_length``, or chunked) may take (30; then 408).
      Larger bodies are read by the handler from ``request.stream``.
    - ``write_timeout``: seconds a client may take to accept a response,
      or each piece of a streamed one (60; then the connection is
      closed).
    - ``max_connections``: connections served at once; the excess get 503
      and are closed (0 = no limit; a device should set one).
    - ``backlog``: the listen queue (64, so bursts of clients are queued
      rather than refused).
    - ``drain_limit``: unread request body bytes the server reads and
      discards to keep a connection alive; more and it closes instead.
    - ``announce``: print the address once the server listens.

    The handler itself has no time limit.
    """

    idle_timeout = 60
    header_timeout = 10
    body_timeout = 30
    write_timeout = 60
    max_connections = 0
    backlog = 64
    drain_limit = 64 * 1024
    announce = False
    _scratch = None

    def __init__(self, app, **options):
        self.app = app
        for key in options:
            if not hasattr(Server, key):
                raise TypeError('unknown server option: ' + key)
            setattr(self, key, options[key])
        self.connections = {}  # task -> [phase, ticks when it began]
        self.listener = None
        self.stopping = False
        self.task = None  # the serving task while it waits for shutdown
        self.scheme = 'http'

    async def serve(self, host, port, ssl=None):
        """Listen on ``host:port`` and serve until :meth:`shutdown`.

        The task that serves is also the watchdog: it wakes every tick to
        cancel the connections that overstayed their phase's timeout, and
        :meth:`shutdown` cancels its sleep. So there is no event, no extra
        task and no timer per connection or request."""
        self.scheme = 'https' if ssl else 'http'
        if IS_MICROPYTHON and Server._scratch is None:
            # for the requests of refused clients: made now, since when
            # clients are refused the heap may be full
            Server._scratch = bytearray(64)
        if ssl is None:
            self.listener = await asyncio.start_server(
                self.handle_connection, host, port, backlog=self.backlog)
        else:
            self.listener = await asyncio.start_server(
                self.handle_connection, host, port, backlog=self.backlog,
                ssl=ssl)
        if self.app.debug or self.announce:
            print('Serving on %s://%s:%d' % (self.scheme, host, port))
        # each phase's limit in ticks (0: none); the watchdog wakes four
        # times per shortest limit (per second when there is none), between
        # 0.02 and 1 s (a loop, not two comprehensions: each is one more
        # code object in a device's RAM)
        limits = [self.idle_timeout, self.header_timeout, self.body_timeout,
                  None, self.write_timeout]
        shortest = 0
        for i in range(5):
            t = limits[i]
            if t and (not shortest or t < shortest):
                shortest = t
            limits[i] = int(t * TICKS_PER_S) if t else 0
        tick = (shortest or 1) / 4
        tick = 0.02 if tick < 0.02 else 1 if tick > 1 else tick
        self.task = asyncio.current_task()
        while not self.stopping:
            try:
                await asyncio.sleep(tick)
            except asyncio.CancelledError:
                if not self.stopping:
                    raise  # cancelled by the app, not by shutdown()
            self._expire(limits)
        self.task = None
        self.listener.close()
        # idle keep-alive connections are closed now; busy ones finish the
        # request in progress and then close. Before wait_closed(): from
        # CPython 3.12 on it also waits for every connection to close
        for task in list(self.connections):
            if self.connections[task][0] == _IDLE:
                task.cancel()
        try:
            await self.listener.wait_closed()
        except Exception:  # pragma: no cover
            pass
        while self.connections:
            await asyncio.sleep(0.02)
            self._expire(limits)

    def shutdown(self):
        """Ask the server to stop (returns at once; ``serve`` returns when
        the requests in progress have finished). Safe to call from a sync
        handler's thread on CPython."""
        if self.stopping:
            return
        self.stopping = True
        if self.task is not None:
            try:
                self.task.get_loop().call_soon_threadsafe(self._wake)
            except AttributeError:  # MicroPython: one thread, no get_loop
                self._wake()

    def _wake(self):
        # cancel serve()'s sleep, unless it has stopped sleeping already
        if self.task is not None:
            self.task.cancel()

    def _expire(self, limits):
        # cancel the connections whose phase outlasted its limit
        now = ticks()
        for task in list(self.connections):
            state = self.connections.get(task)
            if state and limits[state[0]] and \
                    ticks_diff(now, state[1]) > limits[state[0]]:
                state[0] |= 8  # timed out: the handler learns why
                task.cancel()

    async def handle_connection(self, reader, writer):
        """Serve every request of one connection."""
        if self.stopping or (self.max_connections and
                             len(self.connections) >= self.max_connections):
            # a socket closed with unread data resets the connection, and
            # the reset can destroy the 503 before the client reads it:
            # read what the client sent before the close
            if IS_MICROPYTHON:
                # the 503 at once (the stream sends it), then what came,
                # into one shared buffer, without waiting and without a
                # yield before the close: a burst of refused clients, each
                # kept waiting with a task and a buffer, exhausted a
                # device's heap, and asyncio's accept loop died of the
                # MemoryError
                try:
                    writer.write(_BUSY)
                    while reader.s.readinto(Server._scratch):
                        pass  # None: nothing more yet; 0: the client closed
                except Exception:
                    pass
                await self._close(writer)
                return
            try:
                await asyncio.wait_for(reader.read(4096), 0.05)
            except Exception:
                pass
            await self._close(writer, _BUSY)
            return
        task = asyncio.current_task()
        state = self.connections[task] = [_IDLE, ticks()]
        answer = None
        try:  # (the loop is inlined: one coroutine frame per connection)
            app = self.app
            stream = BufferedStream(reader)
            peer = writer.get_extra_info('peername')
            while True:
                state[0] = _IDLE
                state[1] = ticks()
                # an idle connection keeps nothing of the last exchange: on a
                # device, each of them held its request and response
                req = res = head = headers = names = conn = out = unread = \
                    data = None
                if not stream.buf:  # (not stream.fill(): a coroutine less)
                    data = await reader.read(READ_SIZE)
                    if not data:
                        return
                    stream.buf = data
                state[0] = _HEAD
                state[1] = ticks()
                try:
                    head = stream.take_head(Request.max_readline,
                                            Request.max_headers) or \
                        await stream.read_head(Request.max_readline,
                                               Request.max_headers)
                    method, url, version, headers = parse_request_head(head)
                    # the parser's headers: their lowercase keymap answers
                    # "is it there" without a method call
                    names = headers.keymap
                    if version == '1.1' and 'host' not in names:
                        raise HTTPException(400, 'No Host header')  # RFC 9112
                    req = Request(app, peer, method, url, version, headers,
                                  sock=(stream, writer), scheme=self.scheme)
                    state[0] = _BODY
                    state[1] = ticks()
                    if req.content_length or 'transfer-encoding' in names:
                        if not stream.buf and 'expect' in names:
                            from .expect import send_continue
                            await send_continue(req, writer)
                        from .body import read_body
                        await read_body(req, stream)
                except HTTPException as exc:
                    from .errors import refuse
                    await refuse(self, stream, writer, req, exc.status_code,
                                 exc.reason)
                    return
                except EOFError:
                    return
                state[0] = _HANDLE
                conn = headers['Connection'].lower() if 'connection' in names \
                    else ''
                close = 'keep-alive' not in conn if version == '1.0' else \
                    'close' in conn
                res = await app.dispatch_request(req)
                if res is Response.already_handled:
                    return  # the handler took over the connection (WebSocket)
                unread = req._stream
                linger = req.content_length > req.max_content_length or (
                    unread is not None and hasattr(unread, 'skip') and
                    not await unread.skip(self.drain_limit))
                if res.headers.get('Connection', '').lower() == 'close':
                    close = True
                    del res.headers['Connection']
                close = close or linger or self.stopping
                state[0] = _WRITE
                state[1] = ticks()
                try:
                    data = res.frame(version, close)
                    if data is not None:  # the usual answer: no coroutine
                        writer.write(data)
                        if unsent(writer):
                            await writer.drain()
                        close = bool(close)
                    else:  # streamed or large: frame() did complete()
                        from .bodies import Paced, write_body
                        out = Paced(writer, state) if res.is_streamed() \
                            else writer
                        close = await write_body(res, out, version, close)
                except InvalidHeader as exc:
                    # a header with CR/LF from user data: refuse to send it
                    print_exception(exc)
                    from .errors import refuse
                    await refuse(self, stream, writer, req, 500, None)
                    return
                except _GONE:
                    return
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # a streamed body failed midway
                    print_exception(exc)
                    return
                if close:
                    if linger:
                        from .errors import linger
                        await linger(self, stream)
                    return
                if self.stopping:  # shutdown came while this response was sent
                    return
        except asyncio.CancelledError:
            if state[0] in (_HEAD | 8, _BODY | 8) and not self.stopping:
                answer = b'HTTP/1.1 408 Request Timeout\r\n' \
                    b'Content-Length: 0\r\nConnection: close\r\n\r\n'
            elif state[0] == _WRITE | 8 and hasattr(writer, 'transport'):
                # CPython: a graceful close would keep the socket and the
                # unsent response until the client that reads nothing
                # leaves; drop them now
                writer.transport.abort()
        except _GONE:
            pass
        except MemoryError:
            answer = _BUSY
        except Exception as exc:  # pragma: no cover - a bug in the server
            print_exception(exc)
        finally:
            del self.connections[task]
            # on MicroPython a finished coroutine keeps its locals: whatever
            # still reaches the task for a while (a stale word the collector
            # cannot tell from a pointer, a table slot) would keep this
            # connection's buffers too
            stream = req = res = head = headers = names = data = peer = \
                out = unread = None
            await self._close(writer, answer)

    async def _close(self, writer, data=None):
        try:
            if data:
                writer.write(data)
                await writer.drain()
            writer.close()
            await writer.wait_closed()
        except Exception:
            pass
