"""The attributes of every cookie the framework sets by itself (session,
"remember me", the csrf_token of actions and hypermedia views) over HTTP
and HTTPS, on both runtimes: HttpOnly where no script needs it, SameSite
Lax, Path /, Secure whenever the request came over HTTPS. And one random
CSRF key per process when the app gives none, so hyper views and actions
accept each other's csrf_token cookie."""
from microdot import Microdot
from microdot.actions import ActionsModule, ActionsOption, action, \
    CsrfActionGuard
from microdot.hyper import HyperView, action as hyper_action
from microdot.login import Login
from microdot.session import Session
from microdot.test_client import TestClient
import support

SECRET = 'cookie-test-secret-of-32-bytes!!'


class Demo:
    @action(params=[])
    def ping(self):
        return 'pong'


class Page(HyperView):
    def get(self, request):
        return 'page ' + self.csrf_token(request)

    @hyper_action
    def poke(self, request):
        return '<p>poked</p>'


def make_app(session=True):
    app = Microdot()
    if session:
        Session(app, secret_key=SECRET)
    login = Login()

    @app.route('/login', methods=['POST'])
    async def do_login(req):
        return await login.login_user(req, {'id': 'u1'}, remember=True)
    module = ActionsModule.for_root(ActionsOption(guards=[
        CsrfActionGuard()]))
    module.register(Demo)
    module.install(app)
    app.register(Page, '/page')
    return app


def attributes(res):
    """{cookie name: set of its attributes, lower case, values dropped}."""
    out = {}
    for header in res.headers.get('Set-Cookie', []):
        parts = [p.strip() for p in header.split(';')]
        out[parts[0].partition('=')[0]] = set(
            p.partition('=')[0].lower() for p in parts[1:])
        assert 'SameSite=Lax' in parts and 'Path=/' in parts, header
    return out


def test_cookie_defaults_over_http_and_https():
    async def run(scheme):
        c = TestClient(make_app(), scheme=scheme)
        found = attributes(await c.post('/login'))
        found.update(attributes(await c.get('/_actions/csrf')))
        c.cookies.clear()
        found.update(attributes(await c.get('/page')))
        return found
    for scheme in ('http', 'https'):
        found = support.run(run(scheme))
        assert sorted(found) == ['_remember', 'csrf_token', 'session'], found
        for name in found:
            assert ('secure' in found[name]) == (scheme == 'https'), \
                (scheme, name, found[name])
        assert 'httponly' in found['session']
        assert 'httponly' in found['_remember']
        # read by hyper.js (double submit): a token, not a credential
        assert 'httponly' not in found['csrf_token']
        assert 'max-age' in found['_remember'] and \
            'max-age' not in found['session']


def test_secure_can_be_forced_or_refused_by_the_app():
    async def run(secure, scheme):
        app = make_app()
        app._session.cookie_options['secure'] = secure
        c = TestClient(app, scheme=scheme)
        return attributes(await c.post('/login'))
    # behind a proxy that ends TLS the app sees http: it says secure=True
    found = support.run(run(True, 'http'))
    assert 'secure' in found['session'] and 'secure' in found['_remember']
    found = support.run(run(False, 'https'))
    assert 'secure' not in found['session']


def test_hyper_and_actions_share_the_default_csrf_key():
    async def run():
        c = TestClient(make_app(session=False))
        page = await c.get('/page')
        token = page.text.split(' ')[1]
        assert c.cookies['csrf_token'] == token
        # the actions endpoint keeps the valid token the page set
        res = await c.get('/_actions/csrf')
        assert res.json['csrf'] == token and c.cookies['csrf_token'] == token
        res = await c.post('/_actions', headers={'X-CSRF-Token': token},
                           body={'action': 'Demo.ping'})
        assert res.json == {'ok': True, 'data': 'pong'}, res.json
        res = await c.post('/page', headers={'X-Action': 'poke',
                                             'X-CSRF-Token': token})
        assert res.status_code == 200, res.status_code
    support.run(run())
