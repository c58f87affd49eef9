"""The app that tests/test_security_*.py run as a subprocess, under CPython
and under MicroPython, and attack with curl, raw sockets, requests and
myjwt: static files under a root, handlers that put request data into
headers, redirects and cookies, and a session with a login.

    python tests/apps/security_app.py PORT STATIC_ROOT SECRET
    micropython tests/apps/security_app.py PORT STATIC_ROOT SECRET
"""
import sys

# .../tests/apps/security_app.py -> .../microdot_src (the path is absolute)
sys.path.insert(0, '/'.join(
    (globals().get('__file__') or sys.argv[0]).split('/')[:-3]) +
    '/microdot_src')

from microdot import Microdot, Response, redirect  # noqa: E402
from microdot.login import Login  # noqa: E402
from microdot.session import Session, with_session  # noqa: E402
from microdot.static import static_files  # noqa: E402

app = Microdot()
login = Login()


@login.user_loader
def load_user(user_id):
    return user_id


@app.route('/redirect')
async def to(req):
    return redirect(req.args.get('to', '/'))


@app.route('/header')
async def header(req):
    return 'ok', {req.args.get('name', 'X-Echo'): req.args.get('v', '')}


@app.route('/cookie')
async def cookie(req):
    res = Response('ok')
    options = {}
    for name in ('path', 'domain', 'same_site'):
        if name in req.args:
            options[name] = req.args[name]
    res.set_cookie(req.args.get('name', 'c'), req.args.get('v', ''),
                   **options)
    return res


@app.route('/login', methods=['GET', 'POST'])
async def do_login(req):
    return await login.login_user(req, {'id': req.args.get('id', 'alice')},
                                  remember=bool(req.args.get('remember')))


@app.route('/me')
@login
async def me(req):
    return 'user ' + req.g.current_user


@app.route('/data')
@with_session
async def data(req, session):
    return dict(session)


def main():
    static_files(app, '/static', sys.argv[2])
    Session(app, secret_key=sys.argv[3])
    app.run(host='127.0.0.1', port=int(sys.argv[1]))


if __name__ == '__main__':
    main()
