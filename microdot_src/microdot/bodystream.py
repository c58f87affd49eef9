"""The unread part of a large request body (``request.stream``)."""
from .streams import READ_SIZE


class BodyStream:
    """The unread part of one request body, for bodies too large to read
    into memory at once (``request.stream``). It never reads past the end of
    this request, so the next pipelined request is left intact."""

    def __init__(self, source, length):
        self.source = source
        self.remaining = length

    async def read(self, n=-1):
        """Up to ``n`` bytes of the body; with no ``n``, all the rest of it
        (as asyncio's ``read()`` reads to the end)."""
        if self.remaining <= 0 or n == 0:
            return b''
        if n < 0:
            return await self.readexactly(self.remaining)
        if n > self.remaining:
            n = self.remaining
        data = await self.source.read(n)
        if not data:
            raise EOFError('connection closed in the middle of a body')
        self.remaining -= len(data)
        return data

    async def readexactly(self, n):
        if n > self.remaining:
            raise EOFError('request body is shorter than requested')
        data = await self.source.readexactly(n)
        self.remaining -= n
        return data

    async def readline(self):
        return await self.readuntil(b'\n')

    async def readuntil(self, separator=b'\n'):
        """Bytes up to and including ``separator`` (or to the body's end)."""
        out = b''
        source = self.source
        while self.remaining > 0:
            if not source.buf:
                await source.fill()
            take = source.buf[:self.remaining]
            start = len(out) - len(separator) + 1
            out += take
            i = out.find(separator, start if start > 0 else 0)
            consumed = len(take)
            if i >= 0:
                end = i + len(separator)
                consumed -= len(out) - end
                out = out[:end]
            source.buf = source.buf[consumed:]
            self.remaining -= consumed
            if i >= 0:
                break
        return out

    async def skip(self, limit):
        """Discard the rest of the body so the connection can serve the next
        request; False (the connection must close) if more than ``limit``
        bytes are left."""
        if self.remaining > limit:
            return False
        while self.remaining > 0:
            await self.read(min(self.remaining, READ_SIZE))
        return True
