"""The request-head framing and number parsers of microdot.http11: where the
head ends (414/431 limits) and Content-Length / chunk sizes. Both runtimes.
The head parser itself is tested in test_http11_head.py."""

from microdot.http11 import HTTPException
from microdot.chunked import parse_chunk_size
from microdot.body import parse_content_length
from microdot.http11 import find_head_end

import support

HEAD = b'GET /x HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n'


def status(fn, *args):
    return support.raises(HTTPException, fn, *args).status_code


# --- find_head_end ---------------------------------------------------------

def test_incomplete_head():
    for buf in (b'', b'G', b'GET / HTTP/1.1', b'GET / HTTP/1.1\r',
                b'GET / HTTP/1.1\r\n', b'GET / HTTP/1.1\r\nHost: x',
                b'GET / HTTP/1.1\r\nHost: x\r\n',
                b'GET / HTTP/1.1\r\nHost: x\r\n\r'):
        assert find_head_end(buf, 100, 10) == -1, buf


def test_complete_head():
    assert find_head_end(HEAD, 100, 10) == len(HEAD)
    assert find_head_end(b'GET / HTTP/1.1\r\n\r\n', 100, 10) == 18


def test_complete_head_followed_by_more_bytes():
    buf = HEAD + b'body' + HEAD
    assert find_head_end(buf, 100, 10) == len(HEAD)
    buf = HEAD + b'x' * 500  # a long body is not a long header line
    assert find_head_end(buf, 100, 2) == len(HEAD)


def test_every_prefix_of_a_head_at_the_limits():
    # request line and header line exactly max_line long, exactly
    # max_headers headers: accepted however the bytes are split
    line = b'GET /' + b'a' * 15 + b' HTTP/1.1'
    assert len(line) == 29
    head = line + b'\r\nX-A: ' + b'b' * 24 + b'\r\nX-B: 1\r\n\r\n'
    for i in range(len(head)):
        assert find_head_end(head[:i], 29, 2) == -1, i
    assert find_head_end(head, 29, 2) == len(head)


def test_414_long_request_line_before_crlf():
    assert status(find_head_end, b'GET /' + b'a' * 100, 50, 10) == 414
    assert find_head_end(b'G' * 50, 50, 10) == -1
    assert find_head_end(b'G' * 50 + b'\r', 50, 10) == -1
    assert status(find_head_end, b'G' * 51, 50, 10) == 414
    assert status(find_head_end, b'G' * 51 + b'\r', 50, 10) == 414


def test_414_long_request_line_complete():
    buf = b'GET /' + b'a' * 100 + b' HTTP/1.1\r\n\r\n'
    assert status(find_head_end, buf, 50, 10) == 414
    buf = b'GET /' + b'a' * 100 + b' HTTP/1.1\r\nHost: x\r\n'
    assert status(find_head_end, buf, 50, 10) == 414


def test_431_long_header_line():
    start = b'GET / HTTP/1.1\r\n'
    long_line = b'X-Long: ' + b'v' * 100
    assert status(find_head_end, start + long_line, 50, 10) == 431
    assert status(find_head_end, start + long_line + b'\r\n', 50, 10) == 431
    buf = start + long_line + b'\r\n\r\n'
    assert status(find_head_end, buf, 50, 10) == 431
    buf = start + b'A: 1\r\n' + long_line + b'\r\nB: 2\r\n\r\n'
    assert status(find_head_end, buf, 50, 10) == 431


def test_431_too_many_headers():
    start = b'GET / HTTP/1.1\r\n'
    three = b'A: 1\r\nB: 2\r\nC: 3\r\n'
    assert find_head_end(start + three + b'\r\n', 100, 3) > 0
    assert status(find_head_end, start + three + b'\r\n', 100, 2) == 431
    # refused while the head is still arriving
    assert status(find_head_end, start + three, 100, 2) == 431
    assert status(find_head_end, start + three + b'D', 100, 3) == 431
    endless = start + b'X: y\r\n' * 1000
    assert status(find_head_end, endless, 100, 64) == 431


def test_400_bare_lf_at_once():
    # refused as soon as the LF arrives, the head complete or not (else
    # the client would wait for the header timeout)
    for buf in (b'GET / HTTP/1.1\n', b'GET / HTTP/1.1\n\n',
                b'GET / HTTP/1.1\r\nHost: x\n',
                b'GET / HTTP/1.1\r\nHost: x\n\n',
                b'GET / HTTP/1.1\r\nHost: x\r\n\n',
                b'GET / HTTP/1.1\r\nA: 1\nB: 2\r\n\r\n'):
        assert status(find_head_end, buf, 100, 10) == 400, buf
    # an LF after the head belongs to the body or the next request
    assert find_head_end(HEAD + b'a\nb', 100, 10) == len(HEAD)


# --- parse_content_length --------------------------------------------------

def test_content_length_valid():
    assert parse_content_length('0') == 0
    assert parse_content_length('5') == 5
    assert parse_content_length('007') == 7
    assert parse_content_length('123456789') == 123456789


def test_content_length_invalid():
    for bad in ('', '-1', '+5', ' 5', '5 ', '5 5', '0x10', '1e3', '5.0',
                'five', '1,2', '\u0665', '1_0', '9' * 19, '9' * 100):
        assert status(parse_content_length, bad) == 400, bad


# --- parse_chunk_size ------------------------------------------------------

def test_chunk_size_valid():
    assert parse_chunk_size(b'0') == 0
    assert parse_chunk_size(b'000') == 0
    assert parse_chunk_size(b'1a') == 26
    assert parse_chunk_size(b'FF') == 255
    assert parse_chunk_size(b'fFfF') == 65535


def test_chunk_size_extensions_ignored():
    assert parse_chunk_size(b'5;name=value') == 5
    assert parse_chunk_size(b'5;a;b="c;d"') == 5
    assert parse_chunk_size(b'10 ; ext') == 16
    assert parse_chunk_size(b'0;last') == 0


def test_chunk_size_invalid():
    for bad in (b'', b';ext', b'xyz', b'0x5', b'-1', b'+5', b'5g',
                b'1 2', b'1' * 16, b'f' * 40, b'\xff'):
        assert status(parse_chunk_size, bad) == 400, bad
