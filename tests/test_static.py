"""Static files under a root directory: content types, index pages, the
.gz twin for clients that accept gzip, caching, and every attempt to leave
the root answered with 404 (both runtimes, through the test client and the
real server)."""
import os

from microdot import Microdot
from microdot.static import safe_join, static_files
from microdot.test_client import TestClient
from server_helpers import Conn, serve_app
import support


def _site():
    root = support.tmpdir()
    os.mkdir(root + '/css')
    os.mkdir(root + '/docs')
    for name, data in (('index.html', b'<h1>home</h1>'),
                       ('css/site.css', b'body{}'),
                       ('docs/index.html', b'docs'),
                       ('app.js', b'plain js'), ('app.js.gz', b'\x1f\x8bgz'),
                       ('only.js.gz', b'\x1f\x8bonly')):
        with open(root + '/' + name, 'wb') as f:
            f.write(data)
    with open(root + '/../secret.txt', 'wb') as f:
        f.write(b'secret')
    app = Microdot()
    static_files(app, '/static', root, max_age=60)
    return app


def test_safe_join_refuses_escapes():
    assert safe_join('/r', 'a/b.txt') == '/r/a/b.txt'
    for bad in ('../x', 'a/../../x', '/etc/passwd', 'a//b', './a', 'a/.',
                'a\\..\\b', 'a\x00b', '..'):
        assert safe_join('/r', bad) is None, bad


def test_files_index_and_gzip():
    async def run():
        c = TestClient(_site())
        res = await c.get('/static/css/site.css')
        assert res.status_code == 200 and res.body == b'body{}'
        assert res.headers['Content-Type'].startswith('text/css')
        assert res.headers['Cache-Control'] == 'max-age=60'
        res = await c.get('/static/')
        assert res.body == b'<h1>home</h1>'
        res = await c.get('/static/docs')
        assert res.body == b'docs'
        res = await c.get('/static/docs/')
        assert res.body == b'docs'
        res = await c.get('/static/app.js')
        assert res.body == b'plain js' and 'Content-Encoding' not in \
            res.headers
        res = await c.get('/static/app.js',
                          headers={'Accept-Encoding': 'gzip, br'})
        assert res.body == b'\x1f\x8bgz'
        assert res.headers['Content-Encoding'] == 'gzip'
        assert res.headers['Content-Type'].startswith(
            'application/javascript')
        assert res.headers['Vary'] == 'Accept-Encoding'
        res = await c.get('/static/only.js')
        assert res.status_code == 406
        res = await c.get('/static/only.js',
                          headers={'Accept-Encoding': 'gzip'})
        assert res.status_code == 200 and res.body == b'\x1f\x8bonly'
        res = await c.get('/static/missing.txt')
        assert res.status_code == 404
    support.run(run())


TRAVERSALS = ('/static/../secret.txt', '/static/%2e%2e/secret.txt',
              '/static/css/%2E%2E/%2e%2e/secret.txt',
              '/static/..%2fsecret.txt', '/static/%2fetc%2fpasswd',
              '/static/css//site.css', '/static/.%2e/secret.txt',
              '/static/..%5csecret.txt', '/static/%00',
              '/static/%252e%252e/secret.txt',
              '/static/%c0%ae%c0%ae/secret.txt', '/static/..%c0%afsecret.txt')


def test_traversal_is_404_through_the_test_client():
    async def run():
        c = TestClient(_site())
        for path in TRAVERSALS:
            res = await c.get(path)
            assert res.status_code == 404, (path, res.status_code)
            assert b'secret' not in res.body
    support.run(run())


def test_traversal_is_404_through_the_real_server():
    app = _site()

    async def client(port):
        for path in TRAVERSALS + tuple('http://x' + t for t in TRAVERSALS):
            c = await Conn().open(port)
            await c.send(('GET ' + path + ' HTTP/1.1\r\nHost: x\r\n'
                          'Connection: close\r\n\r\n').encode())
            status, h, body = await c.response()
            assert status in (400, 404), (path, status)
            assert b'secret' not in body
            await c.close()
    serve_app(app, client)


def _link(target, name):
    if hasattr(os, 'symlink'):
        os.symlink(target, name)
    else:  # MicroPython's unix port
        assert os.system('ln -s %s %s' % (target, name)) == 0


def test_paths_through_a_symbolic_link_are_404_unless_followed():
    app = _site()
    root = support.tmpdir()
    os.mkdir(root + '/www')
    with open(root + '/www/plain.txt', 'wb') as f:
        f.write(b'plain')
    with open(root + '/outside.txt', 'wb') as f:
        f.write(b'outside')
    os.mkdir(root + '/elsewhere')
    with open(root + '/elsewhere/index.html', 'wb') as f:
        f.write(b'elsewhere')
    _link(root + '/outside.txt', root + '/www/out.txt')
    _link(root + '/elsewhere', root + '/www/dir')
    app = Microdot()
    static_files(app, '/s', root + '/www')
    static_files(app, '/f', root + '/www', follow_symlinks=True)

    async def run():
        c = TestClient(app)
        assert (await c.get('/s/plain.txt')).body == b'plain'
        for path in ('/s/out.txt', '/s/dir/index.html', '/s/dir/',
                     '/s/dir'):
            res = await c.get(path)
            assert res.status_code == 404, path
            assert b'outside' not in res.body and b'else' not in res.body
        assert (await c.get('/f/out.txt')).body == b'outside'
        assert (await c.get('/f/dir/')).body == b'elsewhere'
    support.run(run())
