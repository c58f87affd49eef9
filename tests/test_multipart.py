"""microdot.multipart's parser on both runtimes, without sockets: fields and
files, any fragmentation of the body, filenames made safe, and the exact
status of every malformed or oversized body."""
from microdot.http11 import HTTPException
from microdot.multipart import FormDataIter, safe_filename
import support
from multipart_helpers import FakeRequest, collect, form_body

# data that looks like the start of a delimiter, split anywhere
TRICKY = b'\r\n--B0und4\r\n--B0und\r\r\n-\r\n--B0und4r\xff\x00end\r'


def parse(body, size=1024, read_size=-1, **kw):
    return support.run(collect(FakeRequest(body, size, **kw), read_size))


def status(body, size=1024, read_size=-1, **kw):
    try:
        parse(body, size, read_size, **kw)
    except HTTPException as exc:
        return exc.status_code
    return None


def test_fields_and_files():
    body = form_body([('a', '1'), ('a', 'caf\xe9'), ('empty', ''),
                      ('f', b'file\r\ndata', 'notes.txt', 'text/plain'),
                      ('g', b'', 'empty.bin')])
    assert parse(body) == [
        ('a', '1'), ('a', 'caf\xe9'), ('empty', ''),
        ('f', ('notes.txt', 'text/plain', b'file\r\ndata')),
        ('g', ('empty.bin', 'application/octet-stream', b''))]


def test_every_fragmentation_gives_the_same_result():
    body = form_body([('t', TRICKY), ('f', TRICKY * 3, 'x.bin'),
                      ('u', 'after')])
    want = parse(body)
    assert want[1] == ('f', ('x.bin', 'application/octet-stream',
                             TRICKY * 3))
    assert want[2] == ('u', 'after')
    for size in (1, 2, 3, 5, 7, 11, 13, 31, 64, 200):
        for read_size in (-1, 1, 4, 100):
            assert parse(body, size, read_size) == want, (size, read_size)
    assert parse(body, [1, 50, 3, 17]) == want


def test_preamble_epilogue_padding_and_quoting():
    body = (b'preamble to ignore\r\n--B0und4ry  \t\r\n'
            b'content-disposition: form-data; name=plain\r\n\r\nv1\r\n'
            b'--B0und4ry\r\nContent-Disposition: form-data; '
            b'name="q;\\"x\\""; filename="a;b \\"c\\".txt"\r\n'
            b'Content-Type: image/png\r\n\r\nPNG\r\n'
            b'--B0und4ry--\r\nepilogue, ignored')
    assert parse(body) == [
        ('plain', 'v1'), ('q;"x"', ('a;b "c".txt', 'image/png', b'PNG'))]
    quoted = 'multipart/form-data; charset=utf-8; boundary="B0und4ry"'
    assert parse(form_body([('a', 'b')]), content_type=quoted) == \
        [('a', 'b')]


def test_unread_file_is_skipped():
    body = form_body([('f', b'x' * 5000, 'big.bin'), ('after', 'yes')])

    async def run():
        out = []
        async for name, value in FormDataIter(FakeRequest(body, 100)):
            if name == 'f':
                out.append(await value.read(10))
            else:
                out.append(value)
        return out
    assert support.run(run()) == [b'x' * 10, 'yes']


def test_other_content_types_yield_nothing():
    for ct in ('application/x-www-form-urlencoded', 'text/plain', ''):
        assert parse(b'a=1', content_type=ct) == []


def test_safe_filename():
    assert safe_filename('../../etc/passwd') == 'passwd'
    assert safe_filename('C:\\Users\\me\\photo.jpg') == 'photo.jpg'
    assert safe_filename('/abs/path/') == ''
    assert safe_filename('..') == '' and safe_filename('.') == ''
    assert safe_filename('a\x00b\nc\x7f.txt') == 'abc.txt'
    assert safe_filename('.hidden') == '.hidden'
    assert safe_filename('na\xefve r\xe9sum\xe9.pdf') == \
        'na\xefve r\xe9sum\xe9.pdf'
    body = form_body([('f', b'x', '../../../tmp/evil.sh')])
    assert parse(body)[0][1][0] == 'evil.sh'


def test_malformed_bodies_are_400():
    ok = form_body([('a', '1')])
    ct = 'multipart/form-data'
    assert status(ok, content_type=ct) == 400  # no boundary
    assert status(ok, content_type=ct + '; boundary=') == 400
    assert status(ok, content_type=ct + '; boundary=' + 'x' * 71) == 400
    assert status(ok, content_type=ct + '; boundary=other') == 400
    assert status(ok, content_type=ct + '; boundary="B0und') == 400
    # no CRLF after the boundary, nor after the part headers
    assert status(ok.replace(b'B0und4ry\r\n', b'B0und4ryX', 1)) == 400
    assert status(ok.replace(b'"a"\r\n\r\n', b'"a"\r\n1\r\n')) == 400
    for cut in (1, 12, 20, 50, len(ok) - 5):  # truncated anywhere
        assert status(ok[:cut]) == 400, cut
    assert status(b'') == 400
    bad_parts = (b'Content-Type: text/plain',  # no Content-Disposition
                 b'Content-Disposition: attachment; name="a"',
                 b'Content-Disposition: form-data; filename="x"',  # no name
                 b'Content-Disposition: form-data; name="a',
                 b'Content-Disposition: form-data; name="a"x',
                 b'Content-Disposition: form-data; =x; name=a',
                 b'no colon here')
    for head in bad_parts:
        body = b'--B0und4ry\r\n' + head + b'\r\n\r\nv\r\n--B0und4ry--\r\n'
        assert status(body) == 400, head
        assert status(body, 3) == 400, head


def test_part_header_limit_is_400():
    limit = FormDataIter.max_part_header_size
    name = 'n' * (limit - 60)
    assert parse(form_body([(name, 'v')]), 7) == [(name, 'v')]
    long = form_body([('n' * (limit + 1), 'v')])
    assert status(long) == 400 and status(long, 5) == 400
    # a header block that never ends is refused without reading it all
    endless = b'--B0und4ry\r\nX-Pad: ' + b'p' * 20000
    req = FakeRequest(endless, 512)
    exc = support.raises(HTTPException, support.run, collect(req))
    assert exc.status_code == 400 and req.stream.pos < 4 * limit


def test_size_limits_are_413():
    saved = (FormDataIter.max_parts, FormDataIter.max_field_size,
             FormDataIter.max_file_size)
    try:
        FormDataIter.max_parts = 3
        FormDataIter.max_field_size = 100
        FormDataIter.max_file_size = 1000
        assert len(parse(form_body([('a', 'x' * 100)] * 3))) == 3
        assert status(form_body([('a', '1')] * 4)) == 413
        assert status(form_body([('a', 'x' * 101)])) == 413
        assert status(form_body([('a', 'x' * 101)]), 9) == 413
        assert len(parse(form_body([('f', b'x' * 1000, 'f')]))) == 1
        assert status(form_body([('f', b'x' * 1001, 'f')])) == 413
        assert status(form_body([('f', b'x' * 1001, 'f')]), 7, 3) == 413
        FormDataIter.max_file_size = None  # files are limited elsewhere
        assert len(parse(form_body([('f', b'x' * 5000, 'f')]))[0][1][2]) \
            == 5000
    finally:
        (FormDataIter.max_parts, FormDataIter.max_field_size,
         FormDataIter.max_file_size) = saved
