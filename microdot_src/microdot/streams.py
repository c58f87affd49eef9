"""The buffered connection reader the server and requests read from."""
from .http11 import find_head_end
from .runtime import IS_MICROPYTHON

# bytes asked of the socket per read: small on a device, where each read
# allocates a buffer of this size, large on a desktop for fewer syscalls
READ_SIZE = 256 if IS_MICROPYTHON else 65536


class BufferedStream:
    """Reads a connection through one buffer, so that a request head usually
    arrives in a single socket read and pipelined requests that came in the
    same read are kept for the next turn of the loop."""

    def __init__(self, stream):
        self.stream = stream
        self.buf = b''

    async def fill(self):
        """Read more bytes from the connection; EOFError when it closed."""
        data = await self.stream.read(READ_SIZE)
        if not data:
            raise EOFError('connection closed')
        self.buf = self.buf + data if self.buf else data

    def take_head(self, max_line, max_headers):
        """The next request head if the buffer holds all of it, else None:
        the server awaits :meth:`read_head` only when it must (a coroutine
        less per request). HTTPException for an oversized head."""
        buf = self.buf
        n = find_head_end(buf, max_line, max_headers) if buf else 0
        if n <= 0:
            return None
        if n == len(buf):  # the usual read: one whole head, no copy
            self.buf = b''
            return buf
        self.buf = buf[n:]
        return buf[:n]

    async def read_head(self, max_line, max_headers):
        """Return the next complete request head (bytes with the blank line).
        Raises EOFError if the connection closed first, HTTPException for
        oversized heads."""
        while True:
            head = self.take_head(max_line, max_headers)
            if head is not None:
                return head
            await self.fill()

    async def read(self, n=-1):
        """Up to ``n`` bytes (all that arrives until EOF when n < 0)."""
        if n < 0:
            chunks = [self.buf]
            self.buf = b''
            while True:
                data = await self.stream.read(READ_SIZE)
                if not data:
                    return b''.join(chunks)
                chunks.append(data)
        if not self.buf and n > 0:
            try:
                await self.fill()
            except EOFError:
                return b''
        return self._take(n)

    def _take(self, n):
        # hand over the buffer itself when all of it goes: MicroPython
        # copies on every slice, even buf[:len(buf)]
        buf = self.buf
        if n >= len(buf):
            self.buf = b''
            return buf
        self.buf = buf[n:]
        return buf[:n]

    async def readexactly(self, n):
        """Exactly ``n`` bytes; EOFError if the connection ends first."""
        if len(self.buf) >= n:
            return self._take(n)
        parts = [self.buf]
        have = len(self.buf)
        self.buf = b''
        while have < n:
            data = await self.stream.read(min(READ_SIZE, n - have)
                                          if IS_MICROPYTHON else READ_SIZE)
            if not data:
                raise EOFError('connection closed in the middle of a body')
            parts.append(data)
            have += len(data)
        data = b''.join(parts)
        if have > n:
            self.buf = data[n:]
            data = data[:n]
        return data
