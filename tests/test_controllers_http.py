"""Controllers, http routes: keyword arguments from the URL, the query and
the form; what a return value becomes; request.make_response; the request
proxy; CORS headers and preflight. Through the TestClient."""
from microdot import Microdot, Response
from microdot.controllers import Controller, route, request, RequestProxy
from microdot.test_client import TestClient
import support

FORM = {'Content-Type': 'application/x-www-form-urlencoded'}


class Api(Controller):
    @route('/echo/<int:id>', auth='none', csrf=False)
    def echo(self, **kw):
        return sorted(kw.items())

    @route('/strict/<name>', auth='none', csrf=False)
    async def strict(self, name, size=None):
        return {'name': name, 'size': size}

    @route('/ret/<kind>', auth='none')
    def ret(self, kind):
        values = {'none': None, 'empty': '', 'zero': 0, 'list': [],
                  'dict': {}, 'html': '<b>hi</b>', 'json': {'a': 1},
                  'bytes': b'raw', 'tuple': ('made', 201),
                  'response': Response('teapot', 418, {'X-A': 'b'})}
        return values[kind]

    @route('/made', auth='none')
    def made(self):
        return request.make_response('<p>made</p>', headers={'X-M': '1'},
                                     cookies={'flavour': 'oat'})

    @route('/made-json', auth='none')
    def made_json(self):
        return request.make_response({'k': [1]})

    @route('/made-text', auth='none')
    def made_text(self):
        return request.make_response(
            'plain', headers={'Content-Type': 'text/plain'})

    @route('/proxy', auth='none')
    async def proxy(self, q=None):
        request.g.seen = request.args.get('q')
        return '%s %s %s %s' % (request.method, request.path,
                                request.g.seen, request.user)

    @route('/boom', auth='none')
    def boom(self):
        raise KeyError('boom')

    @route('/cors', auth='none', cors='https://app.example', csrf=False,
           methods=['GET', 'PUT'])
    def cors(self, **kw):
        return 'shared'


app = Microdot()
app.register(Api)


def _run(coro_fn):
    return support.run(coro_fn(TestClient(app)))


def test_kwargs_from_url_query_and_form():
    async def main(c):
        res = await c.post('/echo/7?a=1&b=2&id=99&t=x&t=y', headers=FORM,
                           body='b=form&c=3&id=98')
        # the form beats the query, the URL beats both; first of repeats
        assert res.json == [['a', '1'], ['b', 'form'], ['c', '3'],
                            ['id', 7], ['t', 'x']]
        res = await c.get('/echo/1?self=x')  # never passed as "self"
        assert res.json == [['id', 1]]
        # a JSON body is not spread into keyword arguments
        res = await c.post('/echo/1', body={'x': 1})
        assert res.json == [['id', 1]]
    _run(main)


def test_unexpected_or_missing_arguments_400():
    async def main(c):
        res = await c.get('/strict/a?size=3')
        assert res.json == {'name': 'a', 'size': '3'}
        res = await c.get('/strict/a?colour=red')
        assert res.status_code == 400
    _run(main)


def test_return_values():
    async def main(c):
        for kind in ('none', 'empty', 'zero', 'list', 'dict'):
            res = await c.get('/ret/' + kind)
            assert (res.status_code, res.body) == (204, b''), kind
            assert 'Content-Length' not in res.headers
        res = await c.get('/ret/html')
        assert (res.status_code, res.text) == (200, '<b>hi</b>')
        assert res.headers['Content-Type'] == 'text/html; charset=UTF-8'
        res = await c.get('/ret/json')
        assert res.json == {'a': 1}
        assert res.headers['Content-Type'].startswith('application/json')
        res = await c.get('/ret/bytes')
        assert res.body == b'raw'
        assert res.headers['Content-Type'].startswith('text/plain')
        res = await c.get('/ret/tuple')
        assert (res.status_code, res.text) == (201, 'made')
        res = await c.get('/ret/response')
        assert (res.status_code, res.text) == (418, 'teapot')
        assert res.headers['X-A'] == 'b'
    _run(main)


def test_make_response():
    async def main(c):
        res = await c.get('/made')
        assert (res.status_code, res.text) == (200, '<p>made</p>')
        assert res.headers['Content-Type'] == 'text/html; charset=UTF-8'
        assert res.headers['X-M'] == '1'
        assert res.headers['Set-Cookie'] == ['flavour=oat']
        assert c.cookies['flavour'] == 'oat'
        res = await c.get('/made-json')
        assert res.json == {'k': [1]}
        res = await c.get('/made-text')
        assert res.headers['Content-Type'] == 'text/plain'
    _run(main)


def test_request_proxy():
    async def main(c):
        res = await c.get('/proxy?q=z')
        assert res.text == 'GET /proxy z None'
        res = await c.get('/boom')
        assert res.status_code == 500
    _run(main)
    # outside a request there is none
    support.raises(RuntimeError, getattr, request, 'method')
    support.raises(RuntimeError, RequestProxy().csrf_token)


def test_cors_header_and_preflight():
    async def main(c):
        res = await c.get('/cors')
        assert res.text == 'shared'
        assert res.headers['Access-Control-Allow-Origin'] == \
            'https://app.example'
        res = await c.request('OPTIONS', '/cors', headers={
            'Origin': 'https://app.example',
            'Access-Control-Request-Method': 'PUT'})
        assert res.status_code == 204
        h = res.headers
        assert h['Access-Control-Allow-Origin'] == 'https://app.example'
        assert h['Access-Control-Allow-Methods'] == 'GET, PUT, OPTIONS'
        assert 'X-CSRF-Token' in h['Access-Control-Allow-Headers']
        assert h['Access-Control-Max-Age'] == '86400'
        res = await c.delete('/cors')
        assert res.status_code == 405
        assert res.headers['Allow'] == 'GET, PUT, OPTIONS, HEAD'
        # no CORS on a route without it
        res = await c.get('/made')
        assert 'Access-Control-Allow-Origin' not in res.headers
    _run(main)
