"""OriginActionGuard and CsrfActionGuard saying yes and no: the request's
own origin, allowed origins, foreign, null and missing origins, Referer;
the CSRF endpoint and cookie, missing, mismatched, forged and expired
tokens, tokens bound to the session."""
from microdot import Microdot
from microdot.actions import ActionsModule, ActionsOption, action, \
    CsrfActionGuard, OriginActionGuard
from microdot.csrf import make_token
from microdot.session import Session
from microdot.test_client import TestClient
import support

SECRET = 'a-32-byte-long-secret-for-tests!'


class Demo:
    @action(params=[])
    def public(self):
        return 'ok'


def make_app(guards, session=False):
    app = Microdot()
    if session:
        Session(app, secret_key=SECRET)
    module = ActionsModule.for_root(ActionsOption(
        guards=guards, csrf_secret=None if session else SECRET))
    module.register(Demo)
    module.install(app)
    return app


def post(client, name, headers=None):
    return support.run(client.post('/_actions', headers=headers, body={
        'action': name}))


def refused(res, type_='Forbidden'):
    assert res.status_code == 403, (res.status_code, res.text)
    assert res.json['ok'] is False and res.json['error']['type'] == type_, \
        res.json
    return res.json['error']['message']


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
