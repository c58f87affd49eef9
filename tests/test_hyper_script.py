"""The route that serves hyper.js (gzipped, versioned URL, ETag and 304)
and the options of ``app.register``, on both runtimes."""
import support
from microdot import Microdot
from microdot.test_client import TestClient
from test_hyper_view import Page, app


def test_hyper_js_is_served_gzipped_and_cacheable():
    async def run():
        c = TestClient(app)
        page = (await c.get('/page')).text
        url = page.split('<script src="')[1].split('"')[0]
        version = url.split('?v=')[1]
        res = await c.get(url)
        assert res.status_code == 200
        assert res.headers['Content-Encoding'] == 'gzip'
        assert res.headers['Content-Type'].startswith('application/javascript')
        assert 'immutable' in res.headers['Cache-Control']
        assert res.headers['ETag'] == '"%s"' % version
        assert res.body[:2] == b'\x1f\x8b' and len(res.body) < 3072
        res = await c.get('/_hyper.js')
        assert res.headers['Cache-Control'] == 'no-cache'
        res = await c.get('/_hyper.js', headers={
            'If-None-Match': '"%s"' % version})
        assert res.status_code == 304 and res.body == b''
    support.run(run())


def test_register_options_and_the_script_route_once():
    other = Microdot()
    view = other.register(Page, '/a', csrf_max_age=60)
    other.register(Page, '/b')
    assert view.csrf_max_age == 60 and Page.csrf_max_age == 86400
    assert [p.url_pattern for _, p, _, _, _ in other.url_map] == \
        ['/a', '/_hyper.js', '/b']
    support.raises(TypeError, other.register, Page, '/c', nope=1)


def test_with_a_session_tokens_are_bound_to_it():
    from microdot.session import Session
    sapp = Microdot()
    Session(sapp, secret_key='session key')
    sapp.register(Page, '/page')

    async def run():
        c = TestClient(sapp)
        await c.get('/page')
        token = c.cookies['csrf_token']
        assert 'session' in c.cookies  # the CSRF id lives in the session
        h = {'X-Action': 'a_none', 'X-CSRF-Token': token}
        res = await c.post('/page', headers=h, body={})
        assert res.text == 'event: end\ndata: {}\n\n'
        # the same token and cookie in another session: refused
        other = TestClient(sapp)
        await other.get('/page')
        other.cookies['csrf_token'] = token
        res = await other.post('/page', headers=h, body={})
        assert res.status_code == 403
    support.run(run())
