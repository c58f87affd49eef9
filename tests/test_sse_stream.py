"""The life of an event stream on both runtimes, through the real server: a
client that leaves cancels the handler, a failing handler ends its stream,
a stream outlives the server's write timeout while a client that stops
reading does not, back-pressure bounds the queue, shutdown ends streams."""
import asyncio

from microdot import Microdot
from microdot.sse import SSE, with_sse
from server_helpers import Conn, serve_app, until

app = Microdot()
seen = {}


@app.route('/ticks')
@with_sse
async def ticks(request, sse):
    seen['sse'] = sse
    seen['ended'] = False
    try:
        i = 0
        while True:
            await sse.send(i)
            i += 1
            await asyncio.sleep(0.02)
    finally:
        seen['ended'] = True


@app.route('/broken')
@with_sse
async def broken(request, sse):
    await sse.send('first')
    raise RuntimeError('handler failed')


@app.route('/long')
@with_sse
async def long(request, sse):
    for i in range(3):
        await asyncio.sleep(0.4)
        await sse.send(i)


@app.route('/flood')
@with_sse
async def flood(request, sse):
    seen['ended'] = False
    seen['max'] = 0
    try:
        while True:
            await sse.send('x' * 2000)
            seen['max'] = max(seen['max'], sse.size)
    finally:
        seen['ended'] = True


@app.route('/idle')
@with_sse
async def idle(request, sse):
    await asyncio.sleep(60)


@app.route('/plain')
async def plain(request):
    return 'plain'


def _get(path):
    return ('GET ' + path + ' HTTP/1.1\r\nHost: x\r\n\r\n').encode()


async def _plain_ok(port):
    c = await Conn().open(port)
    await c.send(_get('/plain'))
    ok = (await c.response())[2] == b'plain'
    await c.close()
    return ok


def _with_keepalive(seconds, test):
    saved = SSE.keepalive_interval
    SSE.keepalive_interval = seconds
    try:
        test()
    finally:
        SSE.keepalive_interval = saved


def test_client_that_leaves_cancels_the_handler():
    seen.clear()

    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/ticks'))
        await c._until(b'data: 2\n\n')
        await c.close()
        assert await until(lambda: seen.get('ended'))
        assert await seen['sse'].send('after') is False
        assert await _plain_ok(port)
    _with_keepalive(0.1, lambda: serve_app(app, client))


def test_failing_handler_ends_its_stream_and_connection_goes_on():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/broken') + _get('/plain'))
        status, h, body = await c.response()
        assert status == 200 and body.endswith(b'data: first\n\n')
        assert (await c.response())[2] == b'plain'
        await c.close()
    serve_app(app, client)


def test_stream_outlives_the_write_timeout():
    # the write timeout bounds how long the client takes to accept a piece,
    # not how long the stream lasts (1.2 s here, write_timeout 0.5 s)
    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/long'))
        body = (await c.response())[2]
        assert body.endswith(b'data: 0\n\ndata: 1\n\ndata: 2\n\n'), body
        await c.close()
    _with_keepalive(None, lambda: serve_app(app, client, write_timeout=0.5))


def test_client_that_stops_reading_is_cut_off_and_queue_stays_bounded():
    seen.clear()

    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/flood'))
        # never read: socket buffers fill, sends wait, then the write
        # timeout closes the connection and the handler is cancelled
        assert await until(lambda: seen.get('ended'))
        assert 0 < seen['max'] <= SSE.max_queue_size
        assert await _plain_ok(port)
        await c.close()
    _with_keepalive(None, lambda: serve_app(app, client, write_timeout=0.5))


def test_shutdown_ends_idle_streams():
    conns = []

    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/idle'))
        await c._until(b'\r\n\r\n')
        conns.append(c)
    # serve_app shuts the server down when client() returns, with the
    # stream still open: it ends at its next keep-alive tick, so the
    # server stops (serve_app allows it 10 s)
    _with_keepalive(0.1, lambda: serve_app(app, client))
    assert len(conns) == 1
