"""microdot.auth through the TestClient: BasicAuth and TokenAuth, sync and
async callbacks, optional auth, custom errors, and malformed credentials
answered with 401 (never 500)."""
from binascii import b2a_base64

from microdot import Microdot
from microdot.auth import BasicAuth, TokenAuth
from microdot.test_client import TestClient
import support


def basic(user_pass):
    if isinstance(user_pass, str):
        user_pass = user_pass.encode()
    return {'Authorization': 'Basic ' +
            b2a_base64(user_pass).decode().strip()}


def make_app():
    app = Microdot()
    auth = BasicAuth()
    seen = []

    @auth.authenticate
    def check(req, username, password):  # a plain def
        seen.append((username, password))
        if password == 'pw':
            return {'name': username}
        return False if password == 'false' else None

    @app.route('/basic')
    @auth
    def protected(req):
        return 'hi ' + req.g.current_user['name']

    @app.route('/maybe')
    @auth.optional
    async def maybe(req):
        user = req.g.current_user
        return 'anonymous' if user is None else user['name']

    @app.route('/item/<int:id>', methods=['GET', 'PUT'])
    @auth
    async def item(req, id):
        return {'id': id, 'method': req.method}
    return app, seen


def get(app, path, headers=None, method='GET'):
    return support.run(TestClient(app).request(method, path,
                                               headers=headers))


def test_basic_accepts_good_credentials():
    app, seen = make_app()
    res = get(app, '/basic', basic('alice:pw'))
    assert res.status_code == 200 and res.text == 'hi alice'
    assert seen == [('alice', 'pw')]
    # the password may hold colons; the user name and password UTF-8
    res = get(app, '/basic', basic('Jos\u00e9:pw'))
    assert res.text == 'hi Jos\u00e9'
    get(app, '/basic', basic('bob:p:w'))
    assert seen[-1] == ('bob', 'p:w')
    # the scheme is not case sensitive (RFC 9110 11.1)
    h = basic('alice:pw')
    h['Authorization'] = 'basic' + h['Authorization'][5:]
    assert get(app, '/basic', h).status_code == 200


def test_basic_refusal_asks_for_credentials():
    app, seen = make_app()
    for headers in (None, basic('alice:bad'), basic('alice:false')):
        res = get(app, '/basic', headers)
        assert res.status_code == 401
        assert res.headers['WWW-Authenticate'] == \
            'Basic realm="Please login", charset="UTF-8"'
    assert seen == [('alice', 'bad'), ('alice', 'false')]


def test_malformed_basic_credentials_are_401_not_500():
    app, seen = make_app()
    for value in ('Basic', 'Basic ', 'Basic !!!!', 'Basic YWxpY2U',
                  'Basic YWxpY2U=', 'Basic ' + 'A' * 5, 'Basic \u00e9\u00e9',
                  'Bearer abc', 'Basic' + basic('alice:pw')['Authorization'],
                  basic(b'\xff\xfe:pw')['Authorization'],
                  basic('no-colon')['Authorization'], ' ', 'x' * 1000):
        res = get(app, '/basic', {'Authorization': value})
        assert res.status_code == 401, value
    assert seen == []


def test_optional_auth():
    app, _ = make_app()
    assert get(app, '/maybe').text == 'anonymous'
    assert get(app, '/maybe', basic('x:bad')).text == 'anonymous'
    assert get(app, '/maybe', {'Authorization': 'Basic %%'}).text == \
        'anonymous'
    assert get(app, '/maybe', basic('carol:pw')).text == 'carol'


def test_url_arguments_reach_the_handler():
    app, _ = make_app()
    res = get(app, '/item/7', basic('a:pw'), method='PUT')
    assert res.json == {'id': 7, 'method': 'PUT'}
    assert get(app, '/item/7').status_code == 401


def test_basic_realm_and_status():
    app = Microdot()
    auth = BasicAuth(realm='My "device"', error_status=403)

    @auth.authenticate
    async def check(req, username, password):
        return None

    @app.route('/')
    @auth
    def index(req):
        return 'never'
    res = get(app, '/', basic('a:b'))
    assert res.status_code == 403
    assert res.headers['WWW-Authenticate'] == \
        'Basic realm="My \'device\'", charset="UTF-8"'


def token_app(**kwargs):
    app = Microdot()
    auth = TokenAuth(**kwargs)

    @auth.authenticate
    async def check(req, token):
        return {'token': token} if token == 'good' else None

    @app.route('/')
    @auth
    def index(req):
        return req.g.current_user['token']
    return app, auth


def test_token_auth_bearer():
    app, _ = token_app()
    assert get(app, '/', {'Authorization': 'Bearer good'}).text == 'good'
    assert get(app, '/', {'Authorization': 'bearer  good '}).text == 'good'
    for value in (None, 'Bearer bad', 'good', 'Bearer', 'Bearer ',
                  'Basic good', 'Bearergood', '\u00e9'):
        h = None if value is None else {'Authorization': value}
        res = get(app, '/', h)
        assert res.status_code == 401, value
        assert res.text == 'Unauthorized'


def test_token_auth_custom_header_and_scheme():
    app, _ = token_app(header='X-API-Key', scheme=None)
    assert get(app, '/', {'X-API-Key': 'good'}).text == 'good'
    assert get(app, '/', {'X-API-Key': 'Bearer good'}).status_code == 401
    assert get(app, '/', {'Authorization': 'Bearer good'}).status_code == 401
    app, _ = token_app(header='X-Auth', scheme='Token')
    assert get(app, '/', {'X-Auth': 'Token good'}).text == 'good'
    assert get(app, '/', {'X-Auth': 'good'}).status_code == 401


def test_custom_error_response():
    app, auth = token_app(error_status=403)
    assert get(app, '/').status_code == 403

    @auth.errorhandler
    def error(req):
        return {'error': 'token required', 'path': req.path}, 418
    res = get(app, '/')
    assert res.status_code == 418
    assert res.json == {'error': 'token required', 'path': '/'}

    basic_app = Microdot()
    auth = BasicAuth()

    @auth.error  # an alias of errorhandler
    async def basic_error(req):
        return 'go away', 401, {'X-Reason': 'auth'}

    @basic_app.route('/')
    @auth
    def index(req):
        return 'never'  # no authenticate callback: everything is refused
    res = get(basic_app, '/', basic('a:b'))
    assert res.status_code == 401 and res.text == 'go away'
    assert res.headers['X-Reason'] == 'auth'
    assert 'WWW-Authenticate' not in res.headers


def test_error_handler_of_the_app_applies_to_token_auth():
    app, _ = token_app()

    @app.errorhandler(401)
    def unauthorized(req):
        return {'error': 'unauthorized'}, 401
    res = get(app, '/')
    assert res.status_code == 401 and res.json == {'error': 'unauthorized'}
