"""Chunked request bodies (RFC 9112, section 7.1), loaded only when a client
sends one."""
from .http11 import HTTPException


async def read_chunked(stream, max_length, max_line):
    """Read a whole chunked body (RFC 9112 7.1) and return it. Trailers
    are read and dropped. 413 if the decoded body passes
    ``max_length``, 400 on a malformed chunk."""
    parts = []
    total = 0
    while True:
        line = await readline(stream, max_line)
        if not line.endswith(b'\r\n'):
            raise HTTPException(400, 'Malformed chunk size line')
        size = parse_chunk_size(line[:-2])
        if size == 0:
            break
        total += size
        if total > max_length:
            raise HTTPException(413, 'Payload too large')
        parts.append(await stream.readexactly(size))
        if await stream.readexactly(2) != b'\r\n':
            raise HTTPException(400, 'Malformed chunk')
    count = 0
    while True:  # trailer section, ends with an empty line
        line = await readline(stream, max_line)
        if line == b'\r\n':
            break
        if not line.endswith(b'\r\n'):
            raise HTTPException(400, 'Malformed trailer')
        count += 1
        if count > 32:
            raise HTTPException(431, 'Too many trailers')
    return b''.join(parts)


def parse_chunk_size(line):
    """The size from a chunk-size line (bytes without CRLF); extensions after
    ';' are ignored. 400 on anything but hex digits."""
    semi = line.find(b';')
    if semi >= 0:
        line = line[:semi]
    line = line.strip(b' \t')
    if not line or len(line) > 15:
        raise HTTPException(400, 'Invalid chunk size')
    for c in line:
        if c not in b'0123456789abcdefABCDEF':
            raise HTTPException(400, 'Invalid chunk size')
    return int(line, 16)


async def readline(stream, limit=1024):
    """One line of ``stream`` (a BufferedStream) ending with b'\\n'
    (kept). HTTPException 400 if it grows past ``limit`` bytes, EOFError if
    the connection ends first. (Only chunked bodies read lines, so it lives
    here rather than in every app's RAM.)"""
    while True:
        i = stream.buf.find(b'\n')
        if i >= 0:
            if i > limit:  # the same limit when it came in one read
                raise HTTPException(400, 'Line too long')
            line = stream.buf[:i + 1]
            stream.buf = stream.buf[i + 1:]
            return line
        if len(stream.buf) > limit:
            raise HTTPException(400, 'Line too long')
        await stream.fill()
