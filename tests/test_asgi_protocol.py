"""The ASGI messages microdot.asgi exchanges, exactly, for the cases a
real server rarely produces on demand: HTTP/2-style bodies without a
length, a client gone in the middle of a body, a failing lifespan hook,
servers without the ``websocket.http.response`` extension. The app is
called as an ASGI server calls it, with queues of messages."""
import asyncio

from microdot import Request, Response
from microdot.asgi import Microdot

from support import run

RUNTIMES = ('cpython',)


def call(app, scope, messages):
    """Run ``app`` on one scope; return the messages it sent. After the
    given messages, receive() reports a disconnect (as servers do)."""
    incoming = list(messages)
    sent = []

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(0)
        return {'type': scope['type'] + '.disconnect'
                if scope['type'] != 'lifespan' else 'lifespan.shutdown'}

    async def send(message):
        sent.append(message)

    async def main():
        await asyncio.wait_for(app(scope, receive, send), 10)
    run(main())
    return sent


def http(method='GET', path='/', headers=(), **extra):
    scope = {'type': 'http', 'asgi': {'version': '3.0'}, 'method': method,
             'http_version': '1.1', 'path': path, 'raw_path': path.encode(),
             'query_string': b'', 'root_path': '', 'scheme': 'http',
             'headers': [(k.encode(), v.encode()) for k, v in headers],
             'client': ('10.0.0.1', 5000), 'server': ('127.0.0.1', 80)}
    scope.update(extra)
    return scope


def body_msgs(*pieces):
    last = len(pieces) - 1
    return [{'type': 'http.request', 'body': p, 'more_body': i < last}
            for i, p in enumerate(pieces)]


def make_app():
    app = Microdot()

    @app.route('/echo', methods=['POST'])
    async def echo(req):
        data = req.body
        while not data or len(data) < req.content_length:
            piece = await req.stream.read(4096)
            if not piece:
                break
            data += piece
        return {'n': len(data), 'cl': req.content_length,
                'te': req.headers.get('Transfer-Encoding')}

    @app.route('/stream')
    async def stream(req):
        async def gen():
            yield 'a'
            yield ''
            yield b'b'
        return gen()

    @app.route('/empty')
    async def empty(req):
        return None  # 204

    return app


def test_body_without_length_is_read_to_its_end():
    # HTTP/2, or a chunked upload: no Content-Length header
    sent = call(make_app(), http('POST', '/echo'),
                body_msgs(b'ab', b'', b'cd'))
    assert sent[0]['status'] == 200
    assert sent[1]['body'] == b'{"n": 4, "cl": 4, "te": null}'


