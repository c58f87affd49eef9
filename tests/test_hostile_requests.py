"""Malformed and hostile requests against a real server on each runtime
(tests/apps/e2e_app.py under CPython and MicroPython), one table: each raw
request is sent on a fresh socket and its answer parsed by h11, which fails
the test on a broken response. A refusal (4xx/5xx from the parser) must also
close the connection, whose framing can no longer be trusted; an answer the
request deserves (200, 404, 405) keeps it open. After the whole table the
server still answers. The parsers themselves are tested in
test_http11_head.py and fuzzed (docs/hardening.md)."""
RUNTIMES = ('cpython',)  # drives subprocess servers

import socket

import h11

from e2e_helpers import T, each_runtime

H = b'Host: x\r\n'
L9 = b'a' * 9000
POST = b'POST /echo HTTP/1.1\r\n' + H
CHUNKED = POST + b'Transfer-Encoding: chunked\r\n\r\n'

#: (what, raw request, expected status, answer body or None)
TABLE = (
    # request lines
    ('two spaces', b'GET  / HTTP/1.1\r\n' + H + b'\r\n', 400, None),
    ('four parts', b'GET / HTTP/1.1 x\r\n' + H + b'\r\n', 400, None),
    ('method not a token', b'G@T / HTTP/1.1\r\n' + H + b'\r\n', 400, None),
    ('lower-case method', b'get / HTTP/1.1\r\n' + H + b'\r\n', 405, None),
    ('unknown method', b'BREW / HTTP/1.1\r\n' + H + b'\r\n', 405, None),
    ('no version (HTTP/0.9)', b'GET /\r\n\r\n', 400, None),
    ('HTTP/0.9 version', b'GET / HTTP/0.9\r\n\r\n', 505, None),
    ('HTTP/2 preface', b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 505, None),
    ('HTTP/1.1 without Host', b'GET / HTTP/1.1\r\n\r\n', 400, None),
    ('absolute-form target', b'GET http://x/ HTTP/1.1\r\n' + H + b'\r\n',
     200, b'hello'),
    # line endings, NUL, names
    ('obs-fold', b'GET / HTTP/1.1\r\n' + H + b'X-A: a\r\n b\r\n\r\n', 400,
     None),
    ('bare CR in a value', b'GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n', 400,
     None),
    ('bare LF ending', b'GET / HTTP/1.1\n' + H + b'\r\n', 400, None),
    ('NUL in a value', b'GET / HTTP/1.1\r\n' + H + b'X-A: a\x00b\r\n\r\n',
     400, None),
    ('NUL in the path', b'GET /a\x00b HTTP/1.1\r\n' + H + b'\r\n', 400, None),
    ('space in a name', b'GET / HTTP/1.1\r\n' + H + b'Bad Name: x\r\n\r\n',
     400, None),
    ('space before the colon', b'GET / HTTP/1.1\r\nHost : x\r\n\r\n', 400,
     None),
    ('empty name', b'GET / HTTP/1.1\r\n' + H + b': x\r\n\r\n', 400, None),
    # body framing
    ('Content-Length with Transfer-Encoding',
     POST + b'Content-Length: 3\r\n'
     b'Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', 400, None),
    ('two different Content-Lengths',
     POST + b'Content-Length: 3\r\n'
     b'Content-Length: 4\r\n\r\nabcd', 400, None),
    ('the same Content-Length twice',
     POST + b'Content-Length: 3\r\n'
     b'Content-Length: 3\r\n\r\nabc', 200, b'abc'),
    ('negative Content-Length',
     POST + b'Content-Length: -1\r\n\r\n', 400, None),
    ('Content-Length with a sign',
     POST + b'Content-Length: +3\r\n\r\nabc', 400, None),
    ('Content-Length past 64 bits',
     POST + b'Content-Length: ' + b'9' * 30 + b'\r\n\r\n', 400, None),
    ('Content-Length over the limit',
     POST + b'Content-Length: 999999999\r\n\r\n', 413, None),
    ('unknown Transfer-Encoding',
     POST + b'Transfer-Encoding: gzip\r\n\r\n', 501, None),
    ('chunk size not hex',
     CHUNKED + b'zz\r\nabc\r\n0\r\n\r\n', 400, None),
    ('chunk size past 64 bits',
     CHUNKED + b'fffffffffffffffff\r\nabc\r\n0\r\n\r\n', 400, None),
    ('chunk without its CRLF',
     CHUNKED + b'3\r\nabcX\r\n0\r\n\r\n', 400, None),
    ('chunk extensions',
     CHUNKED + b'3;a=b;c="d;e"\r\nabc\r\n0;last\r\n\r\n', 200, b'abc'),
    ('trailers',
     CHUNKED + b'3\r\nabc\r\n0\r\nX-Sum: 1\r\nX-More: 2\r\n\r\n', 200, b'abc'),
    # sizes
    ('overlong request line', b'GET /' + L9 + b' HTTP/1.1\r\n' + H + b'\r\n',
     414, None),
    ('overlong header line', b'GET / HTTP/1.1\r\n' + H + b'X-A: ' + L9 +
     b'\r\n\r\n', 431, None),
    ('too many headers', b'GET / HTTP/1.1\r\n' + H +
     b''.join(b'X-%d: v\r\n' % i for i in range(100)) + b'\r\n', 431, None),
    # paths
    ('UTF-8 in the path', b'GET /caf\xc3\xa9 HTTP/1.1\r\n' + H + b'\r\n',
     404, None),
    ('invalid UTF-8 in the path', b'GET /\xff\xfe HTTP/1.1\r\n' + H +
     b'\r\n', 404, None),
    ('dot segments', b'GET /../../etc/passwd HTTP/1.1\r\n' + H + b'\r\n',
     404, None),
    ('encoded dot segments', b'GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n' +
     H + b'\r\n', 404, None),
)

_REFUSED = (400, 413, 414, 431, 501, 505)


def ask(port, raw):
    """(h11.Response, body, closed) for one raw request."""
    sock = socket.create_connection(('127.0.0.1', port), T)
    try:
        conn = h11.Connection(our_role=h11.CLIENT)
        # h11 reads the answer as that of a GET it sent (it only needs the
        # method to frame the response)
        conn.send(h11.Request(method='GET', target='/',
                              headers=[('Host', 'x')]))
        conn.send(h11.EndOfMessage())
        sock.sendall(raw)
        events = []
        while not events or not isinstance(events[-1], h11.EndOfMessage):
            ev = conn.next_event()
            if ev is h11.NEED_DATA:
                conn.receive_data(sock.recv(65536))
            else:
                events.append(ev)
        closed = False
        if conn.their_state is h11.MUST_CLOSE:
            try:
                closed = sock.recv(1) == b''
            except ConnectionResetError:
                closed = True
        body = b''.join(e.data for e in events if isinstance(e, h11.Data))
        return events[0], body, closed
    finally:
        sock.close()


def test_every_hostile_request_gets_its_status():
    def check(port):
        for what, raw, status, body in TABLE:
            res, got, closed = ask(port, raw)
            assert res.status_code == status, (what, res)
            if body is not None:
                assert got == body, (what, got)
            if status in _REFUSED:
                assert closed, what + ': connection left open'
        res, got, _ = ask(port, b'GET / HTTP/1.1\r\n' + H + b'\r\n')
        assert (res.status_code, got) == (200, b'hello')
    each_runtime(check)
