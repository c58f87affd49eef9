"""End-to-end: tests/apps/auth_app.py runs as a subprocess under CPython and
MicroPython; a requests.Session (a cookie jar, like a browser's) logs in,
keeps its session, is remembered, and meets Basic auth, CORS and CSRF."""
RUNTIMES = ('cpython',)  # drives subprocess servers

import os  # noqa: E402

import requests  # noqa: E402

from e2e_helpers import ROOT, T, free_port, interpreter, launch  # noqa: E402

APP = os.path.join(ROOT, 'tests', 'apps', 'auth_app.py')


def each_runtime(check):
    for runtime in ('cpython', 'micropython'):
        port = free_port()
        with launch([interpreter(runtime), APP, str(port)], port, runtime):
            with requests.Session() as http:
                try:
                    check('http://127.0.0.1:%d' % port, http)
                except Exception as exc:
                    raise AssertionError('[%s] %s: %s' % (
                        runtime, type(exc).__name__, exc)) from exc


def log_in(base, http, remember=False):
    token = http.get(base + '/login', timeout=T).text
    fields = {'csrf_token': token, 'id': '7'}
    if remember:
        fields['remember'] = '1'
    return http.post(base + '/login?next=%2Fme', data=fields, timeout=T,
                     headers={'Origin': base}, allow_redirects=False)


def test_login_session_and_logout():
    def check(base, http):
        res = http.get(base + '/me', timeout=T, allow_redirects=False)
        assert res.status_code == 302
        assert res.headers['Location'] == '/login?next=%2Fme'
        res = log_in(base, http)
        assert res.status_code == 302 and res.headers['Location'] == '/me'
        cookie = res.headers['Set-Cookie']
        assert 'HttpOnly' in cookie and 'SameSite=Lax' in cookie
        assert http.get(base + '/me', timeout=T).text == 'user7'
        res = http.post(base + '/logout', timeout=T,
                        headers={'Origin': base})
        assert res.text == 'bye'
        res = http.get(base + '/me', timeout=T, allow_redirects=False)
        assert res.status_code == 302
    each_runtime(check)


def test_login_refuses_a_bad_form_token():
    def check(base, http):
        res = http.post(base + '/login', data={'csrf_token': 'x', 'id': '1'},
                        headers={'Origin': base}, timeout=T,
                        allow_redirects=False)
        assert res.status_code == 403
        assert 'session' not in http.cookies
    each_runtime(check)


def test_remember_me_survives_the_session_cookie():
    def check(base, http):
        assert log_in(base, http, remember=True).status_code == 302
        http.cookies.clear(domain='127.0.0.1', path='/', name='session')
        assert 'session' not in http.cookies
        assert http.get(base + '/me', timeout=T).text == 'user7'
        assert 'session' in http.cookies  # the login was restored
    each_runtime(check)


def test_csrf_origin_checks_on_a_plain_http_server():
    def check(base, http):
        url = base + '/count'
        # same origin over plain HTTP (a device on a LAN): allowed
        assert http.post(url, headers={'Origin': base}, timeout=T) \
            .json() == {'n': 1}
        assert http.post(url, headers={'Referer': base + '/page'},
                         timeout=T).json() == {'n': 2}
        assert http.post(url, timeout=T).json() == {'n': 3}  # no browser
        for headers in ({'Origin': 'http://evil.example'},
                        {'Origin': 'null'},
                        {'Referer': 'http://evil.example/x'},
                        {'Sec-Fetch-Site': 'cross-site'},
                        {'Sec-Fetch-Site': 'same-site',
                         'Origin': 'http://x.evil.example'}):
            res = http.post(url, headers=headers, timeout=T)
            assert res.status_code == 403, headers
        # a trusted CORS origin may, and may read the answer
        res = http.post(url, timeout=T, headers={
            'Origin': 'http://trusted.example',
            'Sec-Fetch-Site': 'cross-site'})
        assert res.json() == {'n': 4}
        assert res.headers['Access-Control-Allow-Origin'] == \
            'http://trusted.example'
        assert res.headers['Access-Control-Allow-Credentials'] == 'true'
        assert 'Origin' in res.headers['Vary'] and \
            'Cookie' in res.headers['Vary']
    each_runtime(check)


def test_cors_preflight():
    def check(base, http):
        res = http.options(base + '/count', timeout=T, headers={
            'Origin': 'http://trusted.example',
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type'})
        assert res.status_code == 200
        assert res.headers['Access-Control-Allow-Origin'] == \
            'http://trusted.example'
        assert res.headers['Access-Control-Allow-Methods'] == 'POST'
        assert res.headers['Access-Control-Allow-Headers'] == 'content-type'
        res = http.options(base + '/count', timeout=T, headers={
            'Origin': 'http://evil.example',
            'Access-Control-Request-Method': 'POST'})
        assert 'Access-Control-Allow-Origin' not in res.headers
    each_runtime(check)


def test_forged_session_cookie_is_an_empty_session():
    def check(base, http):
        http.cookies.set('session', 'eyJhbGciOiJub25lIn0.eyJuIjo5OX0.',
                         domain='127.0.0.1', path='/')
        assert http.post(base + '/count', timeout=T).json() == {'n': 1}
    each_runtime(check)


def test_basic_auth():
    def check(base, http):
        url = base + '/admin'
        res = http.get(url, auth=('bob', 'secret'), timeout=T)
        assert res.status_code == 200 and res.text == 'admin bob'
        res = http.get(url, auth=('bob', 'wrong'), timeout=T)
        assert res.status_code == 401
        assert res.headers['WWW-Authenticate'] == \
            'Basic realm="device", charset="UTF-8"'
        for value in ('Basic !!!', 'Basic', 'Digest x', 'Basic ' + 'A' * 999):
            res = http.get(url, headers={'Authorization': value}, timeout=T)
            assert res.status_code == 401, value
    each_runtime(check)
