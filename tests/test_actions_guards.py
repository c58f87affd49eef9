"""The guards of microdot.actions saying yes and no: origin (own, allowed,
foreign, null, missing, Referer), CSRF token (missing, mismatched, forged,
expired, bound to the session), permissions and users, the order of
app-wide, class and action guards, sync and async guards."""
from microdot import Microdot
from microdot.actions import ActionAuth, ActionContext, ActionError, \
    ActionGuard, ActionPermissions, ActionsModule, ActionsOption, \
    UseActionGuards, action, CsrfActionGuard, OriginActionGuard, \
    ActionPermissionGuard
from microdot.csrf import make_token
from microdot.session import Session
from microdot.test_client import TestClient
import support

SECRET = 'a-32-byte-long-secret-for-tests!'
seen = []


class Recorder(ActionGuard):
    def __init__(self, label, answer=True):
        self.label = label
        self.answer = answer

    def can_activate(self, ctx):
        seen.append(self.label)
        return self.answer


class AsyncNo(ActionGuard):
    async def can_activate(self, ctx):
        seen.append('async')
        return ctx.kwargs.get('let') == 'in'


class AuthGuard(ActionGuard):
    def can_activate(self, ctx: ActionContext) -> bool:
        return ctx.user is not None


@UseActionGuards(Recorder('class'))
class Demo:
    @UseActionGuards(AuthGuard)
    @action(params=['name: str'], returns='str')
    async def hello(self, name):
        return 'Hello, ' + name

    @UseActionGuards(Recorder('first'), Recorder('second'))
    @UseActionGuards(Recorder('third'), AsyncNo())
    @action(params=['let?: str'])
    def ordered(self, let=None):
        return 'in'

    @action(params=[])
    def public(self):
        return 'ok'

    @ActionPermissions('leds.write', 'leds.read')
    @action(params=[])
    def write(self):
        return 'written'

    @ActionAuth('admin', guards=[Recorder('auth-guard')])
    @action(params=[])
    def admin(self):
        return 'admin'

    @ActionAuth()
    @action(params=[])
    def me(self):
        return 'me'


def make_app(guards=(), user=None, session=False, **options):
    app = Microdot()
    if session:
        Session(app, secret_key=SECRET)

    @app.before_request
    def set_user(request):
        request.g.current_user = user

    module = ActionsModule.for_root(ActionsOption(
        guards=[Recorder('app')] + list(guards), csrf_secret=None
        if session else SECRET, **options))
    module.register(Demo)
    module.install(app)
    return app


def post(client, name, headers=None, kwargs=None):
    del seen[:]
    return support.run(client.post('/_actions', headers=headers, body={
        'action': name, 'kwargs': kwargs or {}}))


def refused(res, type_='Forbidden'):
    assert res.status_code == 403, (res.status_code, res.text)
    assert res.json['ok'] is False and res.json['error']['type'] == type_, \
        res.json
    return res.json['error']['message']


def test_guard_order_and_the_first_no_ends_the_call():
    client = TestClient(make_app())
    res = post(client, 'Demo.ordered', kwargs={'let': 'in'})
    assert res.json == {'ok': True, 'data': 'in'}
    assert seen == ['app', 'class', 'first', 'second', 'third', 'async']
    assert refused(post(client, 'Demo.ordered')) == 'refused by AsyncNo'
    client = TestClient(make_app([Recorder('no', False)]))
    refused(post(client, 'Demo.ordered', kwargs={'let': 'in'}))
    assert seen == ['app', 'no']
    # app-wide guards come before the lookup: no 404 for refused callers
    refused(post(client, 'Demo.missing'))


def test_user_guard():
    refused(post(TestClient(make_app()), 'Demo.hello', kwargs={'name': 'x'}))
    res = post(TestClient(make_app(user={'id': 1})), 'Demo.hello',
               kwargs={'name': 'x'})
    assert res.json['data'] == 'Hello, x'


def test_permissions():
    perms = {'id': 1, 'permissions': ['leds.read', 'leds.write']}
    assert post(TestClient(make_app(user=perms)), 'Demo.write').json[
        'data'] == 'written'
    assert refused(post(TestClient(make_app(user={'id': 1, 'permissions': [
        'leds.read']})), 'Demo.write')) == 'permission denied'
    # declared permissions are enforced even without the guard
    assert 'user' in refused(post(TestClient(make_app()), 'Demo.write'))
    client = TestClient(make_app([ActionPermissionGuard()], user={'id': 2}))
    refused(post(client, 'Demo.write'))
    assert post(client, 'Demo.public').json['data'] == 'ok'

    class User:
        permissions = ('admin',)
    res = post(TestClient(make_app(user=User())), 'Demo.admin')
    assert res.json['data'] == 'admin' and 'auth-guard' in seen
    refused(post(TestClient(make_app(user={'id': 1})), 'Demo.admin'))
    assert 'auth-guard' not in seen
    assert refused(post(TestClient(make_app()), 'Demo.me')) == \
        'a logged-in user is required'
    assert post(TestClient(make_app(user=User())), 'Demo.me').json['data'] \
        == 'me'
    # get_permissions of the options, and of the guard
    client = TestClient(make_app(user='bob', get_permissions=lambda u: [
        'leds.read', 'leds.write'] if u == 'bob' else []))
    assert post(client, 'Demo.write').json['data'] == 'written'
    client = TestClient(make_app([ActionPermissionGuard(lambda u: [])],
                                 user='bob', get_permissions=lambda u: [
                                     'leds.read', 'leds.write']))
    refused(post(client, 'Demo.write'))


def test_get_user_option():
    async def get_user(request):
        return request.headers.get('X-User')
    client = TestClient(make_app(get_user=get_user))
    refused(post(client, 'Demo.hello', kwargs={'name': 'x'}))
    res = post(client, 'Demo.hello', {'X-User': 'ann'}, {'name': 'y'})
    assert res.json['data'] == 'Hello, y'


