"""send_file in a Microdot 2.x app, through the TestClient: content type by
extension, max_age, pre-compressed files, streams and missing files."""
from microdot import Microdot, Response, send_file
from microdot.test_client import TestClient
import support

_dir = None
BIG = b'0123456789abcdef' * 400  # 6400 bytes: several send buffers


def setup_module(module=None):
    global _dir
    _dir = support.tmpdir()
    for name, data in (('page.html', b'<h1>hi</h1>'), ('data.json', b'[1]'),
                       ('style.css', b'p{}'), ('note.txt', b'note'),
                       ('blob.xyz', b'\x00\x01'), ('noext', b'raw'),
                       ('app.js.gz', b'\x1f\x8bfake-gzip'),
                       ('index.html.gz', b'\x1f\x8bhtml-gzip'),
                       ('big.bin', BIG)):
        with open(_dir + '/' + name, 'wb') as f:
            f.write(data)


def teardown_module(module=None):
    import os
    for name in os.listdir(_dir):
        os.remove(_dir + '/' + name)
    os.rmdir(_dir)


def _app():
    app = Microdot()

    @app.route('/f/<path:name>')
    def files(req, name):
        kwargs = {}
        if 'max_age' in req.args:
            kwargs['max_age'] = int(req.args['max_age'])
        if 'type' in req.args:
            kwargs['content_type'] = req.args['type']
        if 'compressed' in req.args:
            kwargs['compressed'] = True
        if 'ext' in req.args:
            kwargs['file_extension'] = req.args['ext']
        return send_file(_dir + '/' + name, **kwargs)

    @app.route('/cls/<name>')
    def cls(req, name):
        return Response.send_file(_dir + '/' + name, status_code=203)

    return app


async def _content_types():
    c = TestClient(_app())
    for name, ctype, body in (
            ('page.html', 'text/html', b'<h1>hi</h1>'),
            ('data.json', 'application/json', b'[1]'),
            ('style.css', 'text/css', b'p{}'),
            ('note.txt', 'text/plain', b'note'),
            ('blob.xyz', 'application/octet-stream', b'\x00\x01'),
            ('noext', 'application/octet-stream', b'raw')):
        res = await c.get('/f/' + name)
        assert res.status_code == 200, name
        assert res.headers['Content-Type'].startswith(ctype), name
        assert res.body == body
        assert 'Content-Encoding' not in res.headers
        assert 'Cache-Control' not in res.headers
    res = await c.get('/f/blob.xyz?type=image/x-custom')
    assert res.headers['Content-Type'] == 'image/x-custom'
    res = await c.get('/cls/note.txt')
    assert res.status_code == 203 and res.body == b'note'


def test_content_types():
    support.run(_content_types())


async def _big_file_and_head():
    c = TestClient(_app())
    res = await c.get('/f/big.bin')
    assert res.status_code == 200
    assert res.body == BIG
    assert res.headers['Content-Length'] == str(len(BIG))
    res = await c.request('HEAD', '/f/big.bin')
    assert res.status_code == 200 and res.body == b''
    assert res.headers['Content-Length'] == str(len(BIG))


def test_big_file_and_head():
    support.run(_big_file_and_head())


async def _max_age():
    c = TestClient(_app())
    res = await c.get('/f/note.txt?max_age=60')
    assert res.headers['Cache-Control'] == 'max-age=60'
    res = await c.get('/f/note.txt?max_age=0')
    assert res.headers['Cache-Control'] == 'max-age=0'
    saved = Response.default_send_file_max_age
    Response.default_send_file_max_age = 300
    try:
        res = await c.get('/f/note.txt')
        assert res.headers['Cache-Control'] == 'max-age=300'
        res = await c.get('/f/note.txt?max_age=5')
        assert res.headers['Cache-Control'] == 'max-age=5'
    finally:
        Response.default_send_file_max_age = saved


def test_max_age():
    support.run(_max_age())


async def _compressed():
    c = TestClient(_app())
    # the .gz file named in full: the type is that of what it holds
    res = await c.get('/f/app.js.gz?compressed=1')
    assert res.headers['Content-Encoding'] == 'gzip'
    assert res.headers['Content-Type'].startswith('application/javascript')
    assert res.body == b'\x1f\x8bfake-gzip'
    # the name without .gz, the extension given apart
    res = await c.get('/f/index.html?compressed=1&ext=.gz')
    assert res.status_code == 200
    assert res.headers['Content-Encoding'] == 'gzip'
    assert res.headers['Content-Type'].startswith('text/html')
    assert res.body == b'\x1f\x8bhtml-gzip'
    res = await c.get('/f/app.js?ext=.gz')
    assert res.headers['Content-Type'].startswith('application/javascript')
    assert 'Content-Encoding' not in res.headers

    app = Microdot()

    @app.route('/br')
    def br(req):
        return send_file(_dir + '/note.txt', compressed='br')

    res = await TestClient(app).get('/br')
    assert res.headers['Content-Encoding'] == 'br'


def test_compressed():
    support.run(_compressed())


async def _missing():
    c = TestClient(_app())
    res = await c.get('/f/nope.txt')
    assert res.status_code == 404
    res = await c.get('/f/page.html?ext=.gz')
    assert res.status_code == 404
    assert (await c.get('/f/page.html')).status_code == 200


def test_missing():
    support.run(_missing())


async def _stream():
    import io
    app = Microdot()

    @app.route('/s')
    def s(req):
        return send_file('report.csv', stream=io.BytesIO(b'a,b\n1,2\n'))

    @app.route('/open')
    def opened(req):
        return send_file('whatever.html', stream=open(_dir + '/note.txt',
                                                      'rb'))

    c = TestClient(app)
    res = await c.get('/s')
    assert res.status_code == 200 and res.body == b'a,b\n1,2\n'
    assert res.headers['Content-Type'].startswith('application/octet-stream')
    res = await c.get('/open')
    assert res.headers['Content-Type'].startswith('text/html')
    assert res.body == b'note'


def test_stream():
    support.run(_stream())
