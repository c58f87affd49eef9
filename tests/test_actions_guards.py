"""The guards of microdot.actions saying yes and no: permissions and users,
the order of app-wide, class and action guards, sync and async guards,
errors raised by guards (origin and CSRF: test_actions_origin_csrf.py)."""
from microdot import Microdot
from microdot.actions import ActionAuth, ActionContext, ActionError, \
    ActionGuard, ActionPermissions, ActionsModule, ActionsOption, \
    UseActionGuards, action, ActionPermissionGuard
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
