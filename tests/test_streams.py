"""AsyncBytesIO and BufferedStream (microdot.streams), both runtimes.
BodyStream is tested in test_streams_body.py."""

from microdot.bytesio import AsyncBytesIO
from microdot.chunked import read_chunked, readline
from microdot.streams import BufferedStream

import support
from stream_helpers import Trickle, code, eof

HEAD1 = b'GET /1 HTTP/1.1\r\nHost: h\r\n\r\n'
HEAD2 = b'POST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\n'
CHUNKED = (b'4\r\nWiki\r\n5;ext=1;x="a;b"\r\npedia\r\n'
           b'E\r\n in\r\n\r\nchunks.\r\n')
DECODED = b'Wikipedia in\r\n\r\nchunks.'


def streams(data):
    """A fast and a trickling BufferedStream over the same bytes."""
    return BufferedStream(AsyncBytesIO(data)), BufferedStream(Trickle(data))


# --- AsyncBytesIO ------------------------------------------------------------

def test_asyncbytesio_read():
    async def go():
        s = AsyncBytesIO(b'hello world')
        assert await s.read(5) == b'hello'
        assert await s.read(0) == b''
        assert await s.read(100) == b' world'
        assert await s.read(5) == b''
        assert await AsyncBytesIO(b'abc').read() == b'abc'
        assert await AsyncBytesIO().read() == b''
    support.run(go())


def test_asyncbytesio_lines_and_exact():
    async def go():
        s = AsyncBytesIO(b'a\nbc\r\nd--e')
        assert await s.readline() == b'a\n'
        assert await s.readuntil(b'\r\n') == b'bc\r\n'
        assert await s.readuntil(b'--') == b'd--'
        assert await s.readexactly(1) == b'e'
        assert await s.readline() == b''
        s = AsyncBytesIO(b'abc')
        assert await eof(s.readexactly(4))
        assert await s.readuntil(b'\n') == b'abc'  # no separator: the rest
    support.run(go())


def test_asyncbytesio_write():
    async def go():
        s = AsyncBytesIO()
        s.write(b'ab')
        s.write(bytearray(b'c'))
        await s.awrite(b'd')
        await s.drain()
        assert s.getvalue() == b'abcd'
        assert s.get_extra_info('peername', 'x') == 'x'
        s.close()
        await s.wait_closed()
    support.run(go())


# --- BufferedStream: heads ---------------------------------------------------

def test_read_head_two_pipelined_heads_in_one_buffer():
    async def go():
        for s in streams(HEAD1 + HEAD2 + b'abc' + HEAD1):
            assert await s.read_head(100, 10) == HEAD1
            assert await s.read_head(100, 10) == HEAD2
            assert await s.readexactly(3) == b'abc'
            assert await s.read_head(100, 10) == HEAD1
            assert await eof(s.read_head(100, 10))
    support.run(go())


def test_read_head_one_read_for_pipelined_heads():
    async def go():
        src = AsyncBytesIO(HEAD1 + HEAD1)
        s = BufferedStream(src)
        await s.read_head(100, 10)
        assert s.buf == HEAD1  # the next head is kept, not read again
    support.run(go())


def test_read_head_eof():
    async def go():
        for data in (b'', b'GET / HTTP/1.1\r\nHost: h\r\n'):
            for s in streams(data):
                assert await eof(s.read_head(100, 10))
    support.run(go())


def test_read_head_limits():
    async def go():
        for s in streams(b'GET /' + b'x' * 200):  # endless request line
            assert await code(s.read_head(100, 10)) == 414
        for s in streams(b'GET / HTTP/1.1\r\n' + b'A: b\r\n' * 50):
            assert await code(s.read_head(100, 10)) == 431
        for s in streams(b'GET / HTTP/1.1\r\nA: ' + b'b' * 200):
            assert await code(s.read_head(100, 10)) == 431
    support.run(go())


# --- BufferedStream: bytes and lines -----------------------------------------

