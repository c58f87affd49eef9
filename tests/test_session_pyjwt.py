"""Session cookies cross-checked with PyJWT, an independent implementation:
our cookies verify with PyJWT, PyJWT's tokens are accepted as sessions, and
the tokens PyJWT would refuse are refused here too.

CPython only: PyJWT does not run on MicroPython.
"""
RUNTIMES = ('cpython',)

import time  # noqa: E402

import jwt as pyjwt  # noqa: E402

from microdot.test_client import TestClient  # noqa: E402
from test_session import KEY, make_app  # noqa: E402
import support  # noqa: E402

OTHER = 'another-32-byte-secret-for-test!'


def session_of(token):
    async def main():
        c = TestClient(make_app(), cookies={'session': token})
        res = await c.get('/show')
        assert res.status_code == 200
        return res.json['session']
    return support.run(main())


def test_our_cookies_verify_with_pyjwt():
    data = {'user': 'Jos\u00e9', 'roles': ['a', 'b'], 'n': 3, 'ok': True}

    async def main():
        c = TestClient(make_app(cookie_options={'max_age': 60}))
        res = await c.post('/save', body=data)
        assert res.status_code == 200
        return c.cookies['session']
    token = support.run(main())
    claims = pyjwt.decode(token, KEY, algorithms=['HS256'])
    assert claims.pop('exp') - time.time() <= 60
    assert claims == data
    assert pyjwt.get_unverified_header(token) == {'alg': 'HS256',
                                                  'typ': 'JWT'}


def test_pyjwt_tokens_are_sessions():
    payload = {'user': 'alice', 'cart': [1, 2]}
    assert session_of(pyjwt.encode(payload, KEY, algorithm='HS256')) == \
        payload
    payload['exp'] = int(time.time()) + 60
    assert session_of(pyjwt.encode(payload, KEY)) == \
        {'user': 'alice', 'cart': [1, 2]}


def test_tokens_pyjwt_refuses_are_refused():
    expired = pyjwt.encode({'u': 1, 'exp': int(time.time()) - 10}, KEY)
    other_key = pyjwt.encode({'u': 1}, OTHER)
    unsigned = pyjwt.encode({'u': 1}, None, algorithm='none')
    good = pyjwt.encode({'u': 'alice'}, KEY)
    head, _, sig = good.split('.')
    tampered = head + '.' + pyjwt.encode({'u': 'admin'}, KEY).split('.')[1] \
        + '.' + sig
    for token in (expired, other_key, unsigned, tampered):
        try:
            pyjwt.decode(token, KEY, algorithms=['HS256'])
        except pyjwt.InvalidTokenError:
            pass
        else:
            raise AssertionError('PyJWT accepted ' + token)
        assert session_of(token) == {}
