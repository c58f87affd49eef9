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

    def __getattr__(self, name):
        # read() and readexactly(), which only request bodies and WebSocket
        # frames need, live in ``body`` and are put on this class when one
        # is first asked for: a device serving GET requests never loads
        # their code (about 700 B of RAM on the unix port)
        if name not in ('read', 'readexactly'):
            raise AttributeError(name)
        from . import body  # noqa: F401 (installs them)
        return getattr(self, name)
