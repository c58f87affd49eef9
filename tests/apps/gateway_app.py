"""The app that tests/test_asgi_e2e.py serves with uvicorn and
tests/test_wsgi_e2e.py with gunicorn (CPython only):

    uvicorn --app-dir tests/apps gateway_app:asgi_app
    gunicorn --chdir tests/apps gateway_app:wsgi_app

The same routes are added to a ``microdot.asgi.Microdot`` and to a
``microdot.wsgi.Microdot``. ``GATEWAY_LOG`` (a file name), when set,
receives one line per lifespan event.
"""
import asyncio
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), 'microdot_src'))

from microdot import Request, Response  # noqa: E402
from microdot import asgi, wsgi  # noqa: E402

Request.max_body_length = 1024          # larger bodies: request.stream
Request.max_content_length = 256 * 1024  # larger still: 413

closed = []  # streamed bodies stopped by a client that went away


def log(line):
    name = os.environ.get('GATEWAY_LOG')
    if name:
        with open(name, 'a') as f:
            f.write(line + '\n')


async def wait_for_file(name):
    """Wait (at most 8 s) until the test creates ``name``: the test reads
    one piece of a streamed body before it lets the next be made."""
    for _ in range(400):
        if os.path.exists(name):
            return True
        await asyncio.sleep(0.02)
    return False


def add_routes(app):
    @app.route('/')
    async def index(req):
        return 'hello'

    @app.get('/info')
    def info(req):  # a plain def
        return {'method': req.method, 'path': req.path, 'url': req.url,
                'args': req.args.getlist('a'), 'scheme': req.scheme,
                'x': req.headers.get('x-thing'), 'cookies': req.cookies,
                'client': list(req.client_addr or ())}

    @app.post('/json')
    async def post_json(req):
        return {'got': req.json, 'type': req.content_type}, 201

    @app.post('/upload')
    async def upload(req):
        total = 0
        pieces = 0
        while True:
            data = await req.stream.read(4096)
            if not data:
                break
            total += len(data)
            pieces += 1
        return {'length': total, 'in_body': len(req.body), 'pieces': pieces}

    @app.get('/stream')
    async def stream(req):
        flag = req.args['flag']

        async def pieces():
            yield 'first\n'
            if not await wait_for_file(flag):
                yield 'the test never saw the first piece\n'
            yield b'second\n'
            yield 'last\n'
        return pieces(), 200, {'Content-Type': 'text/plain'}

    @app.get('/sync-stream')
    def sync_stream(req):
        def pieces():
            for i in range(3):
                yield 'line %d\n' % i
        return Response(pieces())

    @app.get('/endless')
    async def endless(req):
        async def pieces():
            try:
                while True:
                    yield 'tick\n'
                    await asyncio.sleep(0.01)
            finally:
                closed.append(time.time())
        return pieces()

    @app.get('/closed')
    async def closed_count(req):
        return {'closed': len(closed)}

    @app.get('/cookies')
    async def cookies(req):
        res = Response('two cookies')
        res.set_cookie('a', '1')
        res.set_cookie('b', '2', http_only=True)
        return res

    @app.get('/boom')
    async def boom(req):
        raise RuntimeError('boom')

    @app.get('/bad-header')
    async def bad_header(req):
        return 'x', 200, {'X-Bad': 'a\r\nInjected: yes'}

    @app.get('/shutdown')
    async def shutdown(req):
        req.app.shutdown()
        return 'bye'

    @app.get('/lifespan')
    async def lifespan(req):
        return {'started': getattr(req.app, 'started', False)}


def add_websocket_routes(app):
    try:
        from microdot.websocket import WebSocket, WebSocketError, \
            with_websocket
    except ModuleNotFoundError as exc:  # not written yet
        if exc.name != 'microdot.websocket':
            raise
        return
    from microdot.asgi import with_websocket as asgi_with_websocket
    WebSocket.max_message_length = 256 * 1024

    @app.route('/ws/echo')
    @with_websocket
    async def echo(req, ws):
        while True:
            await ws.send(await ws.receive())

    @app.route('/ws/asgi-echo')  # the Microdot spelling, microdot.asgi's
    @asgi_with_websocket
    async def asgi_echo(req, ws):
        message = await ws.receive()
        await ws.send(message)

    @app.route('/ws/close/<int:code>')
    @with_websocket
    async def close(req, ws, code):
        await ws.receive()
        await ws.close(code, 'bye')

    @app.route('/ws/fail')
    @with_websocket
    async def fail(req, ws):
        await ws.receive()
        raise RuntimeError('handler failed')

    @app.route('/ws/wait')
    @with_websocket
    async def wait(req, ws):
        try:
            await ws.receive()
        except WebSocketError as exc:
            closes.append(exc.code)

    @app.get('/ws/closes')
    async def closes_seen(req):
        return {'closes': closes}


closes = []  # close codes seen by /ws/wait


async def startup(scope):
    asgi_app.started = True
    log('startup ' + scope['type'])


def shutdown(scope):  # a plain def
    log('shutdown ' + scope['type'])


asgi_app = asgi.Microdot(lifespan_startup=startup, lifespan_shutdown=shutdown)
add_routes(asgi_app)
add_websocket_routes(asgi_app)
wsgi_app = wsgi.Microdot()
add_routes(wsgi_app)
