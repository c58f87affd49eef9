"""microdot.jinja.Template (Microdot's API on Jinja2, CPython only):
initialize, render, generate, the async engine, autoescape, blocks, and a
template streamed through the real server."""
RUNTIMES = ('cpython',)  # Jinja2 is a CPython package

import asyncio
import os

import jinja2

import support
from microdot import Microdot, Response
from microdot.jinja import Template
from server_helpers import Conn, serve_app

FILES = {
    'hello.html': 'Hello, {{ name }}!',
    'hello.txt': 'Hello, {{ name }}!',
    'page.html': '<h1>{{ title }}</h1>{% for i in items %}<li>{{ i }}</li>'
                 '{% endfor %}{% block stats %}<p>{{ items|length }}</p>'
                 '{% endblock %}',
}


def setup_module(module):
    global DIR
    DIR = support.tmpdir()
    for name, text in FILES.items():
        with open(os.path.join(DIR, name), 'w') as f:
            f.write(text)
    Template.initialize(DIR)


def teardown_module(module):
    Template.jinja_env = None


def test_render_generate_and_autoescape():
    t = Template('hello.html')
    assert t.name == 'hello.html'
    assert isinstance(t.template, jinja2.Template)
    assert t.render(name='<b>') == 'Hello, &lt;b&gt;!'     # .html: escaped
    assert Template('hello.txt').render(name='<b>') == 'Hello, <b>!'
    assert t.render({'name': 'dict'}) == 'Hello, dict!'
    g = t.generate(name='x')
    assert not isinstance(g, str) and ''.join(g) == 'Hello, x!'
    assert Template('page.html').render(title='T', items=[1, 2]) == \
        '<h1>T</h1><li>1</li><li>2</li><p>2</p>'


def test_blocks_render_alone():
    t = Template('page.html')
    assert t.render_block('stats', items=[1, 2, 3]) == '<p>3</p>'
    assert ''.join(t.generate_block('stats', {'items': []})) == '<p>0</p>'


def test_first_template_initializes_with_the_defaults():
    Template.jinja_env = None
    try:
        support.raises(jinja2.TemplateNotFound, Template, 'hello.html')
        assert Template.jinja_env is not None
        assert not Template.jinja_env.is_async
    finally:
        Template.initialize(DIR)


def test_environment_options_and_get_template_options():
    Template.initialize(DIR, autoescape=False, trim_blocks=True)
    try:
        assert Template('hello.html').render(name='<b>') == 'Hello, <b>!'
        assert Template.jinja_env.trim_blocks
        t = Template('hello.html', globals={'name': 'global'})
        assert t.render() == 'Hello, global!'
    finally:
        Template.initialize(DIR)


def test_async_needs_enable_async():
    async def render():
        return await Template('hello.html').render_async(name='a')
    e = support.raises(RuntimeError, asyncio.run, render())
    assert 'async' in str(e)


def test_enable_async():
    Template.initialize(DIR, enable_async=True)
    try:
        async def main():
            out = await Template('hello.html').render_async(name='<a>')
            pieces = [p async for p in
                      Template('page.html').generate_async(title='T',
                                                           items=[1])]
            return out, ''.join(pieces)
        assert asyncio.run(main()) == (
            'Hello, &lt;a&gt;!', '<h1>T</h1><li>1</li><p>1</p>')
    finally:
        Template.initialize(DIR)


def _fetch(app, path):
    async def client(port):
        c = await Conn().open(port)
        await c.send(b'GET ' + path + b' HTTP/1.1\r\nHost: x\r\n\r\n')
        res = await c.response()
        await c.close()
        return res
    return serve_app(app, client)


app = Microdot()
HTML = {'Content-Type': 'text/html'}


@app.route('/async')
async def stream_async(req):
    return Response(Template('page.html').generate_async(
        title='<A>', items=range(3)), headers=HTML)


@app.route('/sync')
def stream_sync(req):
    return Response(Template('page.html').generate(title='S', items=[]),
                    headers=HTML)


def test_streamed_through_the_server():
    status, h, body = _fetch(app, b'/sync')
    assert status == 200 and h['transfer-encoding'] == 'chunked'
    assert body == b'<h1>S</h1><p>0</p>'
    Template.initialize(DIR, enable_async=True)
    try:
        status, h, body = _fetch(app, b'/async')
    finally:
        Template.initialize(DIR)
    assert status == 200 and h['transfer-encoding'] == 'chunked'
    assert body == b'<h1>&lt;A&gt;</h1><li>0</li><li>1</li><li>2</li><p>3</p>'
