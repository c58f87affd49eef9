"""microdot.http11.parse_request_head: valid heads, and each malformed head
answered with its exact status (PROTOCOLS.md section 1). Both runtimes."""

from microdot.http11 import HTTPException
from microdot.http11 import find_head_end, parse_request_head
from microdot.structures import NoCaseDict

import support


def head(request_line, *headers):
    lines = [request_line] + list(headers)
    return ('\r\n'.join(lines) + '\r\n\r\n').encode()


def status(raw):
    return support.raises(HTTPException, parse_request_head, raw).status_code


def test_valid_get():
    method, target, version, headers = parse_request_head(
        head('GET /a/b?x=1&y=%20 HTTP/1.1', 'Host: example.com',
             'User-Agent: test/1.0'))
    assert (method, target, version) == ('GET', '/a/b?x=1&y=%20', '1.1')
    assert isinstance(headers, NoCaseDict)
    assert headers['host'] == 'example.com'
    assert headers['USER-AGENT'] == 'test/1.0'
    assert len(headers) == 2


def test_valid_http10_no_headers():
    assert parse_request_head(b'GET / HTTP/1.0\r\n\r\n') == \
        ('GET', '/', '1.0', {})


def test_valid_other_targets_and_methods():
    for line, expected in (
            ('OPTIONS * HTTP/1.1', ('OPTIONS', '*')),
            ('CONNECT h.example:443 HTTP/1.1', ('CONNECT', 'h.example:443')),
            ('GET http://h/p?q HTTP/1.1', ('GET', 'http://h/p?q')),
            ('M-SEARCH /x HTTP/1.1', ('M-SEARCH', '/x')),
            ('PATCH /caf%C3%A9 HTTP/1.1', ('PATCH', '/caf%C3%A9'))):
        method, target, version, _ = parse_request_head(head(line, 'Host: h'))
        assert (method, target) == expected


def test_later_http1_minor_version_served_as_11():
    assert parse_request_head(head('GET / HTTP/1.2'))[2] == '1.1'


def test_header_values_trimmed():
    headers = parse_request_head(head(
        'GET / HTTP/1.1', 'A:  spaced  ', 'B:\ttabbed\t', 'C:', 'D: in  side',
        'E:x'))[3]
    assert headers['A'] == 'spaced'
    assert headers['B'] == 'tabbed'
    assert headers['C'] == ''
    assert headers['D'] == 'in  side'
    assert headers['E'] == 'x'


def test_505_http2_and_later():
    assert status(head('GET / HTTP/2.0')) == 505
    assert status(head('GET / HTTP/3.0')) == 505
    assert status(head('GET / HTTP/0.9')) == 505


def test_505_http2_preface():
    preface = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
    n = find_head_end(preface, 100, 10)
    assert n > 0
    assert status(preface[:n]) == 505


def test_400_malformed_request_line():
    for line in ('GET /',  # HTTP/0.9 style, no version
                 'GET',
                 '',
                 'GET  / HTTP/1.1',
                 'GET / HTTP/1.1 ',
                 ' GET / HTTP/1.1',
                 'GET /  HTTP/1.1',
                 'GET\t/\tHTTP/1.1',
                 'GET / http/1.1',
                 'GET / Http/1.1',
                 'GET / HTTP/1',
                 'GET / HTTP/1.1.1',
                 'GET / HTTP/11',
                 'GET / HTTP/x.y',
                 'GET / HTTPS/1.1',
                 'GET / FOO',
                 'G(T / HTTP/1.1',
                 'GET /a\x01b HTTP/1.1',
                 'GET /a\x7fb HTTP/1.1',
                 'GET /a\rb HTTP/1.1',
                 'GET /a\x00 HTTP/1.1'):
        assert status(head(line, 'Host: h')) == 400, line


def test_400_malformed_head():
    assert status(b'GET / HTTP/1.1\r\n') == 400
    assert status(b'GET / HTTP/1.1\r\nHost: h\r\n') == 400
    assert status(b'\r\n\r\n') == 400


def test_400_malformed_header_lines():
    for line in ('NoColon',
                 ': empty-name',
                 'Bad Name: x',
                 'Name : x',
                 'Name\t: x',
                 'Na\x01me: x',
                 'Na\x7fme: x',
                 'N(me: x',
                 ' Leading: space',
                 'A: x\x00y',
                 'A: x\ry',
                 'A: x\rB: y',
                 'A: x\nB: y'):
        assert status(head('GET / HTTP/1.1', 'Host: h', line)) == 400, line


def test_400_obs_fold_continuation():
    assert status(head('GET / HTTP/1.1', 'X-Long: a', ' continued')) == 400
    assert status(head('GET / HTTP/1.1', 'X-Long: a', '\tcontinued')) == 400


def test_400_bare_cr_and_lf():
    assert status(b'GET / HTTP/1.1\rHost: h\r\n\r\n') == 400
    assert status(b'GET / HTTP/1.1\nHost: h\r\n\r\n') == 400
    assert status(b'GET / HTTP/1.1\r\nA: 1\r\r\n\r\n') == 400


def test_content_length_repeated():
    h = parse_request_head(head('POST / HTTP/1.1', 'Content-Length: 5',
                                'content-length: 5'))[3]
    assert h['Content-Length'] == '5'
    assert status(head('POST / HTTP/1.1', 'Content-Length: 5',
                       'Content-Length: 6')) == 400


def test_400_repeated_host_or_transfer_encoding():
    assert status(head('GET / HTTP/1.1', 'Host: a', 'Host: b')) == 400
    assert status(head('GET / HTTP/1.1', 'Host: a', 'HOST: a')) == 400
    assert status(head('POST / HTTP/1.1', 'Transfer-Encoding: chunked',
                       'Transfer-Encoding: chunked')) == 400
    assert status(head('POST / HTTP/1.1', 'Transfer-Encoding: gzip',
                       'transfer-encoding: chunked')) == 400


def test_repeated_headers_joined():
    h = parse_request_head(head(
        'GET / HTTP/1.1', 'Accept: text/html', 'X-N: 1', 'accept: text/plain',
        'ACCEPT: */*', 'Cookie: a=1', 'cookie: b=2', 'X-Empty:',
        'X-Empty: v'))[3]
    assert h['Accept'] == 'text/html, text/plain, */*'
    assert h['Cookie'] == 'a=1; b=2'
    assert h['x-empty'] == ', v'
    assert h['X-N'] == '1'
    assert sorted(h.keys()) == ['Accept', 'Cookie', 'X-Empty', 'X-N']


def test_utf8_header_value():
    raw = 'GET / HTTP/1.1\r\nX-Name: Jos\u00e9\r\n\r\n'.encode()
    assert parse_request_head(raw)[3]['x-name'] == 'Jos\u00e9'


def test_non_utf8_bytes_do_not_crash():
    method, target, version, h = parse_request_head(
        b'GET /\xff\xfe HTTP/1.1\r\nX-Bin: a\xff\xc3\r\n\r\n')
    assert isinstance(target, str) and isinstance(h['X-Bin'], str)
    assert target == '/\xff\xfe'
    assert h['X-Bin'] == 'a\xff\xc3'
    assert status(b'GET / HTTP/1.1\r\nX-\xff: 1\r\n\r\n') == 400
    assert status(b'G\xffT / HTTP/1.1\r\n\r\n') == 400
