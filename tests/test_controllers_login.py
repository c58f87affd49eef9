"""Controllers with the real session and login extensions: a login form
with a CSRF token, auth='user' pages and JSON-RPC methods before and after
logging in, the public user, logging out. Through the TestClient."""
from microdot import Microdot
from microdot.controllers import Controller, ControllerConfig, route, \
    request
from microdot.login import Login
from microdot.session import Session
from microdot.test_client import TestClient
import support

FORM = {'Content-Type': 'application/x-www-form-urlencoded'}


class User:
    def __init__(self, id, name):
        self.id = id
        self.name = name


USERS = {1: User(1, 'ann'), 2: User(2, 'bob')}
login = Login(login_url='/login')


@login.user_loader
async def load_user(user_id):
    return USERS.get(user_id)


class Account(Controller):
    @route('/login', auth='public', methods=['GET', 'POST'])
    async def login_page(self, id=None, next=None):
        if request.method == 'GET':
            return '<form><input name="csrf_token" value="%s"></form>' % \
                request.csrf_token()
        user = USERS.get(int(id))
        if user is None:
            return 'no such user', 401
        return await login.login_user(request, user, redirect_url='/home')

    @route('/logout', auth='user', methods=['POST'])
    async def logout(self):
        await login.logout_user(request)
        return request.make_response('bye')

    @route('/home')
    def home(self):
        return 'hello ' + request.user.name

    @route('/hello', auth='public')
    def hello(self):
        return 'hello ' + str(request.user.name)

    @route('/rpc/whoami', type='json')
    def whoami(self):
        return request.user.name


app = Microdot()
Session(app, secret_key='login-controller-test-secret-0123456789abcdef')
ControllerConfig(app, login=login)
app.register(Account)


def _token(html):
    return html.split('value="')[1].split('"')[0]


def test_login_flow():
    async def main():
        c = TestClient(app)
        res = await c.get('/home')
        assert (res.status_code, res.headers['Location']) == \
            (302, '/login?next=%2Fhome')
        res = await c.get('/hello')
        assert res.text == 'hello public'
        res = await c.post('/rpc/whoami', body={
            'jsonrpc': '2.0', 'method': 'whoami', 'id': 1})
        assert res.json['error']['code'] == 100
        token = _token((await c.get('/login')).text)
        # logging in is a POST: it needs the token
        res = await c.post('/login?next=%2Fhello', headers=FORM, body='id=2')
        assert res.status_code == 403
        res = await c.post('/login?next=%2Fhello', headers=FORM,
                           body='id=2&csrf_token=' + token)
        assert (res.status_code, res.headers['Location']) == (302, '/hello')
        res = await c.get('/home')
        assert res.text == 'hello bob'
        res = await c.get('/hello')
        assert res.text == 'hello bob'
        res = await c.post('/rpc/whoami', body={
            'jsonrpc': '2.0', 'method': 'whoami', 'id': 1})
        assert res.json['result'] == 'bob'
        # the token outlives the login (the session keeps its CSRF id)
        res = await c.post('/logout', headers={'X-CSRF-Token': token})
        assert res.text == 'bye'
        res = await c.get('/home')
        assert res.status_code == 302
    support.run(main())


def test_another_client_is_not_logged_in():
    async def main():
        ann = TestClient(app)
        token = _token((await ann.get('/login')).text)
        res = await ann.post('/login', headers=FORM,
                             body='id=1&csrf_token=' + token)
        assert res.headers['Location'] == '/home'
        assert (await ann.get('/home')).text == 'hello ann'
        other = TestClient(app)
        assert (await other.get('/home')).status_code == 302
        assert (await other.get('/hello')).text == 'hello public'
    support.run(main())
