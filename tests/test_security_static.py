"""Path traversal against static_files on a real server under CPython and
MicroPython: every target that tries to leave the root (dot segments raw,
percent-encoded, double-encoded and overlong, encoded slashes, backslashes,
absolute paths, NUL bytes, absolute-form targets) sent as-is by a raw
socket and by ``curl --path-as-is`` is answered 400 or 404, and the file
outside the root never comes back. (tests/test_static.py checks a shorter
list in-process on both runtimes.)"""
RUNTIMES = ('cpython',)  # drives subprocess servers

from urllib.parse import quote  # noqa: E402

from e2e_helpers import curl, head_of  # noqa: E402
from security_helpers import OUTSIDE, each_runtime, exchange, \
    parse  # noqa: E402

TARGETS = (
    '/static/../secret.txt', '/static/css/../../secret.txt',
    '/static/./../secret.txt', '/static/%2e%2e/secret.txt',
    '/static/%2E%2E/secret.txt', '/static/.%2e/secret.txt',
    '/static/%2e./secret.txt', '/static/css/%2e%2e/%2e%2e/secret.txt',
    '/static/..%2fsecret.txt', '/static/..%2Fsecret.txt',
    '/static/%2e%2e%2fsecret.txt', '/static/css%2f..%2f..%2fsecret.txt',
    '/static/..\\secret.txt', '/static/..%5csecret.txt',
    '/static/..%5Csecret.txt', '/static/css\\..\\..\\secret.txt',
    '/static/%252e%252e/secret.txt', '/static/%252e%252e%252fsecret.txt',
    '/static/..%252fsecret.txt', '/static/%25%32%65%25%32%65/secret.txt',
    '/static/%c0%ae%c0%ae/secret.txt', '/static/..%c0%afsecret.txt',
    '/static/%ef%bc%8e%ef%bc%8e/secret.txt', '/static/..;/secret.txt',
    '/static/.../secret.txt', '/static//etc/passwd',
    '/static/%2fetc%2fpasswd', '/static/secret.txt%00.html',
    '/static/%00', '/static/css/..%00/secret.txt', '/static/%2e%2e',
    '/static/..', '/static/css/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt',
)


def targets(root):
    # the secret by its absolute path too, as a client could spell it
    absolute = quote(root.rsplit('/', 1)[0] + '/secret.txt', safe='')
    return TARGETS + ('/static/' + absolute, '/static/' + absolute.replace(
        '%2F', '/'), '/static/%2e%2e' + absolute[3:].replace('%2F', '/'))


def refused(status, body, target):
    assert status in (400, 404), (target, status)
    assert OUTSIDE not in body, target


def test_traversal_by_raw_socket():
    def check(port, root):
        status, _, body = parse(exchange(port, (
            b'GET /static/css/site.css HTTP/1.1\r\nHost: x\r\n'
            b'Connection: close\r\n\r\n')))
        assert (status, body) == (200, b'body{}')
        for target in targets(root):
            for form in (target, 'http://x' + target):  # absolute-form too
                raw = ('GET %s HTTP/1.1\r\nHost: x\r\nConnection: close'
                       '\r\n\r\n' % form).encode()
                data = exchange(port, raw)
                assert OUTSIDE not in data, form
                status, _, body = parse(data)
                refused(status, body, form)
    each_runtime(check)


def test_traversal_by_curl_path_as_is():
    def check(port, root):
        base = 'http://127.0.0.1:%d' % port
        assert curl('--path-as-is', base + '/static/css/site.css') == \
            b'body{}'
        for target in targets(root):
            if '\\' in target:  # curl would send it, but keep URLs plain
                target = target.replace('\\', '%5C')
            raw = curl('--path-as-is', '-g', '-i', base + target)
            status, _, body = head_of(raw)
            refused(int(status.split()[1]), body, target)
    each_runtime(check)


def test_head_and_other_methods_do_not_leak_either():
    def check(port, root):
        for method in ('HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'):
            raw = ('%s /static/%%2e%%2e/secret.txt HTTP/1.1\r\nHost: x\r\n'
                   'Content-Length: 0\r\nConnection: close\r\n\r\n'
                   % method).encode()
            data = exchange(port, raw)
            assert OUTSIDE not in data, method
            # OPTIONS answers the Allow list, of the route and no file
            allowed = (b'200',) if method == 'OPTIONS' else (
                b'400', b'404', b'405')
            assert data.split(b' ')[1] in allowed, (method, data[:60])
    each_runtime(check)
