"""Signed calls: ActionSignatureGuard (raw body bytes, window, constant-time
check before the nonce is recorded, replays), the bounded nonce ring, a
pluggable async store, and microdot.action_signing's call_action against a
real server on the same runtime (a device calling a device)."""
import json

from microdot import Microdot
from microdot.actions import ActionError, ActionsModule, ActionsOption, \
    action
from microdot.action_guards import ActionSignatureGuard, MemoryNonceStore
from microdot.action_signing import ActionCallError, call_action, \
    call_body, sign, signature, unix_time
from microdot.hmac import hexdigest_sha256
from microdot.test_client import TestClient
import server_helpers
import support

SECRET = 'device-secret-of-32-bytes-or-so!'


class Relay:
    on = False

    @action(params=['on: bool'], returns='bool')
    def set(self, on):
        Relay.on = on
        return on


def make_app(store=None, max_skew=300):
    app = Microdot()
    module = ActionsModule.for_root(ActionsOption(guards=[
        ActionSignatureGuard(SECRET, max_skew=max_skew, nonce_store=store)]))
    module.register(Relay)
    module.install(app)
    return app


def send(client, body, headers):
    h = {'Content-Type': 'application/json'}
    h.update(headers)
    return support.run(client.post('/_actions', headers=h, body=body))


def refused(res, why):
    assert res.status_code == 403, (res.status_code, res.text)
    assert res.json['error'] == {'type': 'Forbidden', 'message': why}, \
        res.json


def test_the_signature_is_the_documented_hmac():
    body = b'{"action": "Relay.set"}'
    assert signature(SECRET, '1700000000', 'abc', body) == \
        hexdigest_sha256(SECRET, b'1700000000.abc.' + body)
    headers = sign(SECRET, body, timestamp=1700000000, nonce='n1')
    assert headers == {'X-Action-Timestamp': '1700000000',
                       'X-Action-Nonce': 'n1',
                       'X-Action-Signature': signature(
                           SECRET, 1700000000, 'n1', body)}
    a, b = sign(SECRET, body), sign(SECRET, body)
    assert a['X-Action-Nonce'] != b['X-Action-Nonce']
    assert abs(int(a['X-Action-Timestamp']) - unix_time()) <= 2
    assert json.loads(call_body('A.b', (1,), {'x': 2})) == {
        'action': 'A.b', 'args': [1], 'kwargs': {'x': 2}}


def test_signed_calls_and_refusals():
    client = TestClient(make_app())
    # raw bytes, as sent: odd spacing that a re-serialisation would change
    body = b'{ "action" :"Relay.set",  "args": [true] }'
    headers = sign(SECRET, body)
    res = send(client, body, headers)
    assert res.json == {'ok': True, 'data': True}
    refused(send(client, body, headers), 'replayed call (nonce already used)')
    refused(send(client, body, {}), 'the call is not signed')
    del headers['X-Action-Signature']
    refused(send(client, body, headers), 'the call is not signed')
    compact = b'{"action": "Relay.set", "args": [true]}'
    refused(send(client, compact, sign(SECRET, body)), 'bad signature')
    refused(send(client, body, sign('another-secret', body)), 'bad signature')
    forged = sign(SECRET, body)
    sig = forged['X-Action-Signature']
    forged['X-Action-Signature'] = ('0' if sig[0] != '0' else '1') + sig[1:]
    refused(send(client, body, forged), 'bad signature')
    upper = sign(SECRET, body)
    upper['X-Action-Signature'] = upper['X-Action-Signature'].upper()
    assert send(client, body, upper).status_code == 200
    for skew in (-301, 301, -100000):
        refused(send(client, body, sign(SECRET, body, unix_time() + skew)),
                'the timestamp is outside the accepted window')
    assert send(client, body, sign(SECRET, body, unix_time() - 250)) \
        .status_code == 200
    for ts, nonce in (('17e8', 'n'), ('-1', 'n'), ('1 2', 'n'), ('1.5', 'n'),
                      (str(unix_time()), 'x' * 65),
                      (str(unix_time()), 'a b'), (str(unix_time()), 'a/b'),
                      ('9' * 13, 'n')):
        headers = {'X-Action-Timestamp': ts, 'X-Action-Nonce': nonce,
                   'X-Action-Signature': signature(SECRET, ts, nonce, body)}
        refused(send(client, body, headers), 'malformed signature headers')


