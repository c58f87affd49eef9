"""Reading a request body as its headers announce (Content-Length or
chunked; small bodies into memory, large ones left as a stream), and the
BufferedStream methods that read one, loaded by the first request that has
a body: a device serving GET requests never loads it."""
from .http11 import HTTPException
from .runtime import IS_MICROPYTHON
from .streams import READ_SIZE, BufferedStream


def parse_content_length(value):
    """The body length from a Content-Length value; 400 unless it is plain
    decimal digits (no sign, no spaces inside)."""
    if not value or len(value) > 18:
        raise HTTPException(400, 'Invalid Content-Length')
    for c in value:
        if c not in '0123456789':
            raise HTTPException(400, 'Invalid Content-Length')
    return int(value)


async def read_body(req, reader):
    """Read the body of the request ``req`` as its headers announce: into
    ``body`` when small, left in ``stream`` when large, de-chunked when
    chunked."""
    te = req.headers.get('Transfer-Encoding')
    if te is not None:
        if 'Content-Length' in req.headers:
            raise HTTPException(
                400, 'Both Content-Length and Transfer-Encoding')
        if te.lower() != 'chunked':
            raise HTTPException(501, 'Unsupported Transfer-Encoding')
        from .chunked import read_chunked
        req.body = await read_chunked(reader, req.max_content_length,
                                       req.max_readline)
        req.content_length = len(req.body)
        return
    n = req.content_length
    if n == 0 or n > req.max_content_length:
        # an oversized body is left unread: the app answers 413 and the
        # server closes the connection
        return
    if n <= req.max_body_length:
        try:
            req.body = await reader.readexactly(n)
        except EOFError:
            raise HTTPException(400, 'Incomplete body')
    else:
        from .bodystream import BodyStream
        req._stream = BodyStream(reader, n)


# BufferedStream.read and readexactly (see BufferedStream.__getattr__)

async def _read(self, n=-1):
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
    return _take(self, n)


def _take(self, n):
    # hand over the buffer itself when all of it goes: MicroPython
    # copies on every slice, even buf[:len(buf)]
    buf = self.buf
    if n >= len(buf):
        self.buf = b''
        return buf
    self.buf = buf[n:]
    return buf[:n]


async def _readexactly(self, n):
    """Exactly ``n`` bytes; EOFError if the connection ends first."""
    if len(self.buf) >= n:
        return _take(self, n)
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


BufferedStream.read = _read
BufferedStream.readexactly = _readexactly
