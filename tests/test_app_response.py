"""What a Microdot 2.x handler may return and how it reaches the client,
through the TestClient: return conventions, status codes and reasons,
headers, redirects, response splitting refused, streamed bodies."""
from microdot import Microdot, Response, redirect
from microdot.test_client import TestClient
import support


def _returns_app():
    app = Microdot()
    table = {
        'str': lambda: 'hello',
        'bytes': lambda: b'\x00bin\xff',
        'dict': lambda: {'a': 1, 'b': [True, None]},
        'list': lambda: [1, 'two', {'three': 3}],
        'none': lambda: None,
        'int': lambda: 202,
        'body-status': lambda: ('made', 201),
        'body-headers': lambda: ('hdr', {'X-A': 'a'}),
        'body-status-headers': lambda: ({'k': 'v'}, 400, {'X-B': 'b'}),
        'status-headers': lambda: (201, {'X-C': 'c'}),
        'response': lambda: Response('resp', 299, {'X-D': 'd'},
                                     reason='Custom Reason'),
        'json-status': lambda: (['x'], 404),
        'empty': lambda: '',
    }

    @app.route('/r/<kind>')
    def returns(req, kind):
        return table[kind]()

    return app


async def _return_conventions():
    c = TestClient(_returns_app())
    res = await c.get('/r/str')
    assert res.status_code == 200 and res.reason == 'OK'
    assert res.body == b'hello' and res.text == 'hello'
    assert res.headers['Content-Type'] == 'text/plain; charset=UTF-8'
    assert res.headers['Content-Length'] == '5'
    res = await c.get('/r/bytes')
    assert res.body == b'\x00bin\xff'
    assert res.headers['Content-Length'] == '5'
    res = await c.get('/r/dict')
    assert res.headers['Content-Type'].startswith('application/json')
    assert res.json == {'a': 1, 'b': [True, None]}
    res = await c.get('/r/list')
    assert res.headers['Content-Type'].startswith('application/json')
    assert res.json == [1, 'two', {'three': 3}]
    res = await c.get('/r/none')
    assert res.status_code == 204 and res.body == b''
    assert 'Content-Length' not in res.headers
    res = await c.get('/r/int')
    assert res.status_code == 202 and res.body == b''
    res = await c.get('/r/body-status')
    assert res.status_code == 201 and res.text == 'made'
    res = await c.get('/r/body-headers')
    assert res.status_code == 200 and res.text == 'hdr'
    assert res.headers['X-A'] == 'a'
    res = await c.get('/r/body-status-headers')
    assert res.status_code == 400 and res.json == {'k': 'v'}
    assert res.headers['X-B'] == 'b'
    res = await c.get('/r/status-headers')
    assert res.status_code == 201 and res.headers['X-C'] == 'c'
    assert res.body == b''
    res = await c.get('/r/response')
    assert res.status_code == 299 and res.reason == 'Custom Reason'
    assert res.text == 'resp' and res.headers['X-D'] == 'd'
    res = await c.get('/r/json-status')
    assert res.status_code == 404 and res.json == ['x']
    res = await c.get('/r/empty')
    assert res.status_code == 200 and res.body == b''
    assert res.headers['Content-Length'] == '0'


def test_return_conventions():
    support.run(_return_conventions())


async def _status_and_headers():
    app = Microdot()

    @app.route('/status/<int:code>')
    def status(req, code):
        return 'body', code

    @app.route('/headers')
    def headers(req):
        res = Response('<p>hi</p>', headers={'Content-Type': 'text/html'})
        res.headers['X-Multi'] = ['one', 'two']
        res.headers['x-lower'] = 'v'
        return res

    c = TestClient(app)
    for code, reason in ((200, 'OK'), (201, 'Created'), (301, None),
                         (400, 'Bad Request'), (401, None), (404, None),
                         (418, None), (500, None), (503, None)):
        res = await c.get('/status/%d' % code)
        assert res.status_code == code
        assert res.reason  # always some reason phrase
        if reason:
            assert res.reason == reason
    res = await c.get('/status/304')
    assert res.status_code == 304 and res.body == b''
    res = await c.get('/headers')
    assert res.headers['Content-Type'] == 'text/html'
    assert res.headers['X-Lower'] == 'v'
    # two header lines, joined by the client
    assert res.headers['X-Multi'] == 'one, two'


def test_status_and_headers():
    support.run(_status_and_headers())


