"""Streamed response bodies (generators, async iterators and files, sent
chunked on HTTP/1.1) and bodies of 4 KiB or more. Imported only when a
response is one of them, so a device serving small bodies never loads
it."""
from .runtime import IS_MICROPYTHON, ticks


async def write_body(res, stream, version, close):
    """Response.write for a response that :meth:`Response.frame` does not
    put in one buffer; returns True when the connection must close after
    it."""
    send_body = not res.is_head and res.has_body()
    if not res.is_streamed():  # a large body, in a second write
        stream.write(res.build_head(version, close))
        if send_body:
            stream.write(res.body)
        await stream.drain()
        return bool(close)
    return await write_streamed(res, stream, version, close, send_body)


async def write_streamed(res, stream, version, close, send_body):
    """Write a response whose body is produced piece by piece; returns True
    when the connection must close after it."""
    headers = res.headers
    chunked = False
    if 'Content-Length' not in headers and res.has_body():
        if version == '1.1':
            headers['Transfer-Encoding'] = 'chunked'
            chunked = True
        else:
            close = True  # HTTP/1.0: the end of the body is the close
    stream.write(res.build_head(version, close))
    try:
        if send_body:
            async for chunk in res.body_iter():
                if isinstance(chunk, str):
                    chunk = chunk.encode()
                if not chunk:
                    continue
                if chunked:
                    stream.write(b'%x\r\n' % len(chunk))
                    stream.write(chunk)
                    stream.write(b'\r\n')
                else:
                    stream.write(chunk)
                await stream.drain()
            if chunked:
                stream.write(b'0\r\n\r\n')
        await stream.drain()
    finally:
        await close_body(res.body)
    return bool(close)


async def close_body(body):
    """Release a body's resources (an open file, a generator)."""
    try:
        if hasattr(body, 'aclose'):
            await body.aclose()
        elif hasattr(body, 'close'):
            body.close()
    except Exception:
        pass


def _next_chunk(gen):
    """The next body chunk of a generator, or None at its end. On
    MicroPython an ``async def`` with ``yield`` is a plain generator whose
    ``await``s surface as yielded values: those are passed up to the
    scheduler (this is used with ``await``, which is ``yield from`` there)
    and their results sent back in, so the body's awaits run properly."""
    try:
        v = next(gen)
        while not isinstance(v, (str, bytes, bytearray)):
            r = yield v
            v = gen.send(r)
    except StopIteration:
        return None
    return v


class BodyIter:
    """Async iteration over any kind of body, without async generators
    (MicroPython has none)."""

    def __init__(self, body, bufsize):
        self.body = body
        self.bufsize = bufsize
        self.it = None
        self.done = False
        if isinstance(body, (bytes, bytearray)):
            self.kind = 0
        elif hasattr(body, 'read'):
            self.kind = 1
        elif hasattr(body, '__anext__'):
            self.kind = 2
        elif hasattr(body, '__aiter__'):
            self.kind = 2
            self.body = body.__aiter__()
        else:
            self.kind = 3
            self.it = iter(body)

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.done:
            raise StopAsyncIteration
        kind = self.kind
        if kind == 0:
            self.done = True
            return self.body
        if kind == 1:
            data = self.body.read(self.bufsize)
            if type(data).__name__ in ('coroutine', 'generator'):
                data = await data  # an async file-like object
            if not data:
                self.done = True
                raise StopAsyncIteration
            return data
        if kind == 2:
            return await self.body.__anext__()
        if IS_MICROPYTHON and type(self.it).__name__ == 'generator':
            chunk = await _next_chunk(self.it)
            if chunk is None:
                self.done = True
                raise StopAsyncIteration
            return chunk
        try:
            return next(self.it)
        except StopIteration:
            self.done = True
            raise StopAsyncIteration


class Paced:
    # the writer of a streamed response as the server's watchdog sees it
    # (``state`` is the connection's [phase, ticks]): waiting for the
    # body's next piece is handler time (phase 3, no limit: an event stream
    # may be idle for hours); a drain, the client taking a piece, is write
    # time (phase 4)
    def __init__(self, writer, state):
        self.writer = writer
        self.write = writer.write
        self.state = state
        state[0] = 3

    async def drain(self):
        state = self.state
        state[0] = 4
        state[1] = ticks()
        await self.writer.drain()
        state[0] = 3
