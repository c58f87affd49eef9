"""A login-protected device page (microdot.login on microdot.session): a
login form, pages only a logged-in user sees, logging out. A wrong
password is refused (slowly), the page asked for before logging in comes
back after it (``next``), but never another site.

    python -m microdot run board_examples/login_page/main.py --port 8000
    MICROPYPATH=microdot_src:.frozen micropython -m microdot run \\
        board_examples/login_page/main.py --port 8000

The user is ``admin``, the password ``microdot``: change both, and the
keys, before the board goes on a network (see README.md).

Routes:
    GET  /login      the form (a logged-in user goes on to /)
    POST /login      name, password, remember: then to ?next= or /
    GET  /           the device's page, for a logged-in user
    GET  /settings   another one
    POST /logout     logs out, back to /login
"""
import asyncio
import sys

from microdot import Microdot, Response, redirect
from microdot.csrf import CSRF
from microdot.hmac import compare_digest, hexdigest_sha256
from microdot.login import Login
from microdot.session import Session

# Sessions are signed with this key (32 random bytes or more: keep it out of
# your source tree). Changing it logs everyone out.
SECRET_KEY = 'change-me: 32 random bytes, from a file on the board'
# Passwords are kept as HMAC-SHA256(SALT, password), made with:
#   python3 -c "import hmac, hashlib; print(hmac.new(b'SALT', b'PASSWORD',
#               hashlib.sha256).hexdigest())"
SALT = 'change-me: a salt of your own'
USERS = {'admin': '66a7699289ff8cb6d8c098e995291d82'
                  '402d17d9d6d4647ed7a5a22812fdb6d4'}  # microdot
WRONG_PASSWORD_DELAY_MS = 1000  # slows down guessing

app = Microdot()
Session(app, secret_key=SECRET_KEY)
CSRF(app)  # posts from pages of other sites are refused (403)
login = Login(login_url='/login')


@login.user_loader
def load_user(user_id):
    # the user of a session; None when it no longer exists (logged out)
    return {'id': user_id} if user_id in USERS else None


PAGE = '''<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 24em; margin: 3em auto; padding: 0 1em; }
label, input { display: block; } input:not([type=checkbox]) { width: 100%%; margin-bottom: .8em; }
.error { color: #b00; } nav form { display: inline; }
</style></head><body>
%s
</body></html>
'''
FORM = '''<h1>Log in</h1>%s
<form method="post">
<label>Name <input name="username" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<label><input type="checkbox" name="remember"> Remember me for 30 days</label>
<button>Log in</button>
</form>'''
NAV = '''<nav><a href="/">Home</a> &middot; <a href="/settings">Settings</a> &middot;
<form method="post" action="/logout"><button>Log out %s</button></form></nav>'''


def html(title, body, status=200):
    return Response(PAGE % (title, body), status,
                    {'Content-Type': 'text/html; charset=UTF-8'})


def password_ok(username, password):
    expected = USERS.get(username)
    given = hexdigest_sha256(SALT, password or '')
    return expected is not None and compare_digest(given, expected)


@app.get('/login')
async def login_form(request):
    if await login.get_current_user(request):
        return redirect('/')
    # the form posts to this URL, ?next= included
    return html('Log in', FORM % '')


@app.post('/login')
async def log_in(request):
    form = request.form or {}
    username = form.get('username', '')
    if not password_ok(username, form.get('password')):
        await asyncio.sleep_ms(WRONG_PASSWORD_DELAY_MS)
        return html('Log in', FORM % '<p class="error">Wrong name or '
                    'password.</p>', 401)
    # back to ?next= when it is a page of this site, else to /
    return await login.login_user(request, {'id': username},
                                  remember=bool(form.get('remember')))


@app.post('/logout')
async def log_out(request):
    await login.logout_user(request)
    return redirect('/login')


@app.get('/')
@login
async def home(request):
    user = request.g.current_user['id']
    return html('Device', NAV % user + '<h1>Hello, %s</h1>'
                '<p>Only a logged-in user sees this page.</p>' % user)


@app.get('/settings')
@login
async def settings(request):
    return html('Settings', NAV % request.g.current_user['id'] +
                '<h1>Settings</h1><p>Nothing to set yet.</p>')


# A board runs main.py as __main__; "microdot run" imports this file as the
# module "main", so the guard does not fire there.
if __name__ == '__main__':
    desktop = sys.platform in ('linux', 'darwin', 'win32', 'cygwin')
    app.run(port=8000 if desktop else 80, debug=True)
