"""microdot.wsgi called as a WSGI server calls it, through the standard
library's PEP 3333 checker (wsgiref.validate): environ to request, the
body rules, streamed bodies as iterables, and the per-thread event loops."""
import asyncio
import io
import threading
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

from microdot import Request, Response
from microdot.wsgi import Microdot

RUNTIMES = ('cpython',)


def call(app, path='/', method='GET', body=b'', **environ):
    """Run one request; return (status, headers, body, the iterable)."""
    env = {'REQUEST_METHOD': method, 'PATH_INFO': path, 'SCRIPT_NAME': '',
           'QUERY_STRING': '', 'wsgi.input': io.BytesIO(body)}
    if body:
        env['CONTENT_LENGTH'] = str(len(body))
    env.update(environ)
    setup_testing_defaults(env)
    got = {}

    def start_response(status, headers, exc_info=None):
        got['status'] = status
        got['headers'] = headers
    result = validator(app)(env, start_response)
    try:
        data = b''.join(result)
    finally:
        result.close()
    return got['status'], got['headers'], data


def make_app():
    app = Microdot()

    @app.route('/<path:p>', methods=['GET', 'POST'])
    async def echo(req, p):
        return {'path': req.path, 'p': p, 'url': req.url,
                'body': req.body.decode(), 'cl': req.content_length,
                'environ': req.environ is not None}
    return app


def test_environ_to_request():
    status, headers, data = call(make_app(), '/a b/\xc3\xa9',
                                 QUERY_STRING='x=1')
    assert status == '200 OK'
    assert ('Content-Type', 'application/json; charset=UTF-8') in headers
    assert data == ('{"path": "/a%20b/%C3%A9", "p": "a b/\\u00e9", '
                    '"url": "/a%20b/%C3%A9?x=1", "body": "", "cl": 0, '
                    '"environ": true}').encode()


def test_raw_uri_is_used_as_sent():
    status, headers, data = call(make_app(), '/a/b', RAW_URI='/a%2Fb?y=2',
                                 QUERY_STRING='y=2')
    assert b'"url": "/a%2Fb?y=2"' in data
    # mounted under a prefix: the app's part of the path is PATH_INFO
    status, headers, data = call(make_app(), '/b', RAW_URI='/app/b?y=2',
                                 SCRIPT_NAME='/app', QUERY_STRING='y=2')
    assert b'"url": "/b?y=2"' in data


def test_body_rules():
    app = make_app()
    assert b'"body": "abc"' in call(app, '/x', 'POST', b'abc')[2]
    # an empty CONTENT_LENGTH, as some servers give, means none
    assert b'"cl": 0' in call(app, '/x', CONTENT_LENGTH='')[2]
    # no length and an input that may not end: nothing is read
    assert b'"body": ""' in call(
        app, '/x', 'POST', **{'wsgi.input': io.BytesIO(b'never read')})[2]
    # no length and an input that ends with the body (gunicorn): read
    assert b'"body": "de-chunked"' in call(
        app, '/x', 'POST', **{'wsgi.input': io.BytesIO(b'de-chunked'),
                              'wsgi.input_terminated': True})[2]
    big = b'z' * (Request.max_content_length + 1)
    assert call(app, '/x', 'POST', big)[0].startswith('413')
    assert call(app, '/x', 'POST', **{
        'wsgi.input': io.BytesIO(big), 'wsgi.input_terminated': True,
    })[0].startswith('413')


def test_hop_by_hop_headers_are_not_passed_to_the_server():
    app = Microdot()

    @app.route('/')
    async def index(req):
        return 'x', 200, {'Connection': 'close', 'X-Kept': '1'}
    status, headers, data = call(app)  # the validator refuses them
    assert ('X-Kept', '1') in headers
    assert 'connection' not in [k.lower() for k, v in headers]


def test_streamed_body_is_an_iterable_closed_by_the_server():
    app = Microdot()
    events = []

    @app.route('/')
    async def index(req):
        async def gen():
            try:
                for i in range(100):
                    yield str(i)
            finally:
                events.append('closed')
        return gen()
    env = {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/'}
    setup_testing_defaults(env)
    result = app(env, lambda status, headers, exc_info=None: None)
    assert next(result) == b'0'
    assert next(result) == b'1'
    result.close()  # the client went away: the server stops early
    assert events == ['closed']


def test_head_and_204():
    app = Microdot()

    @app.route('/')
    async def index(req):
        return Response(iter([b'never', b'sent']))

    @app.route('/none')
    async def none(req):
        return None
    assert call(app, method='HEAD')[2] == b''
    status, headers, data = call(app, '/none')
    assert (status, data) == ('204 No Content', b'')


def test_each_server_thread_has_its_own_event_loop():
    app = Microdot()
    seen = {}

    @app.route('/')
    def index(req):
        # as under the built-in server: outside any event loop, so a plain
        # def handler may run coroutines of its own
        seen['asyncio.run'] = asyncio.run(asyncio.sleep(0, 'ran'))
        return 'ok'

    def serve():
        seen['loop'] = app.event_loop()
        seen['status'] = call(app)[0]
    t = threading.Thread(target=serve)
    t.start()
    t.join(10)
    assert seen['status'] == '200 OK'
    assert seen['asyncio.run'] == 'ran'
    assert app.event_loop() is not seen['loop']
    assert app.event_loop() is app.event_loop()
