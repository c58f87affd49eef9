"""microdot.csrf signed tokens: make_token / verify_token on their own, and
in a form round trip through the TestClient with a session."""
from microdot import Microdot
from microdot.csrf import make_token, verify_token
from microdot.hmac import b64url_encode, hmac_sha256, token_hex
from microdot.session import Session, with_session
from microdot.test_client import TestClient
from microdot.urlencoding import urlencode
import support

SECRET = 'a-32-byte-long-secret-for-tests!'


def test_token_round_trip():
    token = make_token(SECRET, 'sid-1')
    assert verify_token(SECRET, 'sid-1', token)
    assert verify_token(SECRET.encode(), 'sid-1', token)  # bytes key
    assert make_token(SECRET, 'sid-1') != token  # a new nonce every time
    nonce, expires, signature = token.split('.')
    assert len(nonce) == 16 and expires.isdigit() and len(signature) == 43
    for c in token:  # safe in a URL, a form field and a header
        assert c.isalpha() or c.isdigit() or c in '-_.', token
    assert verify_token(SECRET, '', make_token(SECRET))


def test_token_is_the_documented_hmac():
    token = make_token(SECRET, 'sid')
    nonce, expires, signature = token.split('.')
    expected = hmac_sha256(SECRET, 'csrf|sid|' + nonce + '|' + expires)
    assert signature == b64url_encode(expected)


def test_refused_tokens():
    token = make_token(SECRET, 'sid-1')
    nonce, expires, signature = token.split('.')
    assert not verify_token(SECRET, 'sid-2', token)       # another session
    assert not verify_token('another-32-byte-secret-for-tests', 'sid-1',
                            token)                        # another key
    assert not verify_token(SECRET, 'sid-1', make_token(SECRET, 'sid-1',
                                                        max_age=-1))
    later = str(int(expires) + 3600)                      # moved expiry
    assert not verify_token(SECRET, 'sid-1', '.'.join(
        (nonce, later, signature)))
    flipped = ('A' if signature[0] != 'A' else 'B') + signature[1:]
    assert not verify_token(SECRET, 'sid-1', '.'.join(
        (nonce, expires, flipped)))
    assert not verify_token(SECRET, 'sid-1', '.'.join(
        (nonce + 'x', expires, signature)))
    # an expired token with a good signature
    past = str(int(expires) - 7200)
    sig = b64url_encode(hmac_sha256(SECRET, 'csrf|sid-1|%s|%s' % (nonce,
                                                                  past)))
    assert not verify_token(SECRET, 'sid-1', nonce + '.' + past + '.' + sig)
    for junk in (None, '', '.', '..', 'a.b.c', 'a.b', token + '.x',
                 nonce + '.soon.' + signature, 42, b'a.b.c', ['a', 'b', 'c'],
                 token.encode(), '\u00e9.1.\u00e9'):
        assert not verify_token(SECRET, 'sid-1', junk), junk


def make_app():
    app = Microdot()
    Session(app, secret_key=SECRET)

    def session_id(session):
        if 'sid' not in session:
            session['sid'] = token_hex(16)
            session.save()
        return session['sid']

    @app.get('/form')
    @with_session
    def form(req, session):
        return make_token(SECRET, session_id(session))

    @app.post('/form')
    @with_session
    def submit(req, session):
        token = req.form.get('csrf_token') if req.form else \
            req.headers.get('X-CSRF-Token')
        if not verify_token(SECRET, session.get('sid', ''), token):
            return 'bad token', 403
        return 'saved ' + req.form.get('text', '') if req.form else 'saved'
    return app


def post_form(client, fields, headers=None):
    h = {'Content-Type': 'application/x-www-form-urlencoded'}
    h.update(headers or {})
    body = '&'.join([k + '=' + urlencode(v) for k, v in fields.items()])
    return client.post('/form', headers=h, body=body)


def test_form_round_trip_bound_to_the_session():
    async def main():
        app = make_app()
        alice, mallory = TestClient(app), TestClient(app)
        token = (await alice.get('/form')).text
        res = await post_form(alice, {'csrf_token': token, 'text': 'hi'})
        assert res.status_code == 200 and res.text == 'saved hi'
        res = await alice.post('/form', headers={'X-CSRF-Token': token})
        assert res.text == 'saved'
        # another user's token, or none, is refused
        mallory_token = (await mallory.get('/form')).text
        res = await post_form(alice, {'csrf_token': mallory_token})
        assert res.status_code == 403
        assert (await post_form(alice, {'text': 'x'})).status_code == 403
        res = await post_form(mallory, {'csrf_token': token})
        assert res.status_code == 403
    support.run(main())
