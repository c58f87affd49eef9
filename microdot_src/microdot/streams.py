"""Byte streams the request side reads from: the buffered connection reader,
a bounded view of one request body, and an in-memory stream."""
from .exceptions import HTTPException
from .http11 import find_head_end, parse_chunk_size
from .runtime import IS_MICROPYTHON

# bytes asked of the socket per read: small on a device, where each read
# allocates a buffer of this size, large on a desktop for fewer syscalls
READ_SIZE = 1024 if IS_MICROPYTHON else 65536


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

    async def read_head(self, max_line, max_headers):
        """Return the next complete request head (bytes with the blank line).
        Raises EOFError if the connection closed first, HTTPException for
        oversized heads."""
        while True:
            if self.buf:
                n = find_head_end(self.buf, max_line, max_headers)
                if n > 0:
                    head = self.buf[:n]
                    self.buf = self.buf[n:]
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
        chunk = self.buf[:n]
        self.buf = self.buf[n:]
        return chunk

    async def readexactly(self, n):
        """Exactly ``n`` bytes; EOFError if the connection ends first."""
        if len(self.buf) >= n:
            chunk = self.buf[:n]
            self.buf = self.buf[n:]
            return chunk
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

    async def readline(self, limit=1024):
        """One line ending with b'\\n' (kept). HTTPException 400 if it grows
        past ``limit`` bytes, EOFError if the connection ends first."""
        while True:
            i = self.buf.find(b'\n')
            if i >= 0:
                line = self.buf[:i + 1]
                self.buf = self.buf[i + 1:]
                return line
            if len(self.buf) > limit:
                raise HTTPException(400, 'Line too long')
            await self.fill()

    async def read_chunked(self, max_length, max_line):
        """Read a whole chunked body (RFC 9112 7.1) and return it. Trailers
        are read and dropped. 413 if the decoded body passes
        ``max_length``, 400 on a malformed chunk."""
        parts = []
        total = 0
        while True:
            line = await self.readline(max_line)
            if not line.endswith(b'\r\n'):
                raise HTTPException(400, 'Malformed chunk size line')
            size = parse_chunk_size(line[:-2])
            if size == 0:
                break
            total += size
            if total > max_length:
                raise HTTPException(413, 'Payload too large')
            parts.append(await self.readexactly(size))
            if await self.readexactly(2) != b'\r\n':
                raise HTTPException(400, 'Malformed chunk')
        count = 0
        while True:  # trailer section, ends with an empty line
            line = await self.readline(max_line)
            if line == b'\r\n':
                break
            if not line.endswith(b'\r\n'):
                raise HTTPException(400, 'Malformed trailer')
            count += 1
            if count > 32:
                raise HTTPException(431, 'Too many trailers')
        return b''.join(parts)


class BodyStream:
    """The unread part of one request body, for bodies too large to read
    into memory at once (``request.stream``). It never reads past the end of
    this request, so the next pipelined request is left intact."""

    def __init__(self, source, length):
        self.source = source
        self.remaining = length

    async def read(self, n=-1):
        if self.remaining <= 0:
            return b''
        if n < 0 or n > self.remaining:
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
