"""Forged requests against a real server on both runtimes (in-process,
raw connections): RPC actions behind the Origin and CSRF guards refuse a
cross-site or null Origin, a missing token and a token of another session;
controllers refuse a missing token, another session's token and a token in
the URL; signed actions refuse a replay, a tampered body and signature
headers moved to another call. Each attack is paired with the genuine
request it imitates, which passes. (The same guards through the test
client: tests/test_actions_origin_csrf.py, test_actions_signature.py,
test_controllers_csrf.py; csrf.CSRF origin checks on subprocess servers:
test_auth_e2e.py.)"""
import json

from microdot import Microdot
from microdot.actions import ActionsModule, ActionsOption, action, \
    CsrfActionGuard, OriginActionGuard
from microdot.action_guards import ActionSignatureGuard
from microdot.action_signing import call_body, sign
from microdot.controllers import Controller, route, request
from microdot.session import Session
from server_helpers import Conn, serve_app

SECRET = 'csrf-e2e-secret-that-is-32-bytes'
SIGNING = 'device-signing-secret-of-32-byte'
EVIL = 'http://evil.example'


class Demo:
    calls = 0

    @action(params=['n: int'])
    def add(self, n):
        Demo.calls += n
        return Demo.calls


class Forms(Controller):
    @route('/form', auth='none')
    def form(self, **kw):
        return request.csrf_token()

    @route('/save', auth='none', methods=['POST'])
    def save(self, **kw):
        return 'saved'


def make_app():
    app = Microdot()
    Session(app, secret_key=SECRET)
    module = ActionsModule.for_root(ActionsOption(guards=[
        OriginActionGuard(), CsrfActionGuard()]))
    module.register(Demo)
    module.install(app)
    signed = ActionsModule(ActionsOption(path='/_signed', guards=[
        ActionSignatureGuard(SIGNING)]))
    signed.register(Demo)
    signed.install(app)
    app.register(Forms)
    return app


async def call(port, method, path, headers=None, body=b''):
    """(status, cookies set, body) of one request on a new connection."""
    c = await Conn().open(port)
    head = '%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n' \
        'Content-Length: %d\r\n' % (method, path, port, len(body))
    for name in headers or {}:
        head += '%s: %s\r\n' % (name, headers[name])
    await c.send(head.encode() + b'\r\n' + body)
    lines = (await c._until(b'\r\n\r\n')).decode().split('\r\n')
    cookies, length = {}, 0
    for line in lines[1:]:
        name, _, value = line.partition(': ')
        if name.lower() == 'set-cookie':
            cookie = value.split(';')[0].partition('=')
            cookies[cookie[0]] = cookie[2]
        elif name.lower() == 'content-length':
            length = int(value)
    data = await c._take(length)
    await c.close()
    return int(lines[0].split(' ')[1]), cookies, data


def jar(cookies):
    return '; '.join(k + '=' + cookies[k] for k in cookies)


async def visitor(port):
    """A browser that fetched a CSRF token: (token, its cookies)."""
    status, cookies, body = await call(port, 'GET', '/_actions/csrf')
    assert status == 200 and 'session' in cookies
    return json.loads(body)['csrf'], cookies


def test_actions_refuse_forged_calls():
    async def client(port):
        me = 'http://127.0.0.1:%d' % port
        body = b'{"action": "Demo.add", "args": [1]}'
        token, cookies = await visitor(port)
        _, bob = await visitor(port)
        genuine = {'Origin': me, 'X-CSRF-Token': token,
                   'Cookie': jar(cookies), 'Content-Type': 'application/json'}
        attacks = []
        for change in ({'Origin': EVIL}, {'Origin': 'null'},
                       {'Origin': me + '.evil.example'},
                       {'Origin': 'http://127.0.0.1:%d@evil' % port},
                       {'X-CSRF-Token': ''}, {'Cookie': ''},
                       {'Cookie': 'session=' + cookies['session']},
                       {'Cookie': jar(bob)}, {'X-CSRF-Token': token + 'x'},
                       {'Content-Type': 'text/plain'}):
            headers = dict(genuine)
            headers.update(change)
            attacks.append((await call(port, 'POST', '/_actions', headers,
                                       body))[0])
        # another session's cookie with this token and csrf cookie
        headers = dict(genuine)
        headers['Cookie'] = 'session=%s; csrf_token=%s' % (bob['session'],
                                                           token)
        attacks.append((await call(port, 'POST', '/_actions', headers,
                                   body))[0])
        status, _, answer = await call(port, 'POST', '/_actions', genuine,
                                       body)
        return attacks, status, json.loads(answer)
    Demo.calls = 0
    attacks, status, answer = serve_app(make_app(), client)
    assert attacks == [403] * 9 + [415, 403], attacks
    assert status == 200 and answer == {'ok': True, 'data': 1}


def test_controllers_refuse_forged_forms():
    async def client(port):
        _, cookies, token = await call(port, 'GET', '/form')
        _, bob, bob_token = await call(port, 'GET', '/form')
        form = {'Content-Type': 'application/x-www-form-urlencoded',
                'Cookie': jar(cookies)}
        out = []
        for path, headers, body in (
                ('/save', form, b'a=1'),
                ('/save', form, b'csrf_token='),
                ('/save', form, b'csrf_token=' + bob_token),
                ('/save?csrf_token=' + token.decode(), form, b'a=1'),
                ('/save', {'Cookie': jar(bob)}, b'csrf_token=' + token),
                ('/save', form, b'csrf_token=' + token)):
            out.append((await call(port, 'POST', path, headers, body))[0])
        return out
    assert serve_app(make_app(), client) == [403] * 5 + [200]


def test_signed_actions_refuse_replays_and_tampering():
    async def client(port):
        h = {'Content-Type': 'application/json'}
        body = call_body('Demo.add', [1])
        good = dict(h)
        good.update(sign(SIGNING, body))
        out = [(await call(port, 'POST', '/_signed', good, body))[0]]
        out.append((await call(port, 'POST', '/_signed', good, body))[0])
        fresh = dict(h)
        fresh.update(sign(SIGNING, body))
        for tampered in (call_body('Demo.add', [9]),  # same length
                         body.replace(b'1', b'100'), body + b' '):
            out.append((await call(port, 'POST', '/_signed', fresh,
                                   tampered))[0])
        moved = dict(fresh)
        nonce = moved['X-Action-Nonce']
        moved['X-Action-Nonce'] = ('x' if nonce[0] != 'x' else 'y') + \
            nonce[1:]
        out.append((await call(port, 'POST', '/_signed', moved, body))[0])
        moved = dict(fresh)
        moved['X-Action-Timestamp'] = str(int(
            moved['X-Action-Timestamp']) + 1)
        out.append((await call(port, 'POST', '/_signed', moved, body))[0])
        # the signed call on the browser endpoint: no token, no origin
        out.append((await call(port, 'POST', '/_actions', fresh, body))[0])
        # the untouched call still passes: refusals burnt no nonce
        out.append((await call(port, 'POST', '/_signed', fresh, body))[0])
        return out
    Demo.calls = 0
    assert serve_app(make_app(), client) == [200, 403, 403, 403, 403, 403,
                                             403, 403, 200]
    assert Demo.calls == 2
