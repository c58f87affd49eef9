"""Server-Sent Events (``text/event-stream``): a handler sends events to the
browser over one long response. Loaded only by apps that use it.

    from microdot.sse import with_sse

    @app.route('/events')
    @with_sse
    async def events(request, sse):
        await sse.send({'temp': 21.5}, event='reading')

The handler runs as its own task while the server writes what it sends;
the stream ends when the handler returns or the client goes away (the
handler is then cancelled)."""
import asyncio
import json

from .response import Response
from .runtime import print_exception


def _lines(prefix, data, out):
    # CR LF, CR and LF all end a line in an event stream: each line of the
    # data becomes a field of its own, so none can start a new field
    if b'\r' in data:
        data = data.replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    for line in data.split(b'\n'):
        out.append(prefix)
        out.append(line)
        out.append(b'\n')


def _field(name, value):
    if not isinstance(value, (str, bytes)):
        value = str(value)
    if isinstance(value, str):
        value = value.encode()
    if b'\n' in value or b'\r' in value or b'\0' in value:
        raise ValueError('SSE event name or id with CR, LF or NUL')
    return name + value + b'\n'


def format_event(data, event=None, event_id=None, retry=None,
                 comment=False):
    """Format one event of a ``text/event-stream`` as bytes, blank line
    included. Usable without :class:`SSE`, e.g. by a handler that streams
    events from a generator.

    :param data: ``str`` or ``bytes`` sent as they are; a ``dict`` or
                 ``list`` is sent as JSON; anything else as ``str(data)``.
                 Data with several lines is sent as several ``data:``
                 lines, which the client joins back with newlines.
    :param event: the event name (the ``event:`` field).
    :param event_id: the event id (the ``id:`` field), which the browser
                     sends back as ``Last-Event-ID`` when it reconnects.
    :param retry: the reconnection delay the client should use, in seconds.
    :param comment: send ``data`` as a comment (``:`` lines), which clients
                    ignore; the other arguments are then ignored.

    An event name or id containing CR, LF or NUL raises ValueError.
    """
    if isinstance(data, (dict, list)):
        data = json.dumps(data).encode()
    elif isinstance(data, str):
        data = data.encode()
    elif not isinstance(data, (bytes, bytearray)):
        data = str(data).encode()
    out = []
    if comment:
        _lines(b': ', data, out)
    else:
        if event is not None:
            out.append(_field(b'event: ', event))
        if event_id is not None:
            out.append(_field(b'id: ', event_id))
        if retry is not None:
            out.append(b'retry: %d\n' % int(retry * 1000))
        _lines(b'data: ', data, out)
    out.append(b'\n')
    return b''.join(out)


class SSE:
    """An event stream to one client, handed to the handler of a
    :func:`with_sse` route, which calls :meth:`send` for each event.

    Settings (class attributes, for every stream):

    - ``keepalive_interval``: seconds without an event after which a
      comment line is sent, so proxies keep the connection open and a
      client that went away is noticed (15; ``None`` for never). At
      these ticks a stream also ends if ``app.shutdown()`` was called.
    - ``max_queue_size``: bytes of events that may wait for a slow client;
      beyond it :meth:`send` waits until the client has taken them (4096).

    The object is also the response body: the server iterates it."""

    keepalive_interval = 15
    max_queue_size = 4096

    def __init__(self):
        #: set when events are waiting to be written
        self.event = asyncio.Event()
        #: the formatted events waiting to be written
        self.queue = []
        self.size = 0
        self.drained = asyncio.Event()
        self.task = None
        self.done = False
        #: the request of the stream
        self.request = None
        self.run = None

    async def send(self, data, event=None, event_id=None, retry=None,
                   comment=False):
        """Send an event to the client (see :func:`format_event` for the
        arguments). Waits while too much is queued for a slow client.
        Returns False, sending nothing, once the stream has ended (the
        client left), else True."""
        if self.done:
            return False
        data = format_event(data, event, event_id, retry, comment)
        self.queue.append(data)
        self.size += len(data)
        self.event.set()
        while self.size > self.max_queue_size and not self.done:
            self.drained.clear()
            await self.drained.wait()
        return True

    async def _run(self, f, args, kwargs):
        try:
            await f(self.request, self, *args, **kwargs)
        except asyncio.CancelledError:
            pass
        except Exception as exc:
            print_exception(exc)
        self.done = True
        self.event.set()
        self.drained.set()

    def __aiter__(self):
        return self

    async def __anext__(self):
        # the server writes what this returns, one piece at a time
        if self.task is None:
            self.task = asyncio.create_task(self._run(*self.run))
            self.run = None
            await asyncio.sleep(0)  # let the handler queue its first events
            if not self.queue:
                return b':\n\n'  # sends the response head at once
        while not self.queue:
            if self.done:
                raise StopAsyncIteration
            self.event.clear()
            if self.keepalive_interval:
                try:
                    await asyncio.wait_for(self.event.wait(),
                                           self.keepalive_interval)
                except asyncio.TimeoutError:
                    server = getattr(self.request.app, 'server', None)
                    if getattr(server, 'stopping', False):
                        raise StopAsyncIteration  # app.shutdown() was called
                    return b':\n\n'
            else:
                await self.event.wait()
        queue = self.queue
        self.queue = []
        self.size = 0
        self.drained.set()
        return queue[0] if len(queue) == 1 else b''.join(queue)

    async def aclose(self):
        """End the stream: the handler is cancelled if still running.
        Called by the server when the response ends or the client left."""
        self.done = True
        self.drained.set()
        task = self.task
        if task is not None and not task.done():
            task.cancel()  # it ends at its next await


def sse_response(request, event_function, *args, **kwargs):
    """The response that runs an event stream: ``event_function(request,
    sse, *args, **kwargs)`` is started as a task when the response is sent
    and calls ``sse.send()`` for each event. :func:`with_sse` is the usual
    way to use it."""
    sse = SSE()
    sse.request = request
    sse.run = (event_function, args, kwargs)
    return Response(sse, headers={'Content-Type': 'text/event-stream',
                                  'Cache-Control': 'no-cache'})


def with_sse(f):
    """Decorator for a route whose handler sends Server-Sent Events: it is
    called as ``f(request, sse, **url_args)`` and uses ``await
    sse.send(...)``::

        @app.route('/events')
        @with_sse
        async def events(request, sse):
            await sse.send('hello')                    # data: hello
            await sse.send({'foo': 'bar'})             # data as JSON
            await sse.send('hi', event='greeting', event_id='1')
    """
    async def sse_handler(request, *args, **kwargs):
        return sse_response(request, f, *args, **kwargs)
    return sse_handler
