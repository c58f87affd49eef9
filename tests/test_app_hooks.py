"""Request hooks and error handling of a Microdot 2.x app, through the
TestClient: before/after hooks, per-request hooks, error handlers by status
and by exception class, abort(), 500 and 503, sync and async handlers."""
from microdot import Microdot, Response, abort
from microdot.test_client import TestClient
import support


async def _before_request():
    app = Microdot()
    calls = []

    @app.before_request
    def first(req):
        calls.append('first')
        req.g.user = req.headers.get('X-User')
        if req.path == '/deny':
            return 'denied', 401
        if req.path == '/deny-response':
            return Response('no', 403, {'X-Why': 'hook'})

    @app.before_request
    async def second(req):
        calls.append('second')

    @app.route('/deny')
    def deny(req):
        calls.append('handler')
        return 'never'

    @app.route('/deny-response')
    def deny_response(req):
        calls.append('handler')
        return 'never'

    @app.route('/me')
    def me(req):
        calls.append('handler')
        return 'user=%s' % req.g.user

    c = TestClient(app)
    res = await c.get('/me', headers={'X-User': 'ann'})
    assert res.text == 'user=ann'
    assert calls == ['first', 'second', 'handler']
    del calls[:]
    res = await c.get('/deny')
    assert res.status_code == 401 and res.text == 'denied'
    assert calls == ['first']
    del calls[:]
    res = await c.get('/deny-response')
    assert res.status_code == 403 and res.text == 'no'
    assert res.headers['X-Why'] == 'hook'
    assert calls == ['first']


def test_before_request():
    support.run(_before_request())


async def _after_request():
    app = Microdot()
    seen = []

    @app.after_request
    def modify(req, res):
        seen.append(isinstance(res, Response))
        res.headers['X-After'] = 'yes'  # returns None: response kept

    @app.after_request
    async def replace(req, res):
        if req.path == '/replace':
            return Response('replaced', 202)

    @app.route('/plain')
    def plain(req):
        return 'plain'

    @app.route('/replace')
    def replace_me(req):
        return 'original'

    @app.route('/per-request')
    async def per_request(req):
        @req.after_request
        def only_here(req, res):
            res.headers['X-Once'] = 'here'

        @req.after_request
        async def swap(req, res):
            return Response(res.body + b'!', res.status_code, res.headers)
        return 'body'

    c = TestClient(app)
    res = await c.get('/plain')
    assert res.text == 'plain' and res.headers['X-After'] == 'yes'
    assert 'X-Once' not in res.headers
    assert seen == [True]
    res = await c.get('/replace')
    assert res.status_code == 202 and res.text == 'replaced'
    res = await c.get('/per-request')
    assert res.text == 'body!'
    assert res.headers['X-Once'] == 'here'
    assert res.headers['X-After'] == 'yes'
    res = await c.get('/plain')
    assert 'X-Once' not in res.headers


def test_after_request():
    support.run(_after_request())


async def _after_error_request():
    app = Microdot()
    after = []

    @app.after_request
    def ok_hook(req, res):
        after.append('after')

    @app.after_error_request
    def error_hook(req, res):
        after.append('error:%d' % res.status_code)
        res.headers['X-Error-Hook'] = '1'

    @app.route('/ok')
    def ok(req):
        return 'ok'

    @app.route('/boom')
    def boom(req):
        raise RuntimeError('boom')

    @app.route('/abort')
    def aborted(req):
        abort(418, 'teapot')

    c = TestClient(app)
    res = await c.get('/ok')
    assert 'X-Error-Hook' not in res.headers and after == ['after']
    del after[:]
    res = await c.get('/missing')
    assert res.status_code == 404 and res.headers['X-Error-Hook'] == '1'
    res = await c.post('/ok')
    assert res.status_code == 405 and res.headers['X-Error-Hook'] == '1'
    res = await c.get('/boom')
    assert res.status_code == 500 and res.headers['X-Error-Hook'] == '1'
    res = await c.get('/abort')
    assert res.status_code == 418 and res.text == 'teapot'
    assert after == ['error:404', 'error:405', 'error:500', 'error:418']


def test_after_error_request():
    support.run(_after_error_request())


class AppError(Exception):
    pass


class NotFoundError(AppError):
    pass


class DeepError(NotFoundError):
    pass


class OtherError(Exception):
    pass