def test_a_forged_call_does_not_record_its_nonce():
    store = MemoryNonceStore(4)
    client = TestClient(make_app(store))
    body = call_body('Relay.set', [False])
    good = sign(SECRET, body, nonce='chosen-nonce')
    forged = dict(good)
    forged['X-Action-Signature'] = sign('wrong', body, nonce='chosen-nonce')[
        'X-Action-Signature']
    for _ in range(10):  # forged calls neither fill the store nor burn it
        refused(send(client, body, forged), 'bad signature')
    assert 'chosen-nonce' not in store.nonces
    assert send(client, body, good).json == {'ok': True, 'data': False}
    assert store.nonces.count('chosen-nonce') == 1


def test_memory_nonce_store_is_a_bounded_ring():
    store = MemoryNonceStore(3)
    now = unix_time()
    assert len(store.nonces) == 3
    assert store.add('a', now + 100) and store.add('b', now + 100)
    assert not store.add('a', now + 100)
    assert store.add('c', now - 1)  # already expired: its slot is free
    assert store.add('d', now + 100)  # takes c's slot
    assert sorted(store.nonces) == ['a', 'b', 'd']
    # full of live nonces: refused, never evicted (a replay would pass)
    exc = support.raises(ActionError, store.add, 'e', now + 100)
    assert exc.status == 429 and exc.type == 'TooManyRequests'
    assert not store.add('b', now + 100)
    assert len(store.nonces) == 3
    store.expires[1] = now - 1  # 'b' left the window
    assert store.add('b', now + 100)  # a new call may use it again
    assert len(store.nonces) == 3


def test_full_store_answers_429():
    client = TestClient(make_app(MemoryNonceStore(2)))
    body = call_body('Relay.set', [True])
    for _ in range(2):
        assert send(client, body, sign(SECRET, body)).status_code == 200
    res = send(client, body, sign(SECRET, body))
    assert res.status_code == 429 and res.json['error']['type'] == \
        'TooManyRequests'


class AsyncStore:
    def __init__(self):
        self.seen = {}

    async def add(self, nonce, expires):
        if nonce in self.seen:
            return False
        self.seen[nonce] = expires
        return True


def test_pluggable_async_store():
    store = AsyncStore()
    client = TestClient(make_app(store))
    body = call_body('Relay.set', [True])
    headers = sign(SECRET, body)
    assert send(client, body, headers).status_code == 200
    nonce = headers['X-Action-Nonce']
    assert store.seen[nonce] == int(headers['X-Action-Timestamp']) + 300
    refused(send(client, body, headers), 'replayed call (nonce already used)')


def test_guard_needs_a_secret():
    support.raises(ValueError, ActionSignatureGuard, '')
    support.raises(ValueError, ActionSignatureGuard, None)


def test_call_action_against_a_real_server():
    async def client(port):
        url = 'http://127.0.0.1:%d/_actions' % port
        assert await call_action(url, 'Relay.set', [True], secret=SECRET) \
            is True
        assert await call_action(url, 'Relay.set', kwargs={'on': False},
                                 secret=SECRET) is False
        errors = []
        for kwargs in ({'secret': None}, {'secret': 'wrong'}):
            try:
                await call_action(url, 'Relay.set', [True], **kwargs)
            except ActionCallError as exc:
                errors.append((exc.status, exc.type, exc.message))
        try:
            await call_action(url, 'Relay.set', ['yes'], secret=SECRET)
        except ActionCallError as exc:
            errors.append((exc.status, exc.type))
        # a replay of a captured call, byte for byte, on a new connection
        body = call_body('Relay.set', [True])
        headers = sign(SECRET, body)
        raw = ('POST /_actions HTTP/1.1\r\nHost: x\r\nContent-Type: '
               'application/json\r\nConnection: close\r\n'
               'Content-Length: %d\r\n' % len(body))
        for name in headers:
            raw += '%s: %s\r\n' % (name, headers[name])
        raw = raw.encode() + b'\r\n' + body
        first = await server_helpers.get(port, raw)
        second = await server_helpers.get(port, raw)
        return errors, first[0], second[0], json.loads(second[2])
    errors, first, second, answer = server_helpers.serve_app(
        make_app(), client)
    assert errors == [(403, 'Forbidden', 'the call is not signed'),
                      (403, 'Forbidden', 'bad signature'),
                      (400, 'BadRequest')]
    assert (first, second) == (200, 403)
    assert answer['error']['message'] == 'replayed call (nonce already used)'
    assert Relay.on is True
