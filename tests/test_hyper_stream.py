"""Action streams through the real server, on both runtimes: each item is
flushed as it is produced (the first arrives while the generator still
waits, on an event the client sets only once it has read it), the order
holds, an exception mid-stream ends it with an error event while the
server goes on, and a client that leaves stops the generator."""
import asyncio
import json

from microdot import Microdot
from microdot.hyper import HTML, HyperView, Toast, action
from server_helpers import Conn, serve_app, until

seen = {}


class Live(HyperView):
    csrf_secret = 'test key'

    def get(self, request):
        return '<p>live</p>'

    @action
    async def gated(self, request):
        yield HTML('first', '#a')
        await seen['go'].wait()
        seen['after_gate'] = True
        yield HTML('second', '#a', 'append')
        yield Toast('done')

    @action
    def ordered(self, request, n=5):
        for i in range(n):
            yield HTML(str(i), '#n', 'append')

    @action
    async def broken(self, request):
        yield Toast('one')
        raise RuntimeError('exploded')

    @action
    async def forever(self, request):
        seen['closed'] = False
        try:
            i = 0
            while True:
                yield HTML(str(i), '#n')
                i += 1
                await asyncio.sleep(0.01)
        finally:
            seen['closed'] = True


app = Microdot()
app.register(Live, '/live')


def _token():
    from microdot.csrf import make_token
    return make_token('test key', '')


def _post(name, body=b'{}', extra=''):
    token = _token()
    return ('POST /live HTTP/1.1\r\nHost: x\r\nX-Action: %s\r\n'
            'X-CSRF-Token: %s\r\nCookie: csrf_token=%s\r\n'
            'Content-Type: application/json\r\nContent-Length: %d\r\n%s\r\n'
            % (name, token, token, len(body), extra)).encode() + body


def _events(body):
    out = []
    for block in body.decode().split('\n\n')[:-1]:
        lines = block.split('\n')
        out.append((lines[0][7:], json.loads(lines[1][6:])))
    return out


async def _chunk(c):
    # one chunk of a chunked body (b'' at its end): one event each
    size = int((await c._until(b'\r\n')).decode(), 16)
    data = await c._take(size)
    assert await c._take(2) == b'\r\n'
    return data


def test_first_item_arrives_before_the_generator_finishes():
    seen.clear()

    async def client(port):
        seen['go'] = asyncio.Event()
        c = await Conn().open(port)
        await c.send(_post('gated'))
        head = await c._until(b'\r\n\r\n')
        assert b'200 OK' in head and b'text/event-stream' in head
        first = _events(await _chunk(c))
        assert first[0][1]['content'] == 'first'
        assert 'after_gate' not in seen  # still waiting for us
        seen['go'].set()
        rest = []
        while True:
            data = await _chunk(c)
            if not data:
                break
            rest.extend(_events(data))
        assert seen['after_gate']
        assert [op for op, _ in rest] == ['html', 'toast', 'end']
        assert rest[0][1]['content'] == 'second'
        await c.close()
    serve_app(app, client)


def test_order_holds_and_the_connection_is_kept():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_post('ordered', b'{"n": 20}') + _post('ordered'))
        status, h, body = await c.response()
        ops = _events(body)
        assert [d['content'] for _, d in ops[:-1]] == \
            [str(i) for i in range(20)]
        assert ops[-1] == ('end', {})
        status, h, body = await c.response()
        assert len(_events(body)) == 6
        await c.close()
    serve_app(app, client)


def test_exception_mid_stream_is_an_error_event_and_serving_goes_on():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_post('broken') +
                     b'GET /live HTTP/1.1\r\nHost: x\r\n\r\n')
        status, h, body = await c.response()
        assert status == 200
        assert _events(body) == [
            ('toast', {'payload': {'message': 'one'}}),
            ('error', {'status': 500, 'message': 'Internal Server Error'})]
        status, h, body = await c.response()
        assert status == 200 and body == b'<p>live</p>'
        await c.close()
    serve_app(app, client)


def test_a_client_that_leaves_stops_the_generator():
    seen.clear()

    async def client(port):
        c = await Conn().open(port)
        await c.send(_post('forever'))
        await c._until(b'"content": "3"')
        await c.close()
        assert await until(lambda: seen.get('closed'))
        c = await Conn().open(port)
        await c.send(b'GET /live HTTP/1.1\r\nHost: x\r\n\r\n')
        assert (await c.response())[2] == b'<p>live</p>'
        await c.close()
    serve_app(app, client)


def test_datastar_request_through_the_server():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_post('ordered', b'{"n": 1}',
                           'Datastar-Request: true\r\n'))
        status, h, body = await c.response()
        assert status == 200 and h['content-type'] == 'text/event-stream'
        assert body == b'event: datastar-patch-elements\n' \
            b'data: selector #n\ndata: mode append\ndata: elements 0\n\n'
        await c.close()
    serve_app(app, client)
