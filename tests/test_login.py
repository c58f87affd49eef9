"""microdot.login through the TestClient: login, logout, the user loader,
remember-me, fresh logins, and a ``next`` that can never leave the site."""
from microdot import Microdot
from microdot import jwt
from microdot.login import Login, safe_next_url
from microdot.session import Session, with_session
from microdot.test_client import TestClient
import support

KEY = 'a-32-byte-long-secret-for-tests!'


class User:
    def __init__(self, id, name):
        self.id = id
        self.name = name


USERS = {'1': User('1', 'alice'), '2': User('2', 'bob')}


def make_app(login_url='/login'):
    app = Microdot()
    Session(app, secret_key=KEY)
    login = Login(login_url)
    loaded = []

    @login.user_loader
    async def load(user_id):
        loaded.append(user_id)
        return USERS.get(user_id)

    @app.route('/login', methods=['GET', 'POST'])
    async def do_login(req):
        user = USERS[req.args.get('id', '1')]
        remember = req.args.get('remember')
        return await login.login_user(
            req, user, remember=int(remember) if remember else False,
            redirect_url='/home')

    @app.route('/logout')
    async def do_logout(req):
        await login.logout_user(req)
        return 'bye'

    @app.route('/secret')
    @login
    def secret(req):
        return 'secret of ' + req.g.current_user.name

    @app.route('/other/<int:n>')
    @login.login_required
    async def other(req, n):
        return 'other %d %s' % (n, req.g.current_user.name)

    @app.route('/fresh')
    @login.fresh
    async def fresh(req):
        return 'fresh'

    @app.route('/whoami')
    async def whoami(req):
        user = await login.get_current_user(req)
        return user.name if user else 'nobody'

    @app.route('/forget')
    @with_session
    def forget(req, session):
        session.delete()  # the session cookie is gone, remember-me stays
        return 'forgotten'
    return app, loaded


def test_anonymous_is_redirected_with_next():
    async def main():
        app, loaded = make_app()
        c = TestClient(app)
        res = await c.get('/secret?a=1&b=x%20y')
        assert res.status_code == 302
        assert res.headers['Location'] == \
            '/login?next=%2Fsecret%3Fa%3D1%26b%3Dx%2520y'
        res = await c.get('/other/3')
        assert res.headers['Location'] == '/login?next=%2Fother%2F3'
        assert loaded == []  # no user id: the loader is not called
        app, _ = make_app('/auth?lang=en')
        res = await TestClient(app).get('/secret')
        assert res.headers['Location'] == '/auth?lang=en&next=%2Fsecret'
    support.run(main())


def test_login_then_protected_routes():
    async def main():
        app, loaded = make_app()
        c = TestClient(app)
        res = await c.get('/login?next=%2Fother%2F3')
        assert res.status_code == 302
        assert res.headers['Location'] == '/other/3'
        assert jwt.decode(c.cookies['session'], KEY) == \
            {'_user_id': '1', '_fresh': True}
        assert '_remember' not in c.cookies
        assert (await c.get('/other/3')).text == 'other 3 alice'
        assert (await c.get('/secret')).text == 'secret of alice'
        assert (await c.get('/fresh')).text == 'fresh'
        assert loaded == ['1', '1', '1']
        res = await c.get('/logout')
        assert res.text == 'bye'
        assert (await c.get('/secret')).status_code == 302
        assert (await c.get('/whoami')).text == 'nobody'
    support.run(main())


def test_login_without_next_goes_to_redirect_url():
    async def main():
        app, _ = make_app()
        res = await TestClient(app).post('/login?id=2')
        assert res.headers['Location'] == '/home'
    support.run(main())


def test_next_can_never_point_off_site():
    async def main():
        app, _ = make_app()
        for bad in ('//evil.com', 'https://evil.com', 'http:evil.com',
                    '/\\evil.com', '\\\\evil.com', '/\t/evil.com',
                    '/\n/evil.com', '/\r\n/evil.com', '\x00//evil.com',
                    ' //evil.com', 'evil.com', 'javascript:alert(1)',
                    '/x\x7f', '/ok\\..\\', ''):
            from microdot.urlencoding import urlencode
            res = await TestClient(app).get('/login?next=' + urlencode(bad))
            assert res.status_code == 302, bad
            assert res.headers['Location'] == '/home', bad
        res = await TestClient(app).get('/login?next=/a/b%3Fc%3D//d')
        assert res.headers['Location'] == '/a/b?c=//d'
    support.run(main())


def test_safe_next_url():
    for good in ('/', '/a', '/a?next=http://x', '/a/ b', '/caf\u00e9'):
        assert safe_next_url(good) == good
    for bad in (None, '', 'a', '//a', '/\\a', 'https://a', '/a\tb',
                '/\\', '/a\\b', '\t/a'):
        assert safe_next_url(bad) is None


def test_remember_me_restores_the_login():
    async def main():
        app, loaded = make_app()
        c = TestClient(app)
        res = await c.get('/login?id=2&remember=7')
        cookies = dict([h.split(';')[0].split('=', 1)
                        for h in res.headers['Set-Cookie']])
        remember = [h for h in res.headers['Set-Cookie']
                    if h.startswith('_remember=')][0]
        assert 'Max-Age=604800' in remember and 'HttpOnly' in remember
        assert 'SameSite=Lax' in remember and 'Path=/' in remember
        # signed with a key of its own: not a session token
        assert Session(secret_key=KEY).decode(cookies['_remember']) == {}
        await c.get('/forget')
        assert 'session' not in c.cookies and '_remember' in c.cookies
        res = await c.get('/secret')
        assert res.text == 'secret of bob'
        # the restored login is not fresh, and is saved in the session
        assert jwt.decode(c.cookies['session'], KEY) == \
            {'_user_id': '2', '_fresh': False}
        assert (await c.get('/fresh')).status_code == 302
        await c.get('/logout')
        assert '_remember' not in c.cookies and \
            (await c.get('/secret')).status_code == 302
    support.run(main())


def test_forged_remember_cookies_are_ignored():
    async def main():
        app, loaded = make_app()
        session_token = jwt.encode({'user_id': '1', 'days': 1}, KEY)
        for forged in (session_token, 'garbage', '',
                       jwt.encode({'user_id': '1', 'days': 1},
                                  'another-32-byte-secret-for-tests')):
            c = TestClient(app, cookies={'_remember': forged})
            assert (await c.get('/secret')).status_code == 302
            assert (await c.get('/whoami')).text == 'nobody'
        assert loaded == []
    support.run(main())


def test_user_gone_from_the_database():
    async def main():
        app, _ = make_app()
        c = TestClient(app)
        await c.get('/login?id=1')
        USERS['1'] = None
        try:
            assert (await c.get('/secret')).status_code == 302
        finally:
            USERS['1'] = User('1', 'alice')
    support.run(main())


def test_handlers_that_take_over_the_connection_are_left_alone():
    # a WebSocket handler returns Response.already_handled, a shared
    # object: the session, remember-me and CORS hooks must not touch it
    from microdot import Response
    from microdot.cors import CORS

    async def main():
        app, _ = make_app()
        CORS(app, allowed_origins='*')
        login = Login()

        @app.route('/ws')
        async def ws(req):
            await login.login_user(req, USERS['1'], remember=True)
            return Response.already_handled
        before = dict(Response.already_handled.headers)
        res = await TestClient(app).get('/ws', headers={'Origin': 'x://y'})
        assert res.status_code is None  # the connection was taken
        assert dict(Response.already_handled.headers) == before
    support.run(main())
