"""The Request object a Microdot 2.x handler receives, through the
TestClient: request line, query arguments, headers, cookies, bodies (bytes,
JSON, forms, streams) and the body size limits."""
from microdot import Microdot, Request
from microdot.microdot import MultiDict
from microdot.test_client import TestClient
import support


def _echo_app(store):
    app = Microdot()

    @app.route('/echo/<int:n>', methods=['GET', 'POST', 'PUT'])
    def echo(req, n):
        store['req'] = req
        store['n'] = n
        return 'ok'

    return app


async def _request_line():
    store = {}
    app = _echo_app(store)
    c = TestClient(app)
    await c.get('/echo/5?a=1&b=two+words&a=3&c=%26%3D&e=')
    req = store['req']
    assert req.app is app
    assert req.method == 'GET'
    assert req.url == '/echo/5?a=1&b=two+words&a=3&c=%26%3D&e='
    assert req.path == '/echo/5'
    assert req.query_string == 'a=1&b=two+words&a=3&c=%26%3D&e='
    assert req.http_version == '1.1'
    assert req.url_args == {'n': 5} and store['n'] == 5
    assert req.client_addr[0] == '127.0.0.1'
    args = req.args
    assert isinstance(args, MultiDict)
    assert args['a'] == '1'
    assert args.get('a') == '1'
    assert args.getlist('a') == ['1', '3']
    assert args.get('a', type=int) == 1
    assert args['b'] == 'two words'
    assert args['c'] == '&='
    assert args['e'] == ''
    assert args.get('missing') is None
    assert args.get('missing', 'dflt') == 'dflt'
    assert args.getlist('missing') == []
    assert 'missing' not in args

    await c.get('/echo/6')
    req = store['req']
    assert req.query_string is None
    assert len(req.args) == 0
    assert req.body == b''
    assert req.content_length == 0
    assert req.json is None and req.form is None


def test_request_line():
    support.run(_request_line())


async def _headers_and_cookies():
    store = {}
    c = TestClient(_echo_app(store))
    await c.get('/echo/1', headers={
        'X-Custom-Thing': 'Value',
        'Cookie': 'session=abc123; theme=dark; quoted="q v"',
    })
    req = store['req']
    h = req.headers
    assert h['X-Custom-Thing'] == 'Value'
    assert h['x-custom-thing'] == 'Value'
    assert h.get('X-CUSTOM-THING') == 'Value'
    assert 'x-CUSTOM-thing' in h
    assert h.get('X-Absent') is None
    assert h['Host'] == 'example.com:1234'  # Microdot's test client
    names = [k.lower() for k in h]
    assert 'x-custom-thing' in names and 'host' in names
    cookies = req.cookies
    assert cookies['session'] == 'abc123'
    assert cookies['theme'] == 'dark'
    assert cookies['quoted'] == 'q v'
    assert 'missing' not in cookies

    # the client's own cookies go in the Cookie header as well
    c2 = TestClient(_echo_app(store), cookies={'k': 'v'})
    await c2.get('/echo/2')
    assert store['req'].cookies == {'k': 'v'}


def test_headers_and_cookies():
    support.run(_headers_and_cookies())


async def _bodies():
    store = {}
    c = TestClient(_echo_app(store))
    await c.post('/echo/1', body=b'raw \x00\xff bytes',
                 headers={'Content-Type': 'application/octet-stream'})
    req = store['req']
    assert req.body == b'raw \x00\xff bytes'
    assert req.content_length == len(b'raw \x00\xff bytes')
    assert req.content_type == 'application/octet-stream'
    assert req.json is None and req.form is None
    assert await req.stream.read() == b'raw \x00\xff bytes'

    await c.post('/echo/1', body={'a': [1, 2], 'b': None, 'c': 'x'})
    req = store['req']
    assert req.content_type.startswith('application/json')
    assert req.json == {'a': [1, 2], 'b': None, 'c': 'x'}

    await c.put('/echo/1', body='[1, "two"]',
                headers={'Content-Type': 'application/json; charset=utf-8'})
    assert store['req'].json == [1, 'two']

    await c.post('/echo/1', body='name=Ann+Lee&tag=a&tag=b&x=%3D',
                 headers={'Content-Type':
                          'application/x-www-form-urlencoded'})
    form = store['req'].form
    assert isinstance(form, MultiDict)
    assert form['name'] == 'Ann Lee'
    assert form.getlist('tag') == ['a', 'b']
    assert form['x'] == '='
    assert store['req'].json is None


def test_bodies():
    support.run(_bodies())


async def _invalid_json():
    app = Microdot()

    @app.post('/')
    def index(req):
        return {'got': req.json}

    c = TestClient(app)
    res = await c.post('/', body='{"a": 1}',
                       headers={'Content-Type': 'application/json'})
    assert res.status_code == 200 and res.json == {'got': {'a': 1}}
    res = await c.post('/', body='{not json',
                       headers={'Content-Type': 'application/json'})
    assert res.status_code == 400
    res = await c.post('/', body=b'"\xff\xfe"',
                       headers={'Content-Type': 'application/json'})
    assert res.status_code == 400


def test_invalid_json():
    support.run(_invalid_json())


async def _large_body_stream():
    app = Microdot()

    @app.post('/upload')
    async def upload(req):
        assert req.body == b''
        first = await req.stream.readline()
        rest = await req.stream.read()
        return {'length': req.content_length, 'first': first.decode(),
                'rest': len(rest), 'end': rest[-5:].decode()}

    saved = Request.max_body_length
    Request.max_body_length = 32
    try:
        body = b'first line\n' + b'x' * 200 + b'.end.'
        res = await TestClient(app).post('/upload', body=body)
    finally:
        Request.max_body_length = saved
    assert res.status_code == 200
    assert res.json == {'length': len(body), 'first': 'first line\n',
                        'rest': 205, 'end': '.end.'}


def test_large_body_stream():
    support.run(_large_body_stream())


async def _too_large():
    app = Microdot()
    called = []

    @app.post('/upload')
    def upload(req):
        called.append(1)
        return 'read %d' % len(req.body)

    saved = Request.max_content_length
    Request.max_content_length = 64
    try:
        c = TestClient(app)
        res = await c.post('/upload', body=b'y' * 65)
        assert res.status_code == 413
        assert not called
        res = await c.post('/upload', body=b'y' * 64)
        assert res.status_code == 200 and res.text == 'read 64'
    finally:
        Request.max_content_length = saved


def test_too_large():
    support.run(_too_large())


async def _too_large_custom_handler():
    app = Microdot()

    @app.errorhandler(413)
    def too_big(req):
        return {'error': 'too big'}, 413

    @app.post('/')
    def index(req):
        return 'never'

    saved = Request.max_content_length
    Request.max_content_length = 10
    try:
        res = await TestClient(app).post('/', body='z' * 11)
    finally:
        Request.max_content_length = saved
    assert res.status_code == 413 and res.json == {'error': 'too big'}


def test_too_large_custom_handler():
    support.run(_too_large_custom_handler())
