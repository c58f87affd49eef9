"""Fuzz targets for the request parsers and the multipart parser, shared by the property tests
(hypothesis, CPython), the mutation fuzz test (both runtimes) and the
coverage-guided fuzzer (tools/fuzz.py, atheris). Each target takes bytes and
returns normally or raises HTTPException with an expected status; any other
exception, or a parse result that breaks an invariant, is a bug."""
from microdot.bytesio import AsyncBytesIO
from microdot.body import parse_content_length
from microdot.chunked import parse_chunk_size, read_chunked
from microdot.http11 import HTTPException, find_head_end, parse_request_head
from microdot.multipart import FileUpload, FormDataIter
from microdot.request import Request
from microdot.streams import BufferedStream
from microdot.urlencoding import parse_urlencoded, urldecode_bytes

ALLOWED = (400, 413, 414, 431, 501, 505)
SEEDS = (
    b'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
    b'GET /p/a%20b?x=1&y=%C3%BC HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
    b'POST /e HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-'
    b'urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2',
    b'POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'
    b'3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n',
    b'PUT http://h/abs HTTP/1.1\r\nCookie: a=1\r\nCookie: b="2"\r\n'
    b'Content-Length: 0\r\n\r\n',
)

#: multipart/form-data bodies (boundary XyZ), the seeds of multipart_target
MULTIPART_SEEDS = (
    b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
    b'--XyZ\r\nContent-Disposition: form-data; name="f"; '
    b'filename="../x;y.txt"\r\nContent-Type: text/plain\r\n\r\n'
    b'ab\r\n--X\r\ncd\r\n--XyZ--\r\nepilogue',
    b'preamble\r\n--XyZ \t\r\nContent-Disposition: form-data; name=b; '
    b'filename="C:\\\\d\\"q\\".bin"\r\n\r\n\r\n\r\n--XyZ--',
)


def drive(coro):
    """Run a coroutine that never has to wait (it reads from memory) to its
    end, without an event loop: fast enough for millions of inputs."""
    try:
        coro.send(None)
    except StopIteration as exc:
        return exc.value
    coro.close()
    raise AssertionError('the parser waited on in-memory input')


def _expected(exc):
    if exc.status_code not in ALLOWED:
        raise AssertionError('unexpected status %r' % exc.status_code)


def head_target(data):
    """The head parser: limits while the head arrives, then parsing."""
    try:
        n = find_head_end(data, 256, 16)
        if n <= 0:
            return None
        method, target, version, headers = parse_request_head(data[:n])
    except HTTPException as exc:
        return _expected(exc)
    assert method and target and version in ('1.0', '1.1')
    for c in method + target:
        assert c > ' ' and c != '\x7f', (method, target)
    for name in headers:
        value = headers[name]
        assert ':' not in name and name.strip() == name and name
        assert '\r' not in value and '\n' not in value and '\x00' not in value
    return headers


def request_target(data):
    """A whole request, head and body, as the server reads it."""
    app = None
    try:
        req = drive(Request.create(app, BufferedStream(AsyncBytesIO(data)),
                                   None, ('127.0.0.1', 1)))
    except HTTPException as exc:
        return _expected(exc)
    except EOFError:
        return None
    if req is None:
        return None
    assert req.content_length >= 0
    if req.content_length <= Request.max_body_length and \
            'Content-Length' in req.headers:
        assert len(req.body) == req.content_length
    req.args
    req.cookies
    try:
        req.form
        req.json
    except HTTPException as exc:
        _expected(exc)
    return req


def chunked_target(data):
    """A chunked body followed by anything."""
    try:
        body = drive(read_chunked(BufferedStream(AsyncBytesIO(data)), 64, 64))
    except HTTPException as exc:
        return _expected(exc)
    except EOFError:
        return None
    assert len(body) <= 64
    return body


def small_parsers_target(data):
    """Content-Length, chunk sizes, query strings and percent-decoding."""
    try:
        assert parse_content_length(data.decode('latin-1')
                                    if hasattr(data, 'decode') else data) >= 0
    except (HTTPException, UnicodeError):
        pass
    try:
        assert parse_chunk_size(data) >= 0
    except HTTPException:
        pass
    urldecode_bytes(data)
    parse_urlencoded(data)


_MULTIPART_HEAD = b'POST /u HTTP/1.1\r\nHost: a\r\nContent-Type: ' \
    b'multipart/form-data; boundary=XyZ\r\nContent-Length: %d\r\n\r\n'


def multipart_target(data):
    """A multipart/form-data body, read in 7-byte pieces (so delimiters
    and part heads are split between reads), every field and file read
    through."""
    req = drive(Request.create(None, BufferedStream(AsyncBytesIO(
        _MULTIPART_HEAD % len(data) + data)), None, ('127.0.0.1', 1)))
    parser = FormDataIter(req)
    parser.buffer_size = 7
    parser.max_parts = 8
    parser.max_field_size = 64
    fields = []
    try:
        while True:
            try:
                name, value = drive(parser.__anext__())
            except StopAsyncIteration:
                break
            if isinstance(value, FileUpload):
                f = value.filename
                assert '/' not in f and '\\' not in f and \
                    f not in ('.', '..'), f
                value = drive(value.read())
            else:
                assert len(value) <= 64
            fields.append((name, value))
    except HTTPException as exc:
        return _expected(exc)
    assert len(fields) <= 8
    assert sum(len(v) for _, v in fields) <= len(data)
    return fields


TARGETS = (head_target, request_target, chunked_target,
           small_parsers_target, multipart_target)


def seeds_for(target):
    """The valid inputs a target's fuzzing starts from."""
    return MULTIPART_SEEDS if target is multipart_target else SEEDS