async def _errorhandlers():
    app = Microdot()

    @app.errorhandler(404)
    def not_found(req):
        return {'error': 'not found', 'path': req.path}, 404

    @app.errorhandler(405)
    async def not_allowed(req):
        return 'nope', 405

    @app.errorhandler(AppError)
    def app_error(req, exc):
        return 'app error: %s' % exc.__class__.__name__, 400

    @app.errorhandler(NotFoundError)
    async def nf_error(req, exc):
        return 'missing: %s' % exc, 404

    @app.errorhandler(OtherError)
    def broken_handler(req, exc):
        raise RuntimeError('the error handler fails too')

    @app.route('/raise/<kind>')
    def raise_(req, kind):
        if kind == 'app':
            raise AppError()
        if kind == 'nf':
            raise NotFoundError('x')
        if kind == 'deep':
            raise DeepError('deep')
        if kind == 'other':
            raise OtherError()
        if kind == 'abort':
            abort(404)
        if kind == 'static-abort':
            Microdot.abort(409, 'clash')
        return 'no error'

    c = TestClient(app)
    res = await c.get('/nowhere')
    assert res.status_code == 404
    assert res.json == {'error': 'not found', 'path': '/nowhere'}
    res = await c.post('/raise/x')
    assert res.status_code == 405 and res.text == 'nope'
    res = await c.get('/raise/app')
    assert res.status_code == 400 and res.text == 'app error: AppError'
    res = await c.get('/raise/nf')
    assert res.status_code == 404 and res.text == 'missing: x'
    # a subclass is caught by the handler of its nearest base class
    res = await c.get('/raise/deep')
    assert res.status_code == 404 and res.text == 'missing: deep'
    # an error inside an error handler is a 500
    res = await c.get('/raise/other')
    assert res.status_code == 500
    # abort() goes through the status handler
    res = await c.get('/raise/abort')
    assert res.status_code == 404 and res.json['path'] == '/raise/abort'
    res = await c.get('/raise/static-abort')
    assert res.status_code == 409 and res.text == 'clash'
    assert (await c.get('/raise/none')).text == 'no error'


def test_errorhandlers():
    support.run(_errorhandlers())


async def _unhandled_exception():
    app = Microdot()

    @app.route('/boom')
    def boom(req):
        raise ValueError('secret detail')

    @app.route('/abort')
    def aborted(req):
        abort(400)

    c = TestClient(app)
    res = await c.get('/boom')
    assert res.status_code == 500
    assert 'secret detail' not in res.text
    assert 'Traceback' not in res.text
    assert 'ValueError' not in res.text
    res = await c.get('/abort')
    assert res.status_code == 400

    @app.errorhandler(500)
    def custom_500(req):
        return 'custom 500', 500

    res = await c.get('/boom')
    assert res.status_code == 500 and res.text == 'custom 500'


def test_unhandled_exception():
    support.run(_unhandled_exception())


async def _memory_error():
    app = Microdot()
    state = {'fail': True}

    @app.route('/')
    def index(req):
        if state['fail']:
            state['fail'] = False
            raise MemoryError()
        return 'fine'

    c = TestClient(app)
    res = await c.get('/')
    assert res.status_code == 503
    res = await c.get('/')
    assert res.status_code == 200 and res.text == 'fine'


def test_memory_error():
    support.run(_memory_error())


async def _sync_and_async():
    app = Microdot()

    @app.route('/sync')
    def sync_handler(req):
        return 'sync'

    @app.route('/async')
    async def async_handler(req):
        return 'async'

    @app.before_request
    def sync_hook(req):
        req.g.hooks = ['sync']

    @app.before_request
    async def async_hook(req):
        req.g.hooks.append('async')

    @app.after_request
    async def after(req, res):
        res.headers['X-Hooks'] = ','.join(req.g.hooks)

    c = TestClient(app)
    for kind in ('sync', 'async'):
        res = await c.get('/' + kind)
        assert res.text == kind
        assert res.headers['X-Hooks'] == 'sync,async'


def test_sync_and_async():
    support.run(_sync_and_async())


async def _request_g():
    app = Microdot()

    @app.before_request
    def load(req):
        if req.args.get('who'):
            req.g.who = req.args['who']

    @app.route('/')
    def index(req):
        return getattr(req.g, 'who', 'nobody')

    c = TestClient(app)
    assert (await c.get('/?who=ann')).text == 'ann'
    # g lives for one request only
    assert (await c.get('/')).text == 'nobody'


def test_request_g():
    support.run(_request_g())
