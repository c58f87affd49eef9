"""The real server in-process: app.start_server() runs as a task in the
test's own loop on 127.0.0.1; the tests speak raw HTTP/1.x to it over
asyncio streams. Both runtimes. Every wait is bounded."""
import asyncio

from microdot import Microdot, Request, Response
from server_helpers import Conn, T, get, sb, serve_app

GET10 = b'GET / HTTP/1.0\r\n\r\n'  # answered, then closed

app = Microdot()
started = []  # [asyncio.Event] set by /slow


@app.route('/')
async def index(req):
    return 'hello'


@app.route('/q')
async def query(req):
    return req.args.get('n')


@app.route('/echo', methods=['POST'])
async def echo(req):
    return req.body


@app.route('/stream')
async def stream(req):
    def gen():
        yield b'ab'
        yield 'cd'
    return Response(gen())


@app.route('/s/<int:code>')
async def status(req, code):
    return '', code


@app.route('/slow')
async def slow(req):
    started[0].set()
    await asyncio.sleep(0.3)
    return 'slow'


@app.route('/oom')
async def oom(req):
    raise MemoryError('test')


def test_keep_alive_and_connection_close():
    async def client(port):
        c = await Conn().open(port)
        await c.send(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        s, h, b = await c.response()
        assert (s, b, h['content-length']) == (200, b'hello', '5')
        await c.send(b'GET /q?n=2 HTTP/1.1\r\nHost: x\r\n\r\n')
        s, h, b = await c.response()
        assert (s, b) == (200, b'2') and 'connection' not in h
        await c.send(b'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        s, h, b = await c.response()
        assert (s, b, h['connection']) == (200, b'hello', 'close')
        assert await c.closed()
        await c.close()
    serve_app(app, client)


def test_http10():
    async def client(port):
        s, h, b, closed = await get(port, GET10)
        assert (s, b, closed) == (200, b'hello', True)
        assert h.get('connection', 'close') == 'close'
        c = await Conn().open(port)
        for n in (b'1', b'2'):
            await c.send(b'GET /q?n=' + n + b' HTTP/1.0\r\n'
                         b'Connection: keep-alive\r\n\r\n')
            s, h, b = await c.response()
            assert (s, b, h['connection']) == (200, n, 'keep-alive')
        await c.close()
    serve_app(app, client)


def test_pipelining_in_order():
    async def client(port):
        c = await Conn().open(port)
        await c.send(b''.join(b'GET /q?n=%d HTTP/1.1\r\nHost: x\r\n\r\n' % i
                              for i in range(3)))
        for i in range(3):
            s, h, b = await c.response()
            assert (s, b) == (200, str(i).encode())
        await c.close()
    serve_app(app, client)


def test_chunked_request_body():
    async def client(port):
        c = await Conn().open(port)
        await c.send(b'POST /echo HTTP/1.1\r\nHost: x\r\n'
                     b'Transfer-Encoding: chunked\r\n'
                     b'\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n'
                     b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        assert sb(await c.response()) == (200, b'hello world')
        assert sb(await c.response()) == (200, b'hello')
        await c.close()
    serve_app(app, client)


def test_streamed_response():
    async def client(port):
        c = await Conn().open(port)
        await c.send(b'GET /stream HTTP/1.1\r\nHost: x\r\n\r\n'
                     b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        s, h, b = await c.response()
        assert (s, b, h['transfer-encoding']) == (200, b'abcd', 'chunked')
        assert 'content-length' not in h
        assert sb(await c.response()) == (200, b'hello')
        await c.close()
        s, h, b, closed = await get(port, b'GET /stream HTTP/1.0\r\n\r\n')
        assert (s, b, closed) == (200, b'abcd', True)
        assert 'transfer-encoding' not in h and 'content-length' not in h
    serve_app(app, client)


def test_head_204_304_have_no_body():
    async def client(port):
        c = await Conn().open(port)
        await c.send(b'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n'
                     b'GET /s/204 HTTP/1.1\r\nHost: x\r\n\r\n'
                     b'GET /s/304 HTTP/1.1\r\nHost: x\r\n\r\n'
                     b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        s, h, b = await c.response(head=True)
        assert (s, h['content-length']) == (200, '5')
        for code in (204, 304):
            s, h, b = await c.response()
            assert s == code and 'content-length' not in h
        # no stray body bytes came before this:
        assert sb(await c.response()) == (200, b'hello')
        await c.close()
    serve_app(app, client)


def test_bad_requests_get_status_and_close():
    n = Request.max_readline + 10
    cases = (
        (400, b'GARBAGE\r\n\r\n'),
        (400, b'GET / HTTP/1.1\r\nHost: x\r\nNo-colon here\r\n\r\n'),
        (400, b'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n'
              b'Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'),
        (400, b'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n'
              b'Content-Length: 4\r\n\r\nabcd'),
        (414, b'GET /' + b'a' * n + b' HTTP/1.1\r\nHost: x\r\n\r\n'),
        (431, b'GET / HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * n +
         b'\r\n\r\n'),
        (431, b'GET / HTTP/1.1\r\nHost: x\r\n' + b'X-H: 1\r\n' *
         (Request.max_headers + 1) + b'\r\n'),
        (413, b'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n' %
         (Request.max_content_length + 1)),
        (501, b'POST /echo HTTP/1.1\r\nHost: x\r\n'
         b'Transfer-Encoding: gzip\r\n\r\n'),
    )

    async def client(port):
        for want, raw in cases:
            s, h, b, closed = await get(port, raw)
            assert (s, closed) == (want, True), (raw[:60], s, closed)
            assert sb(await get(port, GET10)) == (200, b'hello'), raw[:60]
    serve_app(app, client)


def test_header_timeout_408_and_idle_timeout():
    async def client(port):
        s, h, b, closed = await get(port, b'GET / HTTP/1.1\r\nHost: x\r\n')
        assert (s, closed) == (408, True)
        # served, then closed when idle (closed() waits up to T > 0.5)
        s, h, b, closed = await get(port, b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        assert (s, closed) == (200, True)
    serve_app(app, client, header_timeout=0.5, idle_timeout=0.5)


async def attempt(port):
    """A new connection's status for GET /; None if refused or closed."""
    try:
        return (await get(port, GET10))[0]
    except asyncio.TimeoutError:
        raise
    except (OSError, EOFError):
        return None


def test_connection_limit_503():
    async def client(port):
        conns = []
        for _ in range(2):
            c = await Conn().open(port)
            await c.send(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
            assert (await c.response())[0] == 200
            conns.append(c)
        s, h, b, closed = await get(port, b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        assert (s, closed) == (503, True)
        await conns.pop().close()
        for _ in range(100):  # bounded: until the server saw the close
            s = await attempt(port)
            if s != 503:
                break
            await asyncio.sleep(0.05)
        assert s == 200
        await conns.pop().close()
    serve_app(app, client, max_connections=2)


def test_graceful_shutdown():
    async def client(port):
        started[:] = [asyncio.Event()]
        idle, c = await Conn().open(port), await Conn().open(port)
        await idle.send(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        assert (await idle.response())[0] == 200
        await c.send(b'GET /slow HTTP/1.1\r\nHost: x\r\n\r\n')
        await asyncio.wait_for(started[0].wait(), T)
        app.shutdown()
        assert await idle.closed()  # at once, not after idle_timeout
        assert await attempt(port) in (None, 503)  # refused
        s, h, b = await c.response()
        assert (s, b) == (200, b'slow')
        assert await c.closed()
        await idle.close()
        await c.close()
    serve_app(app, client)  # also checks that start_server returns


def test_memory_error_is_503_and_server_goes_on():
    async def client(port):
        assert (await get(port, b'GET /oom HTTP/1.0\r\n\r\n'))[0] == 503
        assert sb(await get(port, GET10)) == (200, b'hello')
    serve_app(app, client)
