"""Streamed response bodies through the real server, both runtimes: an
``async def`` generator body (which MicroPython compiles as a plain
generator whose awaits the framework must hand to the scheduler), a sync
generator, and an async iterator class; each arrives whole and in order,
and the server keeps serving after a body that fails midway."""
import asyncio

from microdot import Microdot, Response
from server_helpers import Conn, serve_app

app = Microdot()


async def ticks(n):
    for i in range(n):
        await asyncio.sleep(0.01)
        yield 'tick%d;' % i


@app.route('/agen')
async def agen(req):
    return ticks(int(req.args.get('n', '3')))


@app.route('/agen-resp')
async def agen_resp(req):
    return Response(ticks(2), headers={'Content-Type': 'text/plain'})


@app.route('/gen')
def gen(req):
    def pieces():
        yield b'x' * 2000
        yield 'y'
    return pieces()


class Countdown:
    def __init__(self, n):
        self.n = n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.n == 0:
            raise StopAsyncIteration
        self.n -= 1
        await asyncio.sleep(0)
        return str(self.n)


@app.route('/iter')
async def iterator(req):
    return Countdown(3)


@app.route('/broken')
async def broken(req):
    async def pieces():
        yield 'first;'
        await asyncio.sleep(0)
        raise RuntimeError('midway')
    return pieces()


def _get(path, version='1.1'):
    return ('GET ' + path + ' HTTP/' + version + '\r\nHost: x\r\n\r\n').encode()


def test_async_generator_bodies_stream_on_both_runtimes():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/agen?n=4') + _get('/agen-resp'))
        status, h, body = await c.response()
        assert status == 200 and h['transfer-encoding'] == 'chunked'
        assert body == b'tick0;tick1;tick2;tick3;'
        status, h, body = await c.response()
        assert body == b'tick0;tick1;' and h['content-type'] == 'text/plain'
        await c.close()
        c = await Conn().open(port)  # HTTP/1.0: delimited by the close
        await c.send(_get('/agen', '1.0'))
        status, h, body = await c.response()
        assert 'transfer-encoding' not in h and body == b'tick0;tick1;tick2;'
        assert await c.closed()
        await c.close()
    serve_app(app, client)


def test_sync_generator_and_async_iterator_bodies():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/gen') + _get('/iter'))
        assert (await c.response())[2] == b'x' * 2000 + b'y'
        assert (await c.response())[2] == b'210'
        await c.close()
    serve_app(app, client)


def test_body_failing_midway_closes_that_connection_only():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/broken'))
        head = await c._until(b'\r\n\r\n')
        assert head.startswith(b'HTTP/1.1 200')
        # the chunked body never gets its last chunk: the connection ends
        try:
            while True:
                await c._more()
        except EOFError:
            pass
        assert b'first;' in c.buf and not c.buf.endswith(b'0\r\n\r\n')
        await c.close()
        c = await Conn().open(port)
        await c.send(_get('/gen'))
        assert (await c.response())[0] == 200
        await c.close()
    serve_app(app, client)
