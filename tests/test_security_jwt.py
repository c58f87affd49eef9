"""The JWT attacks of myjwt (a JWT pentesting tool) thrown at the session
and "remember me" cookies of a real server under CPython and MicroPython:
alg none in any case, RS256 and RS/HS key confusion (HS256 signed with the
public key), kid injection, signature stripping and tampering, other HS
algorithms, expired and not-yet-valid tokens, and a wordlist brute force of
the secret. Every forged cookie is an anonymous visitor; only a token
signed with the app's own secret logs in (the control that shows the
tokens reach the check). Refusals at the token level, with PyJWT as the
reference, are in tests/test_jwt*.py and tests/test_session_pyjwt.py."""
RUNTIMES = ('cpython',)  # drives subprocess servers and myjwt

import glob  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import jwt as pyjwt  # noqa: E402
import requests  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from myjwt.modify_jwt import add_header, add_payload, change_alg, \
    signature  # noqa: E402
from myjwt.utils import encode_jwt, jwt_to_json  # noqa: E402
from myjwt.vulnerabilities import bruteforce_wordlist, \
    confusion_rsa_hmac, inject_sql_kid, none_vulnerability  # noqa: E402

from e2e_helpers import ROOT, T  # noqa: E402
from security_helpers import SECRET, each_runtime  # noqa: E402

ADMIN = {'_user_id': 'admin', '_fresh': True}
WEAK = ('secret', 'Secret', 'password', 'changeme', 'change-me', 'key',
        'jwt', 'jwt-secret', 'microdot', 'session', 'development', 'dev',
        'test', 'admin', '123456', 'secret_key', 'SECRET_KEY', 'top-secret',
        'your-256-bit-secret', 'mysecret', 'supersecret', '')


def wordlist_file():
    """Common weak secrets and every example secret in the docs and the
    board examples (an app that copies one is an app with a known key)."""
    words = set(WEAK)
    for pattern in ('README.md', 'docs/*.md', 'board_examples/*/*.py'):
        for path in glob.glob(os.path.join(ROOT, pattern)):
            with open(path) as f:
                words.update(re.findall(
                    r"(?:secret_key|SECRET|secret)\s*=\s*'([^']+)'",
                    f.read()))
    fd, path = tempfile.mkstemp(suffix='.txt')
    with os.fdopen(fd, 'w') as f:
        f.write('\n'.join(sorted(words)) + '\n')
    return path, words


def session_cookie(base, http):
    """Log in as alice; the session token the server set."""
    res = http.post(base + '/login', timeout=T, allow_redirects=False)
    assert res.status_code == 302
    return res.cookies['session']


def who(base, name, token):
    """What the app says about a visitor sending cookie ``name``."""
    res = requests.get(base + '/me', cookies={name: token}, timeout=T,
                       allow_redirects=False)
    return res.text if res.status_code == 200 else res.status_code


def forged(token):
    """Attack tokens built by myjwt from a real session ``token``."""
    out = {'none': none_vulnerability(signature(
        add_payload(jwt_to_json(token), ADMIN), SECRET))}
    for alg in ('None', 'NONE', 'nOnE'):
        out['alg ' + alg] = encode_jwt(change_alg(add_payload(
            jwt_to_json(token), ADMIN), alg)) + '.'
    parts = token.split('.')
    tampered = encode_jwt(add_payload(jwt_to_json(token), ADMIN))
    out['stripped'] = tampered + '.'
    out['old signature'] = tampered + '.' + parts[2]
    out['stripped original'] = parts[0] + '.' + parts[1] + '.'
    out['two segments'] = tampered
    for alg in ('HS384', 'HS512'):  # the right key, another algorithm
        out[alg] = signature(change_alg(add_payload(
            jwt_to_json(token), ADMIN), alg), SECRET)
    admin = signature(add_payload(jwt_to_json(token), ADMIN), SECRET)
    out['kid path'] = inject_sql_kid(admin, '../../../../../../dev/null')
    out['kid sql'] = signature(add_header(jwt_to_json(admin), {
        'kid': "x' UNION SELECT 'key'--"}), 'key')
    out['kid empty key'] = inject_sql_kid(admin, '')
    now = int(time.time())
    for claims in ({'exp': now - 10}, {'exp': now - 100000},
                   {'exp': str(now + 3600)}, {'nbf': now + 3600},
                   {'exp': True}):
        out['claims %r' % claims] = signature(add_payload(
            jwt_to_json(admin), claims), SECRET)
    return out, admin


def rsa_tokens(directory):
    """An RS256 token (with a jku header naming an attacker's key set) and
    myjwt's RS/HS confusion of it: HS256 signed with the public key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo)
    path = os.path.join(directory, 'public.pem')
    with open(path, 'wb') as f:
        f.write(public)
    rs256 = pyjwt.encode(ADMIN, key, algorithm='RS256',
                         headers={'jku': 'http://evil.example/jwks.json'})
    return {'RS256': rs256, 'RS/HS confusion': confusion_rsa_hmac(
        rs256, path)}


def test_myjwt_attack_tokens_are_anonymous_visitors():
    def check(port, root):
        base = 'http://127.0.0.1:%d' % port
        with requests.Session() as http:
            token = session_cookie(base, http)
            assert http.get(base + '/me', timeout=T).text == 'user alice'
        out, admin = forged(token)
        with tempfile.TemporaryDirectory() as directory:
            out.update(rsa_tokens(directory))
        assert who(base, 'session', admin) == 'user admin'  # the control
        for name, attack in sorted(out.items()):
            for cookie in ('session', '_remember'):
                assert who(base, cookie, attack) == 302, (name, cookie)
            res = requests.get(base + '/data', timeout=T,
                               cookies={'session': attack})
            assert res.json() == {}, (name, res.text)
        # a session token is no "remember me" token (a key of its own)
        assert who(base, '_remember', admin) == 302
    each_runtime(check)


def test_brute_force_finds_no_random_secret_but_any_example_secret():
    path, words = wordlist_file()
    try:
        assert 'change-me: 32 random bytes or more' in words  # docs
        assert SECRET not in words
        cracked = []

        def check(port, root):
            base = 'http://127.0.0.1:%d' % port
            with requests.Session() as http:
                cracked.append(bruteforce_wordlist(
                    session_cookie(base, http), path))
        each_runtime(check)
        assert cracked == ['', '']
        # an app that kept the secret of the docs: myjwt finds it, and
        # then any token it signs is accepted; hence SECURITY.md
        weak = 'change-me: 32 random bytes or more'

        def check_weak(port, root):
            base = 'http://127.0.0.1:%d' % port
            with requests.Session() as http:
                token = session_cookie(base, http)
            key = bruteforce_wordlist(token, path)
            assert key == weak
            admin = signature(add_payload(jwt_to_json(token), ADMIN), key)
            assert who(base, 'session', admin) == 'user admin'
        each_runtime(check_weak, secret=weak)
    finally:
        os.unlink(path)
