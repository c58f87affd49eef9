"""Controllers: auth='user' | 'public' | 'none' with a custom user source
(http and json routes), and the default source (request.g.current_user).
CSRF tests live in test_controllers_csrf.py; the real login extension in
test_controllers_login.py."""
from microdot import Microdot
from microdot.controllers import Controller, ControllerConfig, route, \
    request
from microdot.test_client import TestClient
import support

USERS = {'ann': {'id': 1, 'name': 'ann'}}
lookups = []


def find_user(req):  # a sync user source
    lookups.append(req.path)
    return USERS.get(req.headers.get('X-User'))


async def find_user_async(req):
    return find_user(req)


def _name(user):
    if user is None:
        return 'None'
    return user['name'] if isinstance(user, dict) else user.name


class Pages(Controller):
    @route('/private')  # auth='user' by default
    def private(self, **kw):
        return 'hello ' + _name(request.user)

    @route('/public', auth='public')
    async def public(self):
        return 'hello ' + _name(request.user)

    @route('/none', auth='none')
    def none(self):
        return 'hello ' + _name(request.user)

    @route('/rpc', type='json')
    def whoami(self):
        return _name(request.user)

    @route('/rpc/public', type='json', auth='public')
    def whoami_public(self):
        return _name(request.user)


def _app(**config):
    app = Microdot()
    app.register(Pages)
    if config:
        ControllerConfig(app, **config)
    return app


def _call(path, **params):
    return {'jsonrpc': '2.0', 'method': 'x', 'params': params, 'id': 1}


def test_auth_user():
    async def main():
        del lookups[:]
        c = TestClient(_app(get_user=find_user, login_url='/login'))
        res = await c.get('/private', headers={'X-User': 'ann'})
        assert (res.status_code, res.text) == (200, 'hello ann')
        res = await c.get('/private?a=1&b=x%20y')
        assert res.status_code == 302
        assert res.headers['Location'] == \
            '/login?next=%2Fprivate%3Fa%3D1%26b%3Dx%2520y'
        assert lookups == ['/private', '/private']
        # a login URL that has a query already; and none at all: 401
        c = TestClient(_app(get_user=find_user, login_url='/in?lang=en'))
        res = await c.get('/private')
        assert res.headers['Location'] == '/in?lang=en&next=%2Fprivate'
        c = TestClient(_app(get_user=find_user_async))
        res = await c.get('/private')
        assert res.status_code == 401
        res = await c.get('/private', headers={'X-User': 'ann'})
        assert res.text == 'hello ann'
    support.run(main())


class Guest:
    name = 'guest'


def test_auth_public():
    async def main():
        c = TestClient(_app(get_user=find_user))
        res = await c.get('/public', headers={'X-User': 'ann'})
        assert (res.status_code, res.text) == (200, 'hello ann')
        res = await c.get('/public')
        assert (res.status_code, res.text) == (200, 'hello public')
        guest = Guest()
        app = _app(get_user=find_user, public_user=guest)
        res = await TestClient(app).get('/public')
        assert res.text == 'hello guest'
    support.run(main())


def test_auth_none_touches_no_user_facility():
    async def main():
        del lookups[:]
        c = TestClient(_app(get_user=find_user))
        res = await c.get('/none', headers={'X-User': 'ann'})
        assert (res.status_code, res.text) == (200, 'hello None')
        assert lookups == []
    support.run(main())


def test_auth_json_routes():
    async def main():
        c = TestClient(_app(get_user=find_user, login_url='/login'))
        res = await c.post('/rpc', body=_call('/rpc'))
        assert res.status_code == 200  # JSON-RPC errors travel in a 200
        assert res.json == {'jsonrpc': '2.0', 'id': 1, 'error': {
            'code': 100, 'message': 'Authentication required',
            'data': {'name': 'Unauthorized',
                     'message': 'this method needs a logged-in user'}}}
        res = await c.post('/rpc', body=_call('/rpc'),
                           headers={'X-User': 'ann'})
        assert res.json == {'jsonrpc': '2.0', 'id': 1, 'result': 'ann'}
        res = await c.post('/rpc/public', body=_call('/rpc'))
        assert res.json['result'] == 'public'
        # a batch looks the user up once
        del lookups[:]
        batch = [_call('/rpc'), _call('/rpc')]
        batch[1]['id'] = 2
        res = await c.post('/rpc', body=batch)
        assert [r['error']['code'] for r in res.json] == [100, 100]
        assert lookups == ['/rpc']
    support.run(main())


def test_default_user_source_is_g_current_user():
    app = _app()

    @app.before_request
    def load(req):  # what microdot.login and microdot.auth leave behind
        name = req.headers.get('X-User')
        if name:
            req.g.current_user = USERS.get(name)

    async def main():
        c = TestClient(app)
        res = await c.get('/private', headers={'X-User': 'ann'})
        assert res.text == 'hello ann'
        res = await c.get('/private')
        assert res.status_code == 401
        res = await c.get('/public')
        assert res.text == 'hello public'
    support.run(main())


def test_config_on_the_app_and_subclassing():
    class Config(ControllerConfig):
        async def get_user(self, request):
            return USERS['ann'] if request.args.get('as') == 'ann' else None

    app = _app()
    config = Config(login_url='/login')
    config.initialize(app)
    assert app.controller_config is config

    async def main():
        c = TestClient(app)
        res = await c.get('/private?as=ann')
        assert res.text == 'hello ann'
        res = await c.get('/private')
        assert res.status_code == 302
    support.run(main())
