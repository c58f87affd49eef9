"""Open redirects through login's ``next`` on a real server under CPython
and MicroPython: whatever ``next`` a link carries (scheme-relative,
backslashed, absolute, percent-encoded once or twice, with tabs or
newlines), the redirect after logging in resolves, as a browser resolves
it, to a page of the same site. Also the cookies a login sets, as a
browser's cookie jar (requests) sees them."""
RUNTIMES = ('cpython',)  # drives subprocess servers

from urllib.parse import quote, urljoin, urlsplit  # noqa: E402

import requests  # noqa: E402

from e2e_helpers import T  # noqa: E402
from security_helpers import each_runtime, exchange, parse  # noqa: E402

# the value of next as it appears in the query string (already encoded)
ENCODED = ('//evil.example', '%2F%2Fevil.example', '/%2Fevil.example',
           '%2F/evil.example', '/%5Cevil.example', '%5C%5Cevil.example',
           '/%5C/evil.example', 'https://evil.example', 'https:evil.example',
           'https%3A%2F%2Fevil.example', '%2F%09%2Fevil.example',
           '/%0A/evil.example', '/%0D%0A/evil.example', '%09//evil.example',
           '%20//evil.example', '%00//evil.example', 'evil.example',
           '%252F%252Fevil.example', '/%252F%252Fevil.example',
           '//evil.example%2F..', '///evil.example', '/.//evil.example',
           'javascript:alert(1)', '%2F%2F%65vil.example',
           '/%E3%80%82/evil.example', '%EF%BC%8F%EF%BC%8Fevil.example',
           '/ok&next=//evil.example')


def test_next_never_leaves_the_site():
    def check(port, root):
        base = 'http://127.0.0.1:%d' % port
        for value in ENCODED:
            for method in ('GET', 'POST'):
                status, headers, _ = parse(exchange(port, (
                    '%s /login?next=%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n'
                    'Content-Length: 0\r\nConnection: close\r\n\r\n'
                    % (method, value, port)).encode()))
                assert status == 302, (value, status)
                location = headers['location'][0]
                where = urlsplit(urljoin(base + '/login', location))
                assert (where.scheme, where.netloc) == \
                    ('http', '127.0.0.1:%d' % port), (value, location)
                assert 'evil' not in where.netloc
        # a path on the site is where the user goes back to
        res = requests.get(base + '/login?next=' + quote('/me?a=1&b=2'),
                           allow_redirects=False, timeout=T)
        assert res.headers['Location'] == '/me?a=1&b=2'
    each_runtime(check)


def test_the_round_trip_through_the_login_page():
    def check(port, root):
        base = 'http://127.0.0.1:%d' % port
        with requests.Session() as browser:
            res = browser.get(base + '/me?x=%2F%2Fevil', timeout=T,
                              allow_redirects=False)
            assert res.status_code == 302
            login = res.headers['Location']
            assert login == '/login?next=%2Fme%3Fx%3D%252F%252Fevil'
            res = browser.post(base + login, timeout=T, allow_redirects=False)
            assert res.headers['Location'] == '/me?x=%2F%2Fevil'
            assert browser.get(base + res.headers['Location'],
                               timeout=T).text == 'user alice'
    each_runtime(check)


def test_login_cookies_are_http_only_and_same_site():
    def check(port, root):
        base = 'http://127.0.0.1:%d' % port
        res = requests.post(base + '/login?remember=1', timeout=T,
                            allow_redirects=False)
        cookies = {c.name: c for c in res.cookies}
        assert sorted(cookies) == ['_remember', 'session']
        for cookie in cookies.values():
            assert cookie.path == '/' and cookie.has_nonstandard_attr(
                'HttpOnly'), cookie
            assert cookie.get_nonstandard_attr('SameSite') == 'Lax', cookie
            assert not cookie.secure  # plain HTTP: Secure would lose it
        assert cookies['_remember'].expires is not None
        assert cookies['session'].expires is None  # ends with the browser
    each_runtime(check)
