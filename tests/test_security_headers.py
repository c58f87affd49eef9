"""Header injection on a real server under CPython and MicroPython: CR, LF
and NUL from the request (decoded from the query string) put into a
redirect Location, a header value or name, a cookie's name, value or
attributes make that response a 500 with none of the handler's headers,
never a second header or a split response (checked with h11), and ``;`` in
a cookie attribute never adds an attribute. The server keeps serving."""
RUNTIMES = ('cpython',)  # drives subprocess servers

from urllib.parse import quote  # noqa: E402

from e2e_helpers import curl, head_of  # noqa: E402
from security_helpers import each_runtime, exchange, parse  # noqa: E402

EVIL = ('x\r\nInjected: 1', 'x\nInjected: 1', 'x\rInjected: 1',
        'x\r\n\r\nHTTP/1.1 200 OK\r\nInjected: 1\r\n\r\n', 'x\x00Injected')


def get(port, target):
    return parse(exchange(port, (
        'GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
        % target).encode()))


def refused(port, target):
    status, headers, body = get(port, target)
    assert status == 500, (target, status)
    for name in ('injected', 'location', 'set-cookie', 'x-echo'):
        assert name not in headers, (target, headers)
    assert b'Injected' not in body, target


def test_crlf_from_the_request_never_reaches_the_head():
    def check(port, root):
        assert get(port, '/redirect?to=/a')[1]['location'] == ['/a']
        assert get(port, '/header?v=abc')[1]['x-echo'] == ['abc']
        assert get(port, '/cookie?v=1')[1]['set-cookie'] == ['c=1']
        for evil in EVIL:
            q = quote(evil, safe='')
            for target in ('/redirect?to=/' + q, '/header?v=' + q,
                           '/header?name=X-' + q, '/cookie?v=' + q,
                           '/cookie?name=' + q, '/cookie?path=/' + q,
                           '/cookie?domain=' + q, '/cookie?same_site=' + q):
                refused(port, target)
        # still serving, on a kept-alive connection too
        assert get(port, '/header?v=fine')[0] == 200
    each_runtime(check)


def test_a_header_name_cannot_smuggle_another_header():
    def check(port, root):
        for name in ('Set-Cookie: evil=1; x', 'X-A:1', 'X A', 'X\tA',
                     'Location: //evil.example'):
            target = '/header?name=' + quote(name, safe='') + '&v=1'
            status, headers, _ = get(port, target)
            assert status == 500, (name, status)
            assert 'set-cookie' not in headers and 'location' not in \
                headers and 'x-a' not in headers, (name, headers)
    each_runtime(check)


def test_semicolons_never_add_cookie_attributes():
    def check(port, root):
        for arg, value in (('v', 'a; Domain=evil.example'),
                           ('name', 'a; HttpOnly'),
                           ('name', 'a=b'),
                           ('path', '/; Domain=evil.example'),
                           ('domain', 'example.com; Secure'),
                           ('same_site', 'Lax; Domain=evil.example')):
            target = '/cookie?%s=%s' % (arg, quote(value, safe=''))
            status, headers, _ = get(port, target)
            assert status == 500, (target, status)
            assert 'set-cookie' not in headers, (target, headers)
    each_runtime(check)


def test_curl_sees_one_clean_response():
    def check(port, root):
        base = 'http://127.0.0.1:%d' % port
        for target in ('/redirect?to=/%0D%0ASet-Cookie:%20pwned=1',
                       '/header?v=a%0D%0A%0D%0AHTTP/1.1%20200%20OK'):
            status, headers, body = head_of(curl('-i', base + target))
            assert status.split()[1] == '500', (target, status)
            assert 'set-cookie' not in headers and b'HTTP/1.1' not in body
    each_runtime(check)
