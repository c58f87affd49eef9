"""The app that tests/test_auth_e2e.py runs as a subprocess, under CPython and
under MicroPython: sessions, login with remember-me, Basic auth, CORS and
CSRF together, as a browser would meet them.

    python tests/apps/auth_app.py PORT
    micropython tests/apps/auth_app.py PORT
"""
import sys


# .../tests/apps/auth_app.py -> .../microdot_src (the path is absolute)
sys.path.insert(0, '/'.join(
    (globals().get('__file__') or sys.argv[0]).split('/')[:-3]) +
    '/microdot_src')

from microdot import Microdot  # noqa: E402
from microdot.auth import BasicAuth  # noqa: E402
from microdot.cors import CORS  # noqa: E402
from microdot.csrf import CSRF, make_token, verify_token  # noqa: E402
from microdot.login import Login  # noqa: E402
from microdot.session import Session, with_session  # noqa: E402

SECRET = 'e2e-secret-key-of-32-bytes-long!'
app = Microdot()
Session(app, secret_key=SECRET)
cors = CORS(app, allowed_origins=['http://trusted.example'],
            allow_credentials=True)
csrf = CSRF(app, cors)
login = Login()
basic = BasicAuth(realm='device')


class User:
    def __init__(self, id):
        self.id = id
        self.name = 'user' + id


@login.user_loader
def load_user(user_id):
    return User(user_id)


@basic.authenticate
def check(req, username, password):
    return username if password == 'secret' else None


@app.route('/login', methods=['GET', 'POST'])
@with_session
async def do_login(req, session):
    if req.method == 'GET':
        return make_token(SECRET, session.get('sid', ''))
    form = req.form
    if not verify_token(SECRET, session.get('sid', ''),
                        form.get('csrf_token')):
        return 'bad csrf token', 403
    return await login.login_user(req, User(form.get('id')),
                                  remember=bool(form.get('remember')))


@app.route('/logout', methods=['POST'])
async def do_logout(req):
    await login.logout_user(req)
    return 'bye'


@app.route('/me')
@login
async def me(req):
    return req.g.current_user.name


@app.route('/count', methods=['POST'])
@with_session
async def count(req, session):
    session['n'] = session.get('n', 0) + 1
    session.save()
    return {'n': session['n']}


@app.route('/admin')
@basic
async def admin(req):
    return 'admin ' + req.g.current_user


def main():
    app.run(host='127.0.0.1', port=int(sys.argv[1]))


if __name__ == '__main__':
    main()
