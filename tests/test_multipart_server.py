"""with_form_data and FileUpload through the real server on both runtimes:
request.form and request.files, copies in memory or in temporary files
(removed when the request ends), save and copy, a large upload read from
request.stream, and malformed bodies answered with 400 while the server
keeps serving."""
import hashlib
import os

from microdot import Microdot, Request
from microdot.multipart import FileUpload, FormDataIter, with_form_data
import support
from multipart_helpers import form_body
from server_helpers import Conn, serve_app

app = Microdot()
TMP = support.tmpdir()
seen = {}


@app.post('/form')
@with_form_data
async def form(request):
    files = []
    for name in request.files:
        for f in request.files.getlist(name):
            files.append([name, f.filename, f.content_type,
                          f._path is not None, (await f.read()).decode()])
    files.sort()
    return {'form': [[k, request.form.getlist(k)] for k in
                     sorted(request.form)], 'files': files}


@app.post('/save')
@with_form_data
async def save(request):
    for name in request.files:
        f = request.files[name]
        path = TMP + '/saved-' + f.filename
        if name == 'part':  # read a little first: the rest is copied
            head = await f.read(3)
            with open(path, 'wb') as out_file:
                out_file.write(head)
                await f.save(out_file)
        else:
            await f.save(path)  # a temporary copy is moved, not copied
        seen[name] = f._path
    return 'saved'


@app.post('/urlencoded')
@with_form_data
async def urlencoded(request):
    return {'a': request.form['a'], 'files': len(request.files)}


@app.post('/nofiles')
async def nofiles(request):
    return {'files': request.files}


@app.post('/stream')
async def stream(request):
    digest = hashlib.sha256()
    size = 0
    async for name, value in FormDataIter(request):
        if isinstance(value, FileUpload):
            while True:
                data = await value.read(1024)
                if not data:
                    break
                digest.update(data)
                size += len(data)
    return {'size': size, 'sha': _hex(digest.digest())}


def _hex(b):
    return ''.join(['%02x' % c for c in b])


def _post(path, body, ct='multipart/form-data; boundary=B0und4ry',
          n=None):
    return ('POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\n'
            'Content-Length: %d\r\n\r\n' % (
                path, ct, len(body) if n is None else n)).encode() + body


def _upload(path, body):
    """POST body to path with temporary copies in TMP; the 200 body."""
    async def client(port):
        c = await Conn().open(port)
        await c.send(_post(path, body))
        status, h, res = await c.response()
        assert status == 200, res
        await c.close()
        return res
    saved = FileUpload.tmp_dir
    FileUpload.tmp_dir = TMP
    try:
        return serve_app(app, client)
    finally:
        FileUpload.tmp_dir = saved


def test_form_and_files_with_copies_in_memory_and_on_disk():
    body = form_body([('a', '1'), ('a', '2'), ('small', b'tiny', 's.txt'),
                      ('big', b'B' * 3000, '../big.bin', 'x/y')])

    res = _upload('/form', body)
    import json
    assert json.loads(res) == {
        'form': [['a', ['1', '2']]],
        'files': [['big', 'big.bin', 'x/y', True, 'B' * 3000],
                  ['small', 's.txt', 'application/octet-stream', False,
                   'tiny']]}
    # the temporary copy of 'big' is gone once the request ended
    assert [n for n in os.listdir(TMP) if n.startswith('microdot-')] == []


def test_save_moves_or_copies_and_cleans_up():
    blob = bytes(range(256)) * 20
    body = form_body([('whole', blob, 'w.bin'), ('part', blob, 'p.bin'),
                      ('mem', b'small', 'm.bin')])
    want = _hex(hashlib.sha256(blob).digest())

    assert _upload('/save', body) == b'saved'
    for name in ('w', 'p'):
        with open(TMP + '/saved-' + name + '.bin', 'rb') as f:
            assert _hex(hashlib.sha256(f.read()).digest()) == want
    with open(TMP + '/saved-m.bin', 'rb') as f:
        assert f.read() == b'small'
    # 'whole' was moved (no temporary file left to remove), 'part' copied
    assert seen['whole'] is None and seen['part'] and seen['mem'] is None
    assert [n for n in os.listdir(TMP) if n.startswith('microdot-')] == []


def test_urlencoded_form_still_works():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_post('/urlencoded', b'a=x+y',
                           'application/x-www-form-urlencoded'))
        assert (await c.response())[2] == b'{"a": "x y", "files": 0}'
        # without with_form_data there are no files, as in Microdot
        await c.send(_post('/nofiles', form_body([('f', b'x', 'f.txt')])))
        assert (await c.response())[2] == b'{"files": null}'
        await c.close()
    serve_app(app, client)


def _serve_streamed(client):
    """serve_app with bodies over 4 KB left in request.stream."""
    limits = Request.max_content_length, Request.max_body_length
    Request.max_content_length = 1024 * 1024
    Request.max_body_length = 4096
    try:
        serve_app(app, client)
    finally:
        Request.max_content_length, Request.max_body_length = limits


def test_large_upload_streams_through_request_stream():
    # 301 KB, > max_body_length: the parser reads request.stream; the
    # client sends it in pieces (it would not fit a small heap either)
    piece = bytes(range(251)) * 16
    count = 75
    head, _, tail = form_body([('note', 'hi'), ('f', b'@', 'big.bin')]) \
        .partition(b'@')
    digest = hashlib.sha256()
    for _ in range(count):
        digest.update(piece)
    want = '{"size": %d, "sha": "%s"}' % (len(piece) * count,
                                          _hex(digest.digest()))

    async def client(port):
        c = await Conn().open(port)
        n = len(head) + len(piece) * count + len(tail)
        await c.send(_post('/stream', b'', n=n) + head)
        for _ in range(count):
            await c.send(piece)
        await c.send(tail)
        status, h, res = await c.response()
        assert (status, res) == (200, want.encode()), res
        await c.close()
    _serve_streamed(client)


def test_malformed_bodies_are_400_and_server_keeps_serving():
    ok = form_body([('a', '1')])
    bad = [
        ('multipart/form-data', ok),  # no boundary
        ('multipart/form-data; boundary=other', ok),
        (None, ok.replace(b'B0und4ry\r\n', b'B0und4ry', 1)),  # no CRLF
        (None, ok[:-10]),  # truncated
        (None, b'--B0und4ry\r\nX: ' + b'h' * 3000 + b'\r\n\r\n1\r\n' +
         b'--B0und4ry--\r\n'),  # part header too long
    ]

    async def client(port):
        for ct, body in bad:
            c = await Conn().open(port)
            await c.send(_post('/form', body, ct or
                               'multipart/form-data; boundary=B0und4ry') +
                         _post('/form', ok))
            assert (await c.response())[0] == 400, body[:40]
            # the same connection serves the next request
            assert (await c.response())[0] == 200
            await c.close()
        # a refused large body streamed in: that connection closes, the
        # server goes on
        c = await Conn().open(port)
        await c.send(_post('/form', b'--B0und4ry\r\nX: y\r\n\r\n' +
                           b'z' * 4000, n=200000))
        for _ in range(4):
            await c.send(b'z' * 4000)
        status, h, res = await c.response()
        assert status == 400
        await c.close()
        c = await Conn().open(port)
        await c.send(_post('/form', ok))
        assert (await c.response())[0] == 200
        await c.close()
    _serve_streamed(client)
