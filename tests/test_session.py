"""microdot.session through the TestClient: the cookie, its attributes, save
and delete, and refused cookies (alg none, tampered, expired, another key,
garbage) giving an empty session instead of an error."""
from microdot import Microdot, Response
from microdot import jwt
from microdot.hmac import b64url_encode
from microdot.session import Session, SessionDict, with_session
from microdot.test_client import TestClient
import support

KEY = 'a-32-byte-long-secret-for-tests!'


def make_app(**options):
    app = Microdot()
    Session(app, secret_key=KEY, **options)

    @app.route('/show')
    @with_session
    def show(req, session):
        return {'session': session, 'type': type(session).__name__}

    @app.route('/set/<name>/<value>')
    @with_session
    async def set_value(req, session, name, value):
        session[name] = value
        session.save()
        return 'ok'

    @app.route('/save', methods=['POST'])
    @with_session
    def save(req, session):
        session.update(req.json)
        session.save()
        return 'ok'

    @app.route('/delete')
    @with_session
    def delete(req, session):
        session.delete()
        return 'deleted'

    @app.route('/plain')
    def plain(req):
        return 'no session here'
    return app


def attrs(set_cookie):
    parts = [p.strip() for p in set_cookie.split(';')]
    out = {}
    for p in parts[1:]:
        k, _, v = p.partition('=')
        out[k.lower()] = v
    return parts[0].partition('=')[2], out


def test_save_then_read_back():
    async def main():
        c = TestClient(make_app())
        res = await c.get('/show')
        assert res.json == {'session': {}, 'type': 'SessionDict'}
        assert 'Set-Cookie' not in res.headers  # nothing saved
        res = await c.get('/set/user/alice')
        assert res.status_code == 200
        token, a = attrs(res.headers['Set-Cookie'][0])
        assert a == {'path': '/', 'httponly': '', 'samesite': 'Lax'}
        assert jwt.decode(token, KEY) == {'user': 'alice'}
        await c.get('/set/n/1')
        res = await c.get('/show')
        assert res.json['session'] == {'user': 'alice', 'n': '1'}
    support.run(main())


def test_vary_cookie_only_where_the_session_is_used():
    async def main():
        c = TestClient(make_app())
        assert (await c.get('/show')).headers['Vary'] == 'Cookie'
        assert 'Vary' not in (await c.get('/plain')).headers
    support.run(main())


def test_delete_expires_the_cookie():
    async def main():
        c = TestClient(make_app())
        await c.get('/set/a/b')
        assert 'session' in c.cookies
        res = await c.get('/delete')
        value, a = attrs(res.headers['Set-Cookie'][0])
        assert value == '' and a['max-age'] == '0' and a['path'] == '/'
        assert 'session' not in c.cookies
        assert (await c.get('/show')).json['session'] == {}
    support.run(main())


def test_cookie_options_replace_defaults():
    async def main():
        c = TestClient(make_app(cookie_options={
            'secure': True, 'same_site': 'Strict', 'path': '/app'}))
        res = await c.get('/set/a/b')
        _, a = attrs(res.headers['Set-Cookie'][0])
        assert a == {'path': '/app', 'httponly': '', 'samesite': 'Strict',
                     'secure': ''}
    support.run(main())


def test_max_age_puts_an_expiry_in_the_token():
    async def main():
        c = TestClient(make_app(cookie_options={'max_age': 600}))
        res = await c.get('/set/a/b')
        token, a = attrs(res.headers['Set-Cookie'][0])
        assert a['max-age'] == '600'
        claims = jwt.decode(token, KEY)
        assert claims['a'] == 'b' and isinstance(claims['exp'], int)
        # the expiry is not part of the session data the app sees
        assert (await c.get('/show')).json['session'] == {'a': 'b'}
    support.run(main())


def refused(token):
    async def main():
        c = TestClient(make_app(), cookies={'session': token})
        res = await c.get('/show')
        assert res.status_code == 200, token
        assert res.json['session'] == {}, token
        assert 'Set-Cookie' not in res.headers
    support.run(main())


def _b64json(text):
    return b64url_encode(text)


def test_refused_cookies_are_an_empty_session():
    good = jwt.encode({'user': 'alice'}, KEY)
    head, body, sig = good.split('.')
    forged_body = _b64json('{"user":"admin"}')
    refused(head + '.' + forged_body + '.' + sig)            # tampered data
    refused(head + '.' + body + '.' + sig[:-2] + 'AA')       # tampered sig
    refused(jwt.encode({'user': 'alice'}, 'another-32-byte-secret-for-tests'))
    refused(_b64json('{"alg":"none","typ":"JWT"}') + '.' + body + '.')
    refused(_b64json('{"alg":"none"}') + '.' + body + '.' + sig)
    refused(jwt.encode({'user': 'alice', 'exp': 1000}, KEY))  # expired
    for junk in ('', 'x', 'a.b.c', '...', good + 'x', '%%%.%%%.%%%',
                 _b64json('[]') + '.' + _b64json('[]') + '.' + sig,
                 _b64json('{"alg":"HS256"}') + '.' + _b64json('"s"') +
                 '.' + sig):
        refused(junk)


def test_missing_secret_key_is_a_server_error():
    async def main():
        app = Microdot()
        Session(app)

        @app.route('/')
        @with_session
        def index(req, session):
            return 'never'
        res = await TestClient(app).get('/')
        assert res.status_code == 500
    support.run(main())


def test_initialize_later_and_direct_api():
    async def main():
        app = Microdot()
        session = Session(cookie_options={'http_only': False})
        session.initialize(app, secret_key=KEY)

        @app.route('/')
        def index(req):
            s = session.get(req)
            assert isinstance(s, SessionDict) and s is session.get(req)
            session.update(req, {'x': [1, 2]})
            assert s == {'x': [1, 2]}
            return 'ok'

        @app.route('/del')
        def delete(req):
            session.delete(req)
            return 'ok'
        c = TestClient(app)
        res = await c.get('/')
        token, a = attrs(res.headers['Set-Cookie'][0])
        assert 'httponly' not in a and a['samesite'] == 'Lax'
        assert session.decode(token) == {'x': [1, 2]}
        assert session.decode(session.encode({'y': 1})) == {'y': 1}
        assert session.decode('garbage') == {}
        res = await c.get('/del')
        assert attrs(res.headers['Set-Cookie'][0])[1]['max-age'] == '0'
    support.run(main())


def test_session_of_a_mounted_subapp():
    async def main():
        sub = Microdot()
        Session(sub, secret_key=KEY)

        @sub.route('/count')
        @with_session
        def count(req, session):
            session['n'] = session.get('n', 0) + 1
            session.save()
            return str(session['n'])
        app = Microdot()
        app.mount(sub, '/sub')
        c = TestClient(app)
        assert (await c.get('/sub/count')).text == '1'
        assert (await c.get('/sub/count')).text == '2'
    support.run(main())


def test_last_of_save_and_delete_wins():
    async def main():
        app = Microdot()
        Session(app, secret_key=KEY)

        @app.route('/')
        @with_session
        def index(req, session):
            session['a'] = 1
            session.save()
            session.delete()
            session['b'] = 2
            session.save()
            return Response('ok', headers={'Vary': 'Accept'})
        res = await TestClient(app).get('/')
        token = attrs(res.headers['Set-Cookie'][0])[0]
        assert jwt.decode(token, KEY) == {'b': 2}
        assert res.headers['Vary'] == 'Accept, Cookie'
    support.run(main())
