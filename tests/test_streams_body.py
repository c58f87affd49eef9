"""BodyStream (microdot.streams): one request body read in pieces from a
BufferedStream, never past its end into the next request. Both runtimes."""

from microdot.bodystream import BodyStream
from microdot.bytesio import AsyncBytesIO
from microdot.streams import BufferedStream

import support
from stream_helpers import Trickle, eof

NEXT = b'GET /next HTTP/1.1\r\n\r\n'


def bodies(body, after=NEXT):
    """(BodyStream, BufferedStream) pairs over body + after: one fast, one
    trickling, one where the whole body is already in the buffer."""
    out = []
    for src in (AsyncBytesIO(body + after), Trickle(body + after)):
        buffered = BufferedStream(src)
        out.append((BodyStream(buffered, len(body)), buffered))
    buffered = BufferedStream(AsyncBytesIO(b''))
    buffered.buf = body + after
    out.append((BodyStream(buffered, len(body)), buffered))
    return out


async def next_head_intact(buffered):
    assert await buffered.read_head(100, 10) == NEXT


def test_read_all():
    async def go():
        for body, buffered in bodies(b'hello world'):
            data = b''
            while True:
                chunk = await body.read()
                if not chunk:
                    break
                data += chunk
            assert data == b'hello world'
            assert body.remaining == 0
            assert await body.read() == b''
            await next_head_intact(buffered)
    support.run(go())


def test_read_in_pieces():
    async def go():
        for body, buffered in bodies(b'0123456789'):
            assert await body.read(0) == b''
            data = b''
            while True:
                chunk = await body.read(4)
                assert len(chunk) <= 4
                if not chunk:
                    break
                data += chunk
            assert data == b'0123456789'
            await next_head_intact(buffered)
    support.run(go())


def test_readexactly():
    async def go():
        for body, buffered in bodies(b'abcdefgh'):
            assert await body.readexactly(5) == b'abcde'
            assert await eof(body.readexactly(4))  # only 3 left
            assert await body.readexactly(3) == b'fgh'
            assert await eof(body.readexactly(1))
            await next_head_intact(buffered)
    support.run(go())


def test_readuntil_across_buffer_boundaries():
    async def go():
        data = b'--sep--part one--sep--two--sep--'
        for body, buffered in bodies(data):
            assert await body.readuntil(b'--sep--') == b'--sep--'
            assert await body.readuntil(b'--sep--') == b'part one--sep--'
            assert await body.readuntil(b'--sep--') == b'two--sep--'
            assert await body.readuntil(b'--sep--') == b''
            await next_head_intact(buffered)
    support.run(go())


def test_readuntil_separator_not_in_body():
    async def go():
        # the separator only appears in the next request: not found
        for body, buffered in bodies(b'abc\r', b'\n' + NEXT):
            assert await body.readuntil(b'\r\n') == b'abc\r'
            assert body.remaining == 0
            assert await buffered.readexactly(1) == b'\n'
            await next_head_intact(buffered)
    support.run(go())


def test_readuntil_stops_at_body_end():
    async def go():
        for body, buffered in bodies(b'no newline here'):
            assert await body.readuntil(b'\n') == b'no newline here'
            await next_head_intact(buffered)
    support.run(go())


def test_readline():
    async def go():
        for body, buffered in bodies(b'line 1\nline 2\r\nend'):
            assert await body.readline() == b'line 1\n'
            assert await body.readline() == b'line 2\r\n'
            assert await body.readline() == b'end'
            assert await body.readline() == b''
            await next_head_intact(buffered)
    support.run(go())


def test_mixed_reads():
    async def go():
        for body, buffered in bodies(b'key=value\nrest of body'):
            assert await body.readuntil(b'=') == b'key='
            assert await body.readexactly(5) == b'value'
            assert await body.readline() == b'\n'
            chunk = await body.read(100)
            while body.remaining:
                chunk += await body.read(100)
            assert chunk == b'rest of body'
            await next_head_intact(buffered)
    support.run(go())


def test_skip_within_limit():
    async def go():
        for body, buffered in bodies(b'x' * 50):
            assert await body.read(5)
            assert await body.skip(100) is True
            assert body.remaining == 0
            assert await body.read() == b''
            await next_head_intact(buffered)
        for body, buffered in bodies(b'y' * 50):
            assert await body.skip(50) is True  # exactly the limit
            await next_head_intact(buffered)
    support.run(go())


def test_skip_over_limit_reads_nothing():
    async def go():
        for body, buffered in bodies(b'z' * 50):
            assert await body.skip(49) is False
            assert body.remaining == 50
            assert await body.readexactly(50) == b'z' * 50
            await next_head_intact(buffered)
    support.run(go())


def test_empty_body():
    async def go():
        for body, buffered in bodies(b''):
            assert await body.read() == b''
            assert await body.readuntil(b'\n') == b''
            assert await body.skip(0) is True
            await next_head_intact(buffered)
    support.run(go())


def test_eof_in_the_middle_of_a_body():
    async def go():
        for src in (AsyncBytesIO(b'abc'), Trickle(b'abc')):
            body = BodyStream(BufferedStream(src), 10)
            assert await eof(body.readexactly(10))
        for src in (AsyncBytesIO(b'abc'), Trickle(b'abc')):
            # read() wants the whole rest of the body: it never comes
            body = BodyStream(BufferedStream(src), 10)
            assert await eof(body.read())
        for src in (AsyncBytesIO(b'abc'), Trickle(b'abc')):
            body = BodyStream(BufferedStream(src), 10)
            data = await body.read(10)
            while len(data) < 3:
                data += await body.read(10)
            assert data == b'abc'
            assert await eof(body.read(10))
        for src in (AsyncBytesIO(b'abc'), Trickle(b'abc')):
            body = BodyStream(BufferedStream(src), 10)
            assert await eof(body.readuntil(b'\n'))
        body = BodyStream(BufferedStream(AsyncBytesIO(b'abc')), 10)
        assert await eof(body.skip(100))
    support.run(go())


def test_read_without_size_returns_the_whole_rest_of_the_body():
    async def go():
        source = BufferedStream(Trickle(b'0123456789NEXT'))
        body = BodyStream(source, 10)
        assert await body.read(2) == b'01'
        assert await body.read() == b'23456789'
        assert await body.read() == b''
        assert await source.readexactly(4) == b'NEXT'
    support.run(go())
