"""An in-memory stream with the asyncio stream API."""


class AsyncBytesIO:
    """An in-memory stream with the asyncio stream API (read, readline,
    readexactly, readuntil, write/awrite), used for bodies already in memory
    and by the test client."""

    def __init__(self, data=b''):
        self.data = data
        self.pos = 0
        self.written = []

    async def read(self, n=-1):
        if n < 0 or self.pos + n > len(self.data):
            n = len(self.data) - self.pos
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    async def readline(self):
        return await self.readuntil(b'\n')

    async def readexactly(self, n):
        if self.pos + n > len(self.data):
            raise EOFError('stream ended before the expected length')
        return await self.read(n)

    async def readuntil(self, separator=b'\n'):
        i = self.data.find(separator, self.pos)
        end = len(self.data) if i < 0 else i + len(separator)
        return await self.read(end - self.pos)

    def write(self, data):
        self.written.append(bytes(data))

    async def drain(self):
        pass

    async def awrite(self, data):
        self.write(data)

    def close(self):
        pass

    async def wait_closed(self):
        pass

    async def aclose(self):
        pass

    def get_extra_info(self, name, default=None):
        return default

    def getvalue(self):
        return b''.join(self.written)