async def _redirect():
    app = Microdot()

    @app.route('/old')
    def old(req):
        return redirect('/new')

    @app.route('/moved')
    def moved(req):
        return Response.redirect('https://example.com/x?a=1', status_code=301)

    @app.route('/evil')
    def evil(req):
        return redirect(req.args['to'])

    c = TestClient(app)
    res = await c.get('/old')
    assert res.status_code == 302 and res.headers['Location'] == '/new'
    res = await c.get('/moved')
    assert res.status_code == 301
    assert res.headers['Location'] == 'https://example.com/x?a=1'
    # a Location with CR/LF (here from a decoded query argument) is refused
    res = await c.get('/evil?to=/x%0D%0ASet-Cookie:%20pwned=1')
    assert res.status_code == 500
    assert 'Location' not in res.headers
    assert 'Set-Cookie' not in res.headers
    assert 'pwned' not in c.cookies
    for bad in ('/a\r\nX: y', '/a\nX: y', '/a\rX: y'):
        support.raises(ValueError, redirect, bad)


def test_redirect():
    support.run(_redirect())


async def _header_injection():
    app = Microdot()

    @app.route('/value')
    def value(req):
        return 'ok', {'X-Echo': req.args['v']}

    @app.route('/name')
    def name(req):
        return 'ok', {req.args['v']: 'x'}

    @app.route('/after')
    def after(req):
        res = Response('ok')
        res.headers['X-Late'] = 'a\nb'
        return res

    @app.route('/fine')
    def fine(req):
        return 'fine'

    c = TestClient(app)
    res = await c.get('/value?v=abc')
    assert res.status_code == 200 and res.headers['X-Echo'] == 'abc'
    for url in ('/value?v=a%0D%0AInjected:%201', '/value?v=a%0AInjected:%201',
                '/value?v=a%0DInjected:%201', '/name?v=X%0D%0AInjected',
                '/value?v=a%00Injected', '/name?v=Injected:%20x',
                '/name?v=Injected%20x', '/name?v=',
                '/after'):
        res = await c.get(url)
        assert res.status_code == 500, url
        assert 'Injected' not in res.headers
        assert 'X-Echo' not in res.headers and 'X-Late' not in res.headers
        assert b'Injected' not in res.body
    # the app keeps answering
    assert (await c.get('/fine')).text == 'fine'


def test_header_injection():
    support.run(_header_injection())


class AsyncPieces:
    """An async iterator (MicroPython has no async generators)."""

    def __init__(self, pieces):
        self.pieces = list(pieces)

    def __aiter__(self):
        return self

    async def __anext__(self):
        if not self.pieces:
            raise StopAsyncIteration
        return self.pieces.pop(0)


async def _streamed_bodies():
    app = Microdot()

    @app.route('/gen')
    def gen(req):
        def pieces():
            yield 'one,'
            yield b'two,'
            yield ''
            yield 'three'
        return pieces()

    @app.route('/agen')
    async def agen(req):
        return AsyncPieces([b'a' * 3000, 'b', b'c'])

    @app.route('/sized')
    def sized(req):
        def pieces():
            yield b'12345'
            yield b'678'
        return pieces(), 200, {'Content-Length': '8'}

    @app.route('/resp')
    def resp(req):
        return Response(body=AsyncPieces(['x', 'y']), status_code=201,
                        headers={'Content-Type': 'text/csv'})

    c = TestClient(app)
    res = await c.get('/gen')
    assert res.status_code == 200
    assert res.headers['Transfer-Encoding'] == 'chunked'
    assert 'Content-Length' not in res.headers
    assert res.text == 'one,two,three'
    res = await c.get('/agen')
    assert res.headers['Transfer-Encoding'] == 'chunked'
    assert res.body == b'a' * 3000 + b'bc'
    res = await c.get('/sized')
    assert 'Transfer-Encoding' not in res.headers
    assert res.headers['Content-Length'] == '8' and res.body == b'12345678'
    res = await c.get('/resp')
    assert res.status_code == 201 and res.text == 'xy'
    assert res.headers['Content-Type'] == 'text/csv'
    res = await c.request('HEAD', '/gen')
    assert res.status_code == 200 and res.body == b''


def test_streamed_bodies():
    support.run(_streamed_bodies())


def test_json_bodies_are_json_dumps():
    # CPython's encoder is made once (runtime.json_dumps): the same text as
    # json.dumps, and the same refusal of what JSON cannot carry
    import json
    from microdot.runtime import IS_MICROPYTHON, json_dumps
    for value in ({'hello': 'world'}, [1, 2.5, -0.0, None, True, False],
                  {'é': ['ü', {'n': [[]], 'e': {}}]}, 'top', 7, 1e100,
                  {'q': 'a"b\\c\n\x01'}):
        assert json_dumps(value) == json.dumps(value), value
        if isinstance(value, (dict, list)):
            assert Response(value).body == json.dumps(value).encode()
    if not IS_MICROPYTHON:  # MicroPython's json.dumps writes a repr
        for bad in ({'a': object()}, [set()], {(1, 2): 3}):
            try:
                json_dumps(bad)
            except TypeError:
                continue
            raise AssertionError('no TypeError for %r' % (bad,))
