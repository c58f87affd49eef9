"""microdot.utemplate.Template on the real utemplate package (PyPI
``utemplate``, installed by tools/setup.sh through
tools/install_utemplate.py): Microdot's behaviour, where templates are
compiled to modules beside them and nothing is escaped."""
RUNTIMES = ('cpython',)  # the utemplate package is installed on CPython

import asyncio
import os
import sys

import support

try:
    import utemplate.recompile  # noqa: F401
except ImportError:  # pragma: no cover
    raise AssertionError('the utemplate package is missing: run '
                         'tools/setup.sh (tools/install_utemplate.py)')

from microdot import Microdot, Response
from microdot import utemplate as mu
from microdot.utemplate import Template
from server_helpers import Conn, serve_app

DIRNAME = 'utpl_%d' % os.getpid()  # imported as a package: a unique name
FILES = {
    'hello.html': '{% args name, punct="!" %}Hello, {{ name }}{{ punct }}\n',
    'page.html': '{% args title, items %}<h1>{{ title }}</h1>\n'
                 '{% for i in items %}<li>{{ i }}</li>{% endfor %}\n'
                 '{% include "hello.html" title %}',
}


def setup_module(module):
    global OLD_CWD, ROOT
    OLD_CWD = os.getcwd()
    ROOT = support.tmpdir()
    os.mkdir(os.path.join(ROOT, DIRNAME))
    for name, text in FILES.items():
        with open(os.path.join(ROOT, DIRNAME, name), 'w') as f:
            f.write(text)
    os.chdir(ROOT)               # utemplate loads relative to the cwd
    sys.path.insert(0, ROOT)     # and imports the compiled templates
    Template.initialize(DIRNAME)


def teardown_module(module):
    os.chdir(OLD_CWD)
    sys.path.remove(ROOT)
    Template._ready = False


def test_the_real_package_renders():
    assert mu.recompile is utemplate.recompile
    assert isinstance(Template._loader, utemplate.recompile.Loader)
    t = Template('hello.html')
    assert t.name == 'hello.html' and callable(t.template)
    assert t.render('<b>') == 'Hello, <b>!\n'          # utemplate: no escaping
    assert t.render(name='Ann', punct='?') == 'Hello, Ann?\n'
    assert list(t.generate('x')) == ['Hello, ', 'x', '!', '\n']
    out = Template('page.html').render('T', [1, 2])
    assert out == '<h1>T</h1>\n<li>1</li><li>2</li>Hello, T!\n'
    # compiled to a module beside the template
    assert os.path.exists(os.path.join(ROOT, DIRNAME, 'hello_html.py'))


def test_async_variants():
    async def main():
        out = await Template('hello.html').render_async('A')
        pieces = [p async for p in Template('hello.html').generate_async('G')]
        return out, pieces
    assert asyncio.run(main()) == ('Hello, A!\n', ['Hello, ', 'G', '!', '\n'])


def test_recompiles_a_changed_template():
    # recompile.Loader rewrites the module of a template newer than it (a
    # module already imported stays in sys.modules: utemplate's behaviour)
    path = os.path.join(ROOT, DIRNAME, 'change.html')
    with open(path, 'w') as f:
        f.write('old')
    assert Template('change.html').render() == 'old'
    compiled = os.path.join(ROOT, DIRNAME, 'change_html.py')
    written = os.stat(compiled).st_mtime
    with open(path, 'w') as f:
        f.write('new')
    os.utime(path, (written + 5, written + 5))
    sys.modules.pop(DIRNAME + '.change_html', None)
    assert Template('change.html').render() == 'new'


def test_other_loader_class_and_missing_template():
    from utemplate import source
    Template.initialize(DIRNAME, loader_class=source.Loader)
    try:
        assert Template('hello.html').render('L') == 'Hello, L!\n'
        support.raises(OSError, Template, 'missing.html')
    finally:
        Template.initialize(DIRNAME)


def test_streamed_through_the_server():
    app = Microdot()

    @app.route('/')
    async def index(req):
        return Response(Template('page.html').generate('S', ['a', 'b']),
                        headers={'Content-Type': 'text/html'})

    async def client(port):
        c = await Conn().open(port)
        await c.send(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        res = await c.response()
        await c.close()
        return res
    status, h, body = serve_app(app, client)
    assert status == 200 and h['transfer-encoding'] == 'chunked'
    assert body == b'<h1>S</h1>\n<li>a</li><li>b</li>Hello, S!\n'
