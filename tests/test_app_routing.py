"""Routing of a Microdot 2.x app, seen through the in-process TestClient:
route decorators, methods, URL arguments, 404/405, automatic HEAD and
OPTIONS, precedence, and mounted sub-applications."""
from microdot import Microdot
from microdot.test_client import TestClient
import support


def test_compat_imports():
    from microdot.microdot import MultiDict, NoCaseDict, Request, Response, \
        URLPattern, urlencode, urldecode
    from microdot import Microdot as M1
    from microdot.microdot import Microdot as M2
    assert M1 is M2
    assert Request.max_content_length > 0
    assert Response('x').status_code == 200
    assert URLPattern('/a/<int:b>').match('/a/3') == {'b': 3}
    d = MultiDict()
    d['a'] = '1'
    d['a'] = '2'
    assert d['a'] == '1' and d.getlist('a') == ['1', '2']
    h = NoCaseDict({'Content-Type': 'text/plain'})
    assert h['content-type'] == 'text/plain'
    for text in ('a b&c=d?e#f', 'x+y%z', 'caf\u00e9'):
        assert urldecode(urlencode(text)) == text
    assert urldecode('a+b%26c') == 'a b&c'


def _verbs_app():
    app = Microdot()

    @app.route('/any', methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
    def any_(req):
        return 'any:' + req.method

    @app.route('/plain')
    def plain(req):
        return 'plain'

    @app.get('/v')
    def v_get(req):
        return 'get'

    @app.post('/v')
    def v_post(req):
        return 'post'

    @app.put('/v')
    def v_put(req):
        return 'put'

    @app.patch('/v')
    def v_patch(req):
        return 'patch'

    @app.delete('/v')
    def v_delete(req):
        return 'delete'

    return app


async def _verbs():
    c = TestClient(_verbs_app())
    for m in ('GET', 'POST', 'PUT', 'PATCH', 'DELETE'):
        res = await c.request(m, '/any')
        assert res.status_code == 200
        assert res.text == 'any:' + m
        res = await c.request(m, '/v')
        assert res.status_code == 200 and res.text == m.lower()
    res = await c.get('/plain')
    assert res.text == 'plain'
    res = await c.post('/plain')
    assert res.status_code == 405


def test_verbs():
    support.run(_verbs())


async def _url_args():
    app = Microdot()

    @app.route('/u/<name>')
    def user(req, name):
        return 'user:' + name

    @app.route('/n/<int:id>')
    async def num(req, id):
        return 'num:%d:%s' % (id + 1, req.url_args['id'])

    @app.route('/p/<path:rest>')
    def path(req, rest):
        return 'path:' + rest

    @app.route('/two/<a>/<b>')
    def two(req, b, a):
        return a + '-' + b

    @app.route('/re/<re:[a-c]+:letters>')
    def letters(req, letters):
        return letters

    c = TestClient(app)
    assert (await c.get('/u/bob')).text == 'user:bob'
    assert (await c.get('/u/a%20b')).text == 'user:a b'
    assert (await c.get('/n/41')).text == 'num:42:41'
    assert (await c.get('/n/x')).status_code == 404
    assert (await c.get('/p/a/b/c.txt')).text == 'path:a/b/c.txt'
    assert (await c.get('/two/x/y')).text == 'x-y'
    assert (await c.get('/re/abca')).text == 'abca'
    assert (await c.get('/re/abd')).status_code == 404
    assert (await c.get('/u/')).status_code == 404


def test_url_args():
    support.run(_url_args())


async def _not_found_and_not_allowed():
    app = Microdot()

    @app.route('/items', methods=['GET', 'POST'])
    def items(req):
        return 'items'

    @app.route('/items', methods=['PUT'])
    def items_put(req):
        return 'put'

    c = TestClient(app)
    res = await c.get('/nothing')
    assert res.status_code == 404
    assert res.text  # a short plain text reason
    res = await c.delete('/items')
    assert res.status_code == 405
    allow = [m.strip() for m in res.headers['Allow'].split(',')]
    for m in ('GET', 'POST', 'PUT'):
        assert m in allow
    assert 'DELETE' not in allow
    assert (await c.put('/items')).text == 'put'


def test_not_found_and_not_allowed():
    support.run(_not_found_and_not_allowed())


async def _head_and_options():
    app = Microdot()

    @app.route('/page')
    def page(req):
        return 'hello', {'X-Page': 'yes'}

    @app.post('/form')
    def form(req):
        return 'ok'

    @app.route('/custom', methods=['OPTIONS'])
    def custom(req):
        return 'mine', {'X-Custom': '1'}

    c = TestClient(app)
    res = await c.request('HEAD', '/page')
    assert res.status_code == 200
    assert res.body == b''
    assert res.headers['X-Page'] == 'yes'
    assert res.headers['Content-Length'] == '5'
    assert res.headers['Content-Type'].startswith('text/plain')

    res = await c.request('OPTIONS', '/page')
    assert res.status_code == 200
    allow = [m.strip() for m in res.headers['Allow'].split(',')]
    assert 'GET' in allow and 'HEAD' in allow and 'OPTIONS' in allow
    assert 'POST' not in allow

    res = await c.request('OPTIONS', '/form')
    allow = [m.strip() for m in res.headers['Allow'].split(',')]
    assert 'POST' in allow and 'OPTIONS' in allow and 'GET' not in allow

    # a route that takes OPTIONS itself answers it
    res = await c.request('OPTIONS', '/custom')
    assert res.text == 'mine' and res.headers['X-Custom'] == '1'

    # HEAD of a POST-only route is not allowed
    res = await c.request('HEAD', '/form')
    assert res.status_code == 405


def test_head_and_options():
    support.run(_head_and_options())


async def _first_match_wins():
    app = Microdot()

    @app.route('/a/<name>')
    def generic(req, name):
        return 'generic'

    @app.route('/a/special')
    def special(req):
        return 'special'

    @app.route('/b/fixed')
    def fixed(req):
        return 'fixed'

    @app.route('/b/<name>')
    def b_generic(req, name):
        return 'b:' + name

    @app.route('/c/<int:n>')
    def c_int(req, n):
        return 'int'

    @app.route('/c/<s>')
    def c_str(req, s):
        return 'str'

    @app.get('/d')
    def d_get(req):
        return 'd1'

    @app.get('/d')
    def d_get_again(req):
        return 'd2'

    c = TestClient(app)
    assert (await c.get('/a/special')).text == 'generic'
    assert (await c.get('/b/fixed')).text == 'fixed'
    assert (await c.get('/b/other')).text == 'b:other'
    assert (await c.get('/c/12')).text == 'int'
    assert (await c.get('/c/x')).text == 'str'
    assert (await c.get('/d')).text == 'd1'


def test_first_match_wins():
    support.run(_first_match_wins())


def test_url_map_and_add_route():
    app = Microdot()

    def h(req):
        return 'h'

    app.route('/x', methods=['GET', 'POST'])(h)
    methods, pattern, handler, prefix, sub = app.url_map[-1]
    assert methods == ['GET', 'POST']
    assert pattern.url_pattern == '/x'
    assert handler is h and prefix == '' and sub is None
    assert (support.run(TestClient(app).post('/x'))).text == 'h'


def test_options_handler_none_disables_automatic_options():
    app = Microdot()

    @app.get('/x')
    async def x(req):
        return 'x'

    app.options_handler = None

    async def run():
        client = TestClient(app)
        res = await client.request('OPTIONS', '/x')
        assert res.status_code == 405
        assert 'GET' in res.headers['Allow']
        res = await client.get('/x')
        assert res.status_code == 200
    support.run(run())