def origin_app(**kw):
    return TestClient(make_app([OriginActionGuard(**kw)]), host='dev.local')


def test_origin_guard():
    client = origin_app(allowed_origins=['http://localhost:5173',
                                         'https://App.example:443'])
    for origin in ('http://dev.local', 'http://DEV.local:80',
                   'http://localhost:5173', 'https://app.example'):
        assert post(client, 'Demo.public', {'Origin': origin}).json[
            'data'] == 'ok', origin
    assert post(client, 'Demo.public', {
        'Referer': 'http://dev.local/page?x=1'}).json['data'] == 'ok'
    for origin in ('http://evil.example', 'null', 'https://dev.local',
                   'http://dev.local:8080', 'http://localhost:5174', '',
                   'http://dev.local.evil.example', 'dev.local',
                   'http://evil.example@dev.local'):
        assert refused(post(client, 'Demo.public', {'Origin': origin})) == \
            'cross-origin call refused', origin
    # Origin wins over Referer; a foreign Referer alone is refused
    refused(post(client, 'Demo.public', {
        'Origin': 'null', 'Referer': 'http://dev.local/'}))
    refused(post(client, 'Demo.public', {'Referer': 'http://evil.example/'}))
    assert refused(post(client, 'Demo.public')) == \
        'the request has no Origin header'
    client = origin_app(allow_missing_origin=True)
    assert post(client, 'Demo.public').json['data'] == 'ok'
    refused(post(client, 'Demo.public', {'Origin': 'null'}))
    https = TestClient(make_app([OriginActionGuard()]), scheme='https',
                       host='dev.local:443')
    assert post(https, 'Demo.public', {'Origin': 'https://dev.local'}).json[
        'data'] == 'ok'
    refused(post(https, 'Demo.public', {'Origin': 'http://dev.local'}))
    assert support.raises(ValueError, OriginActionGuard, ['localhost'])


def get_token(client):
    res = support.run(client.get('/_actions/csrf'))
    assert res.status_code == 200 and res.headers['Cache-Control'] == \
        'no-store'
    cookie = [c for c in res.headers['Set-Cookie']
              if c.startswith('csrf_token=')][0]
    parts = [p.strip() for p in cookie.split(';')]
    assert 'Path=/' in parts and 'SameSite=Lax' in parts, cookie
    assert parts[0] == 'csrf_token=' + res.json['csrf']
    return res.json['csrf']


def test_csrf_guard():
    client = TestClient(make_app([CsrfActionGuard()]))
    token = get_token(client)
    assert len(token.split('.')) == 3  # signed, not a bare random value
    assert get_token(client) == token  # a valid cookie is handed out again
    ok = post(client, 'Demo.public', {'X-CSRF-Token': token})
    assert ok.json['data'] == 'ok'
    assert refused(post(client, 'Demo.public'), 'InvalidCsrfToken') == \
        'missing or invalid CSRF token'
    flipped = token[:-1] + ('A' if token[-1] != 'A' else 'B')
    forged = make_token('another-32-byte-secret-for-tests', '')
    expired = make_token(SECRET, '', max_age=-10)
    for bad in (flipped, forged, expired, token + 'x', 'x'):
        refused(post(client, 'Demo.public', {'X-CSRF-Token': bad}),
                'InvalidCsrfToken')
        client.cookies['csrf_token'] = bad  # matching cookie: still refused
        refused(post(client, 'Demo.public', {'X-CSRF-Token': bad}),
                'InvalidCsrfToken')
    # a valid token in the header but not in the cookie
    client.cookies['csrf_token'] = make_token(SECRET, '')
    refused(post(client, 'Demo.public', {'X-CSRF-Token': token}),
            'InvalidCsrfToken')
    del client.cookies['csrf_token']
    refused(post(client, 'Demo.public', {'X-CSRF-Token': token}),
            'InvalidCsrfToken')
    fresh = get_token(client)
    assert fresh != token
    assert post(client, 'Demo.public', {'X-CSRF-Token': fresh}).json[
        'data'] == 'ok'


def test_csrf_bound_to_the_session():
    app = make_app([CsrfActionGuard()], session=True)
    alice, bob = TestClient(app), TestClient(app)
    token = get_token(alice)
    assert 'session' in alice.cookies
    assert post(alice, 'Demo.public', {'X-CSRF-Token': token}).json[
        'data'] == 'ok'
    get_token(bob)
    bob.cookies['csrf_token'] = token  # alice's token, bob's session
    refused(post(bob, 'Demo.public', {'X-CSRF-Token': token}),
            'InvalidCsrfToken')
    # signed with the session key, bound to nothing: refused too
    unbound = make_token(SECRET, '')
    alice.cookies['csrf_token'] = unbound
    refused(post(alice, 'Demo.public', {'X-CSRF-Token': unbound}),
            'InvalidCsrfToken')
    nobody = TestClient(app, cookies={'csrf_token': token})
    refused(post(nobody, 'Demo.public', {'X-CSRF-Token': token}),
            'InvalidCsrfToken')


def test_guard_errors():
    class Teapot(ActionGuard):
        def can_activate(self, ctx):
            raise ActionError('short and stout', 418, 'Teapot')

    class Broken(ActionGuard):
        def can_activate(self, ctx):
            raise KeyError('oops')
    res = post(TestClient(make_app([Teapot()])), 'Demo.public')
    assert res.status_code == 418 and res.json['error'] == {
        'type': 'Teapot', 'message': 'short and stout'}
    res = post(TestClient(make_app([Broken])), 'Demo.public')
    assert res.status_code == 500 and res.json['ok'] is False  # fails closed
