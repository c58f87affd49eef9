"""Cross-checks of microdot.jwt against PyJWT, an independent implementation.

CPython only: PyJWT does not run on MicroPython.
"""
RUNTIMES = ('cpython',)

import time  # noqa: E402
import warnings  # noqa: E402

import jwt as pyjwt  # noqa: E402

from microdot import jwt  # noqa: E402
from microdot.hmac import b64url_encode  # noqa: E402
from support import raises  # noqa: E402

KEY = 'a-32-byte-long-secret-for-tests!'
OTHER_KEY = 'another-32-byte-secret-for-test!'

PAYLOADS = (
    {},
    {'sub': 'alice'},
    {'sub': 'alice', 'admin': True, 'roles': ['a', 'b'], 'n': None},
    {'name': 'Jos\u00e9 \u2603', 'nested': {'z': 1, 'a': [1.5, -2]}},
    {'iss': 'me', 'aud': 'api', 'iat': 1700000000, 'exp': 4102444800},
)


def pyjwt_decode(token, key=KEY, **kwargs):
    return pyjwt.decode(token, key, algorithms=['HS256'], **kwargs)


def test_tokens_are_byte_for_byte_those_of_pyjwt():
    for payload in PAYLOADS:
        assert jwt.encode(payload, KEY) == pyjwt.encode(payload, KEY)
    for headers in ({'kid': 'k1'}, {'typ': None}, {'cty': 'x', 'kid': '2'}):
        assert jwt.encode({'sub': 'a'}, KEY, headers=dict(headers)) == \
            pyjwt.encode({'sub': 'a'}, KEY, headers=dict(headers))


def test_our_tokens_verify_with_pyjwt():
    for payload in PAYLOADS:
        token = jwt.encode(payload, KEY)
        kwargs = {'audience': 'api'} if 'aud' in payload else {}
        assert pyjwt_decode(token, **kwargs) == payload
        raises(pyjwt.InvalidSignatureError, pyjwt_decode, token, OTHER_KEY,
               **kwargs)


def test_pyjwt_tokens_verify_here():
    for payload in PAYLOADS:
        token = pyjwt.encode(payload, KEY)
        kwargs = {'audience': 'api'} if 'aud' in payload else {}
        assert jwt.decode(token, KEY, **kwargs) == payload
        assert jwt.decode(token.encode(), KEY, **kwargs) == payload


def test_bytes_keys_agree():
    key = bytes(range(40))
    token = pyjwt.encode({'sub': 'a'}, key)
    assert jwt.encode({'sub': 'a'}, key) == token
    assert jwt.decode(token, key) == {'sub': 'a'}


def test_pyjwt_token_with_alg_none_is_refused():
    token = pyjwt.encode({'sub': 'admin'}, None, algorithm='none')
    assert token.endswith('.')
    raises(jwt.InvalidAlgorithmError, jwt.decode, token, KEY)
    raises(jwt.InvalidAlgorithmError, jwt.decode, token, KEY,
           algorithms=['HS256', 'none'])


def test_pyjwt_token_signed_with_another_key_is_refused():
    token = pyjwt.encode({'sub': 'admin'}, OTHER_KEY)
    raises(jwt.InvalidSignatureError, jwt.decode, token, KEY)


def test_pyjwt_token_with_another_algorithm_is_refused():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # short-key warnings
        for alg in ('HS384', 'HS512'):
            token = pyjwt.encode({'sub': 'a'}, KEY + KEY, algorithm=alg)
            raises(jwt.InvalidAlgorithmError, jwt.decode, token, KEY + KEY)
            raises(jwt.InvalidAlgorithmError, jwt.decode, token, KEY + KEY,
                   algorithms=[alg])


def test_expiry_agrees_with_pyjwt():
    now = int(time.time())
    expired = pyjwt.encode({'exp': now - 10}, KEY)
    raises(pyjwt.ExpiredSignatureError, pyjwt_decode, expired)
    raises(jwt.ExpiredSignatureError, jwt.decode, expired, KEY)
    assert jwt.decode(expired, KEY, leeway=60) == pyjwt_decode(expired,
                                                               leeway=60)
    early = pyjwt.encode({'nbf': now + 60}, KEY)
    raises(pyjwt.ImmatureSignatureError, pyjwt_decode, early)
    raises(jwt.ImmatureSignatureError, jwt.decode, early, KEY)


def test_audience_and_issuer_agree_with_pyjwt():
    token = jwt.encode({'aud': ['web', 'api'], 'iss': 'me'}, KEY)
    for kwargs in ({'audience': 'api'}, {'audience': ['cli', 'web']},
                   {'audience': 'api', 'issuer': 'me'}):
        assert jwt.decode(token, KEY, **kwargs) == pyjwt_decode(token,
                                                                **kwargs)
    for kwargs in ({}, {'audience': 'cli'},
                   {'audience': 'api', 'issuer': 'you'}):
        raises(pyjwt.InvalidTokenError, pyjwt_decode, token, **kwargs)
        raises(jwt.InvalidTokenError, jwt.decode, token, KEY, **kwargs)


def test_header_tampered_to_none_is_refused_by_both():
    token = pyjwt.encode({'sub': 'a'}, KEY)
    _, body, sig = token.split('.')
    forged = b64url_encode('{"alg":"none","typ":"JWT"}') + '.' + body + '.' + sig
    raises(pyjwt.InvalidTokenError, pyjwt_decode, forged)
    raises(jwt.InvalidAlgorithmError, jwt.decode, forged, KEY)
