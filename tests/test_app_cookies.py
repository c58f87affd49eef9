"""Cookies set by a Microdot 2.x app, through the TestClient: every
set_cookie attribute, delete_cookie, and the client keeping cookies across
requests."""
from microdot import Microdot, Response
from microdot.test_client import TestClient
import support


def _attrs(header):
    """Split a Set-Cookie value into (name=value, {attribute: value})."""
    parts = [p.strip() for p in header.split(';')]
    attrs = {}
    for p in parts[1:]:
        k, _, v = p.partition('=')
        attrs[k.lower()] = v
    return parts[0], attrs


async def _set_cookie(*args, **kwargs):
    app = Microdot()

    @app.route('/')
    def index(req):
        res = Response('ok')
        res.set_cookie(*args, **kwargs)
        return res

    res = await TestClient(app).get('/')
    assert res.status_code == 200
    cookies = res.headers['Set-Cookie']
    assert len(cookies) == 1
    return cookies[0]


def set_cookie(*args, **kwargs):
    return support.run(_set_cookie(*args, **kwargs))


def test_set_cookie_plain():
    assert set_cookie('name', 'value') == 'name=value'
    assert set_cookie('empty', '') == 'empty='


def test_set_cookie_every_attribute():
    header = set_cookie('sid', 'abc', path='/app', domain='example.com',
                        expires='Wed, 21 Oct 2037 07:28:00 GMT', max_age=3600,
                        secure=True, http_only=True, partitioned=True,
                        same_site='Strict')
    first, attrs = _attrs(header)
    assert first == 'sid=abc'
    assert attrs == {'path': '/app', 'domain': 'example.com',
                     'expires': 'Wed, 21 Oct 2037 07:28:00 GMT',
                     'max-age': '3600', 'secure': '', 'httponly': '',
                     'partitioned': '', 'samesite': 'Strict'}
    # the attribute names are spelled as browsers document them
    for name in ('Path=', 'Domain=', 'Expires=', 'Max-Age=', 'Secure',
                 'HttpOnly', 'Partitioned', 'SameSite='):
        assert name in header


def test_set_cookie_flags_off():
    header = set_cookie('a', 'b', path=None, domain=None, secure=False,
                        http_only=False, partitioned=False)
    assert header == 'a=b'
    first, attrs = _attrs(set_cookie('a', 'b', same_site='Lax', max_age=0))
    assert attrs == {'samesite': 'Lax', 'max-age': '0'}


def test_set_cookie_expires_timestamp():
    first, attrs = _attrs(set_cookie('t', '1', expires=1700000000))
    assert attrs['expires'] == 'Tue, 14 Nov 2023 22:13:20 GMT'
    first, attrs = _attrs(set_cookie('t', '1', expires=0))
    assert attrs['expires'] == 'Thu, 01 Jan 1970 00:00:00 GMT'


def test_set_cookie_expires_datetime():
    if support.IS_MICROPYTHON:
        support.skip('no datetime on MicroPython')
    import datetime
    naive = datetime.datetime(2030, 1, 2, 3, 4, 5)
    first, attrs = _attrs(set_cookie('d', '1', expires=naive))
    assert attrs['expires'] == 'Wed, 02 Jan 2030 03:04:05 GMT'
    utc = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    first, attrs = _attrs(set_cookie('d', '1', expires=utc))
    assert attrs['expires'] == 'Wed, 02 Jan 2030 03:04:05 GMT'
    # an aware datetime in another zone is sent in GMT
    plus2 = datetime.timezone(datetime.timedelta(hours=2))
    local = datetime.datetime(2030, 1, 2, 5, 4, 5, tzinfo=plus2)
    first, attrs = _attrs(set_cookie('d', '1', expires=local))
    assert attrs['expires'] == 'Wed, 02 Jan 2030 03:04:05 GMT'


async def _bad_cookies():
    app = Microdot()

    @app.route('/<kind>')
    def index(req, kind):
        res = Response('ok')
        if kind == 'semicolon':
            res.set_cookie('a', 'b; Domain=evil.com')
        elif kind == 'crlf':
            res.set_cookie('a', req.args['v'])
        elif kind == 'path':
            res.set_cookie('a', 'b', path=req.args['v'])
        elif kind == 'attrs':  # ';' would add an attribute of the caller's
            res.set_cookie('a', 'b', domain=req.args.get('d'),
                           same_site=req.args.get('s'))
        return res

    c = TestClient(app)
    for url in ('/semicolon', '/crlf?v=x%0D%0AX-Evil:%201',
                '/crlf?v=x%0AX-Evil:%201', '/path?v=/%0D%0AX-Evil:%201',
                '/crlf?v=x%00', '/path?v=/;%20Domain=evil.com',
                '/attrs?d=a.com;%20Secure', '/attrs?s=Lax;%20Domain=evil'):
        res = await c.get(url)
        assert res.status_code == 500, url
        assert 'Set-Cookie' not in res.headers
        assert 'X-Evil' not in res.headers
    assert (await c.get('/none')).status_code == 200
    assert not c.cookies


def test_bad_cookies():
    support.run(_bad_cookies())


async def _several_and_delete():
    app = Microdot()

    @app.route('/set')
    def set_(req):
        res = Response('set')
        res.set_cookie('one', '1')
        res.set_cookie('two', '2', path='/')
        res.set_cookie('three', '3')
        return res

    @app.route('/delete')
    def delete(req):
        res = Response('deleted')
        res.delete_cookie('two', path='/', max_age=99, expires='ignored')
        return res

    @app.route('/show')
    def show(req):
        names = sorted(req.cookies.keys())
        return ','.join([n + '=' + req.cookies[n] for n in names])

    c = TestClient(app)
    res = await c.get('/set')
    assert res.headers['Set-Cookie'] == ['one=1', 'two=2; Path=/', 'three=3']
    # the client keeps the cookies and sends them back
    assert (await c.get('/show')).text == 'one=1,three=3,two=2'
    res = await c.get('/delete')
    first, attrs = _attrs(res.headers['Set-Cookie'][0])
    assert first == 'two='
    assert attrs['path'] == '/'
    assert attrs['max-age'] == '0'
    assert '1970' in attrs['expires']
    assert (await c.get('/show')).text == 'one=1,three=3'

    # a client made with cookies sends them from the first request
    c2 = TestClient(app, cookies={'pre': 'set'})
    assert (await c2.get('/show')).text == 'pre=set'


def test_several_and_delete():
    support.run(_several_and_delete())


async def _cookies_from_hooks():
    app = Microdot()

    @app.after_request
    def stamp(req, res):
        res.set_cookie('visits', str(int(req.cookies.get('visits', '0')) + 1))

    @app.route('/')
    def index(req):
        return 'visits=' + req.cookies.get('visits', '0')

    c = TestClient(app)
    for i in range(3):
        assert (await c.get('/')).text == 'visits=%d' % i
    assert c.cookies['visits'] == '3'


def test_cookies_from_hooks():
    support.run(_cookies_from_hooks())
