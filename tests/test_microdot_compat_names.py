"""The smaller Microdot 2.x names and behaviours found missing by the
audit of docs/compat.md, on both runtimes: microdot.helpers.wraps, the
names extensions import from microdot.microdot, those microdot.asgi and
microdot.wsgi re-export, the plain-dict form of with_form_data, reason
phrases of the less common statuses."""
from microdot import Microdot, abort
from microdot.test_client import TestClient
import support


def test_helpers_wraps_for_handler_decorators():
    from microdot.helpers import wraps

    def logged(f):
        @wraps(f)
        async def wrapper(request, *args, **kwargs):
            return 'logged ' + await f(request, *args, **kwargs)
        return wrapper

    app = Microdot()

    @app.route('/<name>')
    @logged
    async def hello(request, name):
        return name
    assert support.run(TestClient(app).get('/bob')).text == 'logged bob'
    if not support.IS_MICROPYTHON:
        assert hello.__name__ == 'hello'


def test_names_extensions_import_from_microdot_microdot():
    from microdot.microdot import MUTED_SOCKET_ERRORS, print_exception, \
        invoke_handler, iscoroutine, urlencode, urldecode, NoCaseDict, \
        MultiDict, AsyncBytesIO, HTTPException, Request, Response, \
        URLPattern, Microdot as M, abort as a, redirect, send_file  # noqa
    assert 104 in MUTED_SOCKET_ERRORS
    assert callable(print_exception)


def test_gateway_modules_reexport_microdots_names():
    if support.IS_MICROPYTHON:
        support.skip('microdot.asgi and microdot.wsgi are CPython only')
    import microdot
    from microdot import asgi, wsgi, websocket
    for module in (asgi, wsgi):
        for name in ('URLPattern', 'AsyncBytesIO', 'iscoroutine'):
            assert getattr(module, name) is getattr(microdot, name)
        for name in ('with_websocket', 'websocket_upgrade', 'WebSocket'):
            assert getattr(module, name) is getattr(websocket, name)
        assert support.raises(AttributeError, getattr, module, 'nothing')


def test_websocket_route_under_wsgi_answers_400():
    if support.IS_MICROPYTHON:
        support.skip('microdot.wsgi is CPython only')
    import io
    from microdot.wsgi import Microdot as WSGIMicrodot, with_websocket
    app = WSGIMicrodot()

    @app.route('/ws')
    @with_websocket
    async def ws(request, ws):
        await ws.send('never')
    environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/ws',
               'QUERY_STRING': '', 'SERVER_PROTOCOL': 'HTTP/1.1',
               'wsgi.input': io.BytesIO(b''), 'wsgi.url_scheme': 'http',
               'SERVER_NAME': 'x', 'SERVER_PORT': '80',
               'REMOTE_ADDR': '127.0.0.1', 'HTTP_UPGRADE': 'websocket',
               'HTTP_CONNECTION': 'Upgrade',
               'HTTP_SEC_WEBSOCKET_VERSION': '13',
               'HTTP_SEC_WEBSOCKET_KEY': 'dGhlIHNhbXBsZSBub25jZQ=='}
    statuses = []
    body = b''.join(app(environ, lambda s, h, e=None: statuses.append(s)))
    assert statuses == ['400 Bad Request'], (statuses, body)


def test_form_data_is_a_plain_dict_with_getlist():
    from microdot.multipart import with_form_data
    app = Microdot()

    @app.post('/')
    @with_form_data
    async def form(request):
        return {'form': request.form.to_dict(),
                'tags': request.form.getlist('tag'),
                'n': request.form.get('n', type=int),
                'bad': request.form.get('tag', -1, type=int),
                'none': request.form.getlist('none'),
                'files': sorted(request.files)}
    parts = [('tag', 'a'), ('n', '5'), ('tag', 'b')]
    body = ''.join(['--B\r\nContent-Disposition: form-data; name="%s"\r\n'
                    '\r\n%s\r\n' % p for p in parts]) + '--B--\r\n'
    res = support.run(TestClient(app).post('/', body=body, headers={
        'Content-Type': 'multipart/form-data; boundary=B'}))
    # a name sent twice keeps its last value, as in Microdot's plain dict
    assert res.json == {'form': {'tag': 'b', 'n': '5'}, 'tags': ['a', 'b'],
                        'n': 5, 'bad': -1, 'none': [], 'files': []}


def test_reason_phrases_of_less_common_statuses():
    app = Microdot()

    @app.route('/<int:code>')
    async def fail(request, code):
        abort(code)
    client = TestClient(app)
    for code, reason in ((406, 'Not Acceptable'), (410, 'Gone'),
                         (412, 'Precondition Failed'),
                         (416, 'Range Not Satisfiable'),
                         (502, 'Bad Gateway'), (504, 'Gateway Timeout')):
        res = support.run(client.get('/%d' % code))
        assert res.status_code == code and res.reason == reason
        assert res.text == reason