def test_body_without_length_over_the_limit_is_413():
    pieces = [b'x' * 8192] * (Request.max_content_length // 8192 + 1)
    sent = call(make_app(), http('POST', '/echo'), body_msgs(*pieces))
    assert sent[0]['status'] == 413


def test_chunked_header_is_not_dechunked_twice():
    sent = call(make_app(), http('POST', '/echo', [
        ('content-length', '4'), ('transfer-encoding', 'chunked')]),
        body_msgs(b'4\r\n', b'x'))
    assert sent[1]['body'] == b'{"n": 4, "cl": 4, "te": null}'


def test_client_gone_in_the_middle_of_a_body_is_400():
    sent = call(make_app(), http('POST', '/echo', [('content-length', '10')]),
                [{'type': 'http.request', 'body': b'abc', 'more_body': True},
                 {'type': 'http.disconnect'}])
    assert sent[0]['status'] == 400


def test_large_body_read_through_request_stream():
    n = Request.max_body_length + 5000
    saved = Request.max_content_length
    Request.max_content_length = n
    try:
        sent = call(make_app(), http('POST', '/echo',
                                     [('content-length', str(n))]),
                    body_msgs(b'x' * 1000, b'y' * (n - 1000)))
    finally:
        Request.max_content_length = saved
    assert sent[1]['body'] == ('{"n": %d, "cl": %d, "te": null}' % (n, n)) \
        .encode()


def test_streamed_body_messages():
    sent = call(make_app(), http(path='/stream'), body_msgs(b''))
    assert sent[0]['type'] == 'http.response.start'
    assert (b'content-length', b'') not in sent[0]['headers']
    assert [k for k, v in sent[0]['headers']] == [b'content-type']
    assert [(m['body'], m.get('more_body', False)) for m in sent[1:]] == [
        (b'a', True), (b'b', True), (b'', False)]


def test_head_and_204_have_one_empty_body_message():
    sent = call(make_app(), http('HEAD', '/stream'), body_msgs(b''))
    assert sent[0]['status'] == 200
    assert sent[1:] == [{'type': 'http.response.body', 'body': b''}]
    sent = call(make_app(), http(path='/empty'), body_msgs(b''))
    assert sent[0]['status'] == 204
    assert b'content-length' not in dict(sent[0]['headers'])
    assert sent[1:] == [{'type': 'http.response.body', 'body': b''}]


def test_lifespan_without_hooks():
    sent = call(Microdot(), {'type': 'lifespan'},
                [{'type': 'lifespan.startup'}, {'type': 'lifespan.shutdown'}])
    assert sent == [{'type': 'lifespan.startup.complete'},
                    {'type': 'lifespan.shutdown.complete'}]


def test_lifespan_startup_failure_is_reported():
    def startup(scope):
        raise ValueError('no database')
    sent = call(Microdot(lifespan_startup=startup), {'type': 'lifespan'},
                [{'type': 'lifespan.startup'}])
    assert sent == [{'type': 'lifespan.startup.failed',
                     'message': 'ValueError: no database'}]


def test_repeated_headers_are_joined():
    app = Microdot()

    @app.route('/')
    async def index(req):
        return req.headers['Accept'] + '|' + req.headers['cookie']
    sent = call(app, http(headers=[('accept', 'a'), ('accept', 'b'),
                                   ('cookie', 'x=1'), ('cookie', 'y=2')]),
                body_msgs(b''))
    assert sent[1]['body'] == b'a, b|x=1; y=2'


def test_path_without_raw_path_is_percent_encoded():
    app = Microdot()

    @app.route('/<path:p>')
    async def index(req, p):
        return req.path + '|' + p
    scope = http(path='/a b/é')
    del scope['raw_path']
    sent = call(app, scope, body_msgs(b''))
    assert sent[1]['body'] == '/a%20b/%C3%A9|a b/é'.encode()


def ws_scope(path, extensions=None):
    scope = http(path=path, headers=[('sec-websocket-version', '13')],
                 type='websocket', scheme='ws')
    if extensions is not None:
        scope['extensions'] = extensions
    return scope


def test_websocket_refused_without_the_http_response_extension():
    app = Microdot()
    sent = call(app, ws_scope('/nowhere'), [{'type': 'websocket.connect'}])
    assert sent == [{'type': 'websocket.close', 'code': 1000}]
    sent = call(app, ws_scope('/nowhere', {'websocket.http.response': {}}),
                [{'type': 'websocket.connect'}])
    assert sent[0]['type'] == 'websocket.http.response.start'
    assert sent[0]['status'] == 404
    assert sent[1] == {'type': 'websocket.http.response.body',
                       'body': b'Not Found'}


def test_websocket_messages():
    from microdot.websocket import with_websocket
    app = Microdot()
    got = []

    @app.route('/ws')
    @with_websocket
    async def ws(req, ws):
        got.append(req.scheme)
        while True:
            got.append(await ws.receive())
            await ws.send(got[-1])
    sent = call(app, ws_scope('/ws'), [
        {'type': 'websocket.connect'},
        {'type': 'websocket.receive', 'text': 'hé'},
        {'type': 'websocket.receive', 'bytes': b'\x00' * 5000},
        {'type': 'websocket.disconnect', 'code': 1001}])
    assert got == ['http', 'hé', b'\x00' * 5000]
    assert sent == [{'type': 'websocket.accept'},
                    {'type': 'websocket.send', 'text': 'hé'},
                    {'type': 'websocket.send', 'bytes': b'\x00' * 5000}]


def test_response_already_handled_sends_nothing():
    app = Microdot()

    @app.route('/')
    async def index(req):
        return Response.already_handled
    assert call(app, http(), body_msgs(b'')) == []