def test_readexactly_across_reads():
    async def go():
        for s in streams(b'0123456789abcdef'):
            assert await s.readexactly(0) == b''
            assert await s.readexactly(7) == b'0123456'
            assert await s.readexactly(2) == b'78'
            assert await s.read(3) == b'9ab'
            assert await eof(s.readexactly(10))
        t = Trickle(b'x' * 10)
        s = BufferedStream(t)
        assert await s.readexactly(10) == b'x' * 10
        assert t.reads >= 4
    support.run(go())


def test_read_up_to_n():
    async def go():
        for s in streams(b'abcdef'):
            data = await s.read(4)
            assert 1 <= len(data) <= 4 and b'abcdef'.startswith(data)
            rest = await s.read()
            assert data + rest == b'abcdef'
            assert await s.read(5) == b''
            assert await s.read() == b''
    support.run(go())


def test_readline():
    async def go():
        for s in streams(b'one\r\ntwo\nthree'):
            assert await readline(s) == b'one\r\n'
            assert await readline(s) == b'two\n'
            assert await eof(readline(s))
    support.run(go())


def test_readline_limit():
    async def go():
        line = b'x' * 10 + b'\n'
        for s in streams(line + line):
            assert await readline(s, 10) == line  # 10 bytes before the LF
            assert await code(readline(s, 9)) == 400
        for s in streams(b'y' * 100):  # no LF in sight
            assert await code(readline(s, 10)) == 400
    support.run(go())


# --- BufferedStream: chunked bodies ------------------------------------------

def test_read_chunked():
    async def go():
        for s in streams(CHUNKED + b'0\r\n\r\n' + HEAD1):
            assert await read_chunked(s, 1000, 100) == DECODED
            assert await s.read_head(100, 10) == HEAD1  # framing kept
    support.run(go())


def test_read_chunked_empty_and_trailers():
    async def go():
        for s in streams(b'0\r\n\r\n'):
            assert await read_chunked(s, 10, 100) == b''
        data = b'3\r\nabc\r\n0;end\r\nX-Sum: 1\r\nX-More: 2\r\n\r\n' + HEAD1
        for s in streams(data):
            assert await read_chunked(s, 10, 100) == b'abc'
            assert await s.read_head(100, 10) == HEAD1
    support.run(go())


def test_read_chunked_413():
    async def go():
        body = b'5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n'
        for s in streams(body):
            assert await read_chunked(s, 10, 100) == b'abcdefghij'
        for s in streams(body):
            assert await code(read_chunked(s, 9, 100)) == 413
        # a huge announced size is refused before reading it
        for s in streams(b'fffffffffffffff\r\n'):
            assert await code(read_chunked(s, 10, 100)) == 413
    support.run(go())


def test_read_chunked_400_bad_framing():
    async def go():
        for data in (b'3\r\nabcX\r\n0\r\n\r\n',  # data longer than its size
                     b'3\r\nab\r\n0\r\n\r\n',  # shorter
                     b'z\r\nabc\r\n0\r\n\r\n',  # size not hex
                     b'\r\nabc\r\n0\r\n\r\n',  # size missing
                     b'-3\r\nabc\r\n0\r\n\r\n',
                     b'3\nabc\r\n0\r\n\r\n',  # bare LF after the size
                     b'0\r\nX: 1\n\r\n',  # bare LF in a trailer
                     b'3;' + b'e' * 200 + b'\r\nabc\r\n0\r\n\r\n'):  # long
            for s in streams(data):
                assert await code(read_chunked(s, 100, 100)) == 400, data
    support.run(go())


def test_read_chunked_eof_in_the_middle():
    async def go():
        full = b'5\r\nhello\r\n0\r\nX: y\r\n\r\n'
        for n in (0, 1, 3, 6, 9, 10, 12, 15, len(full) - 1):
            for s in streams(full[:n]):
                assert await eof(read_chunked(s, 100, 100)), n
    support.run(go())
