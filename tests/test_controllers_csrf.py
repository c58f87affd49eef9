"""Controllers: CSRF tokens on unsafe methods of http routes (form field
or X-CSRF-Token header), accepted, refused, expired, bound to the session,
removed from the form; csrf=False; tokens without a session."""
from microdot import Microdot
from microdot.controllers import Controller, ControllerConfig, route, \
    request
from microdot.session import Session
from microdot.test_client import TestClient
import support

FORM = {'Content-Type': 'application/x-www-form-urlencoded'}
SECRET = 'csrf-test-secret-that-is-long-enough-0123456789'


class Forms(Controller):
    @route('/form', auth='none')
    def form(self, **kw):
        return request.csrf_token()

    @route('/save', auth='none', methods=['POST', 'PUT', 'DELETE'])
    def save(self, **kw):
        fields = sorted(request.form.keys()) if request.form else []
        return {'kw': sorted(kw), 'form': fields}

    @route('/read', auth='none')
    def read(self, **kw):
        return 'read'

    @route('/hook', auth='none', methods=['POST'], csrf=False)
    def hook(self, **kw):
        return 'hooked'


def _app(max_age=None, session=True, secret=None):
    app = Microdot()
    if session:
        Session(app, secret_key=SECRET)
    if max_age is not None or secret is not None:
        ControllerConfig(app, csrf_max_age=3600 if max_age is None
                         else max_age, csrf_secret=secret)
    app.register(Forms)
    return app


async def _token(c):
    res = await c.get('/form')
    assert res.status_code == 200 and res.text.count('.') == 2
    return res.text


def test_token_in_form_accepted_and_removed():
    async def main():
        c = TestClient(_app())
        token = await _token(c)
        assert 'session' in c.cookies  # the token's session id is stored
        res = await c.post('/save', headers=FORM,
                           body='a=1&csrf_token=' + token + '&b=2')
        assert res.status_code == 200
        assert res.json == {'kw': ['a', 'b'], 'form': ['a', 'b']}
        # a token serves several requests until it expires
        res = await c.put('/save', headers=FORM,
                          body='csrf_token=' + token)
        assert res.json == {'kw': [], 'form': []}
        # and a new token of the same session is as good
        token2 = await _token(c)
        assert token2 != token
        res = await c.post('/save', headers=FORM, body='csrf_token=' + token2)
        assert res.status_code == 200
    support.run(main())


def test_token_in_header_accepted():
    async def main():
        c = TestClient(_app())
        token = await _token(c)
        res = await c.delete('/save', headers={'X-CSRF-Token': token})
        assert res.json == {'kw': [], 'form': []}
        res = await c.post('/save', body={'json': 1},
                           headers={'X-CSRF-Token': token})
        assert res.status_code == 200
    support.run(main())


def test_missing_or_bad_token_refused():
    async def main():
        c = TestClient(_app())
        token = await _token(c)
        for headers, body in (
                (FORM, 'a=1'),
                (FORM, 'csrf_token='),
                (FORM, 'csrf_token=garbage'),
                (FORM, 'csrf_token=' + token[:-1] +  # tampered
                 ('B' if token[-1] == 'A' else 'A')),
                ({'X-CSRF-Token': token + 'x'}, ''),
                ({'X-CSRF-Token': 'a.b.c'}, '')):
            res = await c.post('/save', headers=headers, body=body)
            assert res.status_code == 403, (headers, body)
            assert res.text == 'Invalid CSRF token'
        # safe methods need no token; csrf=False routes neither
        res = await c.get('/read')
        assert res.text == 'read'
        res = await c.request('HEAD', '/read')
        assert res.status_code == 200
        res = await c.post('/hook', headers=FORM, body='x=1')
        assert res.text == 'hooked'
    support.run(main())


def test_token_bound_to_session():
    async def main():
        app = _app()
        alice = TestClient(app)
        token = await _token(alice)
        mallory = TestClient(app)
        await _token(mallory)  # has a session of her own
        res = await mallory.post('/save', headers=FORM,
                                 body='csrf_token=' + token)
        assert res.status_code == 403
        fresh = TestClient(app)  # no session at all
        res = await fresh.post('/save', headers=FORM,
                               body='csrf_token=' + token)
        assert res.status_code == 403
        res = await alice.post('/save', headers=FORM,
                               body='csrf_token=' + token)
        assert res.status_code == 200
        # another app secret: refused
        other = Microdot()
        Session(other, secret_key=SECRET + 'x')
        other.register(Forms)
        c = TestClient(other, cookies=alice.cookies)
        res = await c.post('/save', headers=FORM, body='csrf_token=' + token)
        assert res.status_code == 403
    support.run(main())


def test_expired_token_refused():
    async def main():
        c = TestClient(_app(max_age=-1))
        token = await _token(c)
        res = await c.post('/save', headers=FORM, body='csrf_token=' + token)
        assert res.status_code == 403
    support.run(main())


def test_tokens_without_session():
    async def main():
        c = TestClient(_app(session=False, secret=SECRET))
        token = await _token(c)
        assert 'session' not in c.cookies
        res = await c.post('/save', headers={'X-CSRF-Token': token})
        assert res.status_code == 200
        # no session and no secret: no token can be made nor accepted
        c = TestClient(_app(session=False))
        res = await c.get('/form')
        assert res.status_code == 500
        res = await c.post('/save', headers={'X-CSRF-Token': token})
        assert res.status_code == 403
    support.run(main())
