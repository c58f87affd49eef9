"""The client side of ``TestClient.websocket``: a generator plays the
WebSocket client, in-process, through a :class:`~microdot.ws_messages.
MessageSocket`.

The conversation is the generator's: it is started when the server first
reads or sends; each message the server sends is sent into it, and what it
yields next goes into the queue the server reads from. When the server
reads and the queue is empty, ``None`` is sent into the generator (its turn
to speak): that is how Microdot 2.x's test client drives it, so the same
generators work here."""
import asyncio


class GeneratorPeer:
    """``receive()`` and ``send()`` for a MessageSocket, in its message
    shapes, played by the generator that ``client()`` returns."""

    def __init__(self, client):
        self.gen = client()
        self.is_async = hasattr(self.gen, 'asend')
        self.started = False
        self.done = False  # the generator ended, raised or was closed
        self.error = None  # what it raised, for the test to see
        self.closed_by_server = None  # the close code the server sent
        self.queue = []  # client messages the server has not read yet
        self.wake = asyncio.Event()  # a server message arrived

    async def _step(self, message):
        # resume the generator with ``message``; queue what it yields
        if not self.started:
            self.started = True
            if message is not None:
                await self._step(None)  # it must first get to a yield
                if self.done:
                    return
        try:
            if self.is_async:
                out = await self.gen.asend(message)
            else:
                out = self.gen.send(message)
        except (StopIteration, StopAsyncIteration):
            self.done = True
            return
        except Exception as exc:  # a failed assert in the client
            self.done = True
            self.error = exc
            return
        if out is not None:
            if not isinstance(out, (str, bytes, bytearray)):
                self.done = True
                self.error = TypeError(
                    'a WebSocket test client yields str or bytes, not %s'
                    % type(out).__name__)
                return
            self.queue.append(out)

    async def receive(self):
        """The next client message for the server (waits for the
        generator); a disconnect once it has ended."""
        while True:
            if self.queue:
                out = self.queue.pop(0)
                if isinstance(out, str):
                    return {'type': 'websocket.receive', 'text': out}
                return {'type': 'websocket.receive', 'bytes': bytes(out)}
            if self.closed_by_server is not None:
                # answer the server's close frame with the same code
                return {'type': 'websocket.disconnect',
                        'code': self.closed_by_server}
            if self.done:
                # an error drops the connection without a closing handshake
                return {'type': 'websocket.disconnect',
                        'code': 1006 if self.error is not None else 1000}
            self.wake.clear()
            await self._step(None)
            if not (self.queue or self.done):
                # the generator has nothing to say: wait for the server
                # (another task of the app may send)
                await self.wake.wait()

    async def send(self, message):
        """A message from the server: a text or binary message goes into
        the generator; a close ends the conversation."""
        kind = message['type']
        if kind == 'websocket.send':
            if not self.done:
                data = message.get('text')
                if data is None:
                    data = message.get('bytes')
                await self._step(data)
            self.wake.set()
        elif kind == 'websocket.close':
            self.closed_by_server = message.get('code', 1000)
            self.queue = []
            await self._close_generator()
            self.wake.set()

    async def _close_generator(self):
        if self.done:
            return
        self.done = True
        if not self.started:
            return
        try:
            if self.is_async:
                await self.gen.aclose()
            else:
                self.gen.close()
        except Exception as exc:
            self.error = exc

    async def finish(self):
        """The request is over: close the generator if it still waits."""
        await self._close_generator()
