"""Templates through the real server, both runtimes: a rendered page, a
page streamed with generate() and generate_async() (chunked, pieces in
order), a single block, and two streamed renders of one template at once
that must not mix their contexts."""
import asyncio

from microdot import Microdot, Response
from microdot.template import Template
from server_helpers import Conn, serve_app

import support

PAGE = '''{% args title, items %}
<html><title>{{ title }}</title>
<ul>
{% for item in items %}
  <li>{{ item }}</li>
{% endfor %}
</ul>
{% block count %}<p>{{ len(items) }} for {{ title }}</p>{% endblock %}
</html>
'''
HTML = {'Content-Type': 'text/html; charset=UTF-8'}
ITEMS = ['<one>', 'two', 'three']

app = Microdot()


@app.route('/page')
async def page(req):
    return Template('page.html').render('Page & co', ITEMS), HTML


async def yielding(pieces):
    # hands over to the other connections between pieces
    for piece in pieces:
        await asyncio.sleep(0)
        yield piece


@app.route('/stream')
async def stream(req):
    n = int(req.args.get('n', '3'))
    title = req.args.get('t', 'S')
    body = Template('page.html').generate(
        title, ['%s%d' % (title, i) for i in range(n)])
    if 'slow' in req.args:
        body = yielding(body)
    return Response(body, headers=HTML)


@app.route('/stream-async')
async def stream_async(req):
    return Response(Template('page.html').generate_async(
        title='A', items=ITEMS), headers=HTML)


@app.route('/block')
def block(req):
    return Template('page.html').render_block('count', 'B', [1, 2]), HTML


def setup_module(module=None):
    d = support.tmpdir()
    with open(d + '/page.html', 'w') as f:
        f.write(PAGE)
    Template.initialize(d)


def teardown_module(module=None):
    Template.initialize()


def _get(path):
    return ('GET ' + path + ' HTTP/1.1\r\nHost: x\r\n\r\n').encode()


def test_rendered_and_streamed_pages():
    expected = Template('page.html').render('Page & co', ITEMS)
    assert '<li>&lt;one&gt;</li>' in expected
    assert '<title>Page &amp; co</title>' in expected

    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/page') + _get('/stream-async') + _get('/block'))
        status, h, body = await c.response()
        assert status == 200 and body.decode() == expected
        assert h['content-type'] == HTML['Content-Type']
        assert h['content-length'] == str(len(body))
        status, h, body = await c.response()
        assert status == 200 and h['transfer-encoding'] == 'chunked'
        assert body.decode() == Template('page.html').render('A', ITEMS)
        status, h, body = await c.response()
        assert body == b'<p>2 for B</p>'
        await c.close()
    serve_app(app, client)


def test_generate_streams_chunked_in_order():
    n = 40
    expected = Template('page.html').render(
        'S', ['S%d' % i for i in range(n)]).encode()

    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/stream?n=%d' % n))
        status, h, body = await c.response()
        await c.close()
        return status, h, body
    status, h, body = serve_app(app, client)
    assert status == 200 and h['transfer-encoding'] == 'chunked'
    assert 'content-length' not in h
    assert body == expected


def test_concurrent_streams_of_one_template_keep_their_context():
    async def one(port, title):
        c = await Conn().open(port)
        await c.send(_get('/stream?slow=1&n=10&t=' + title))
        status, h, body = await c.response()
        await c.close()
        return body.decode()

    async def client(port):
        return await asyncio.gather(one(port, 'X'), one(port, 'Y'),
                                    one(port, 'Z'))
    outs = serve_app(app, client)
    for title, out in zip('XYZ', outs):
        assert out == Template('page.html').render(
            title, ['%s%d' % (title, i) for i in range(10)]), out
