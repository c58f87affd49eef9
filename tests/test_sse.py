"""microdot.sse on both runtimes: the event format (format_event) and event
streams through the real server with a raw client: headers, framing,
URL arguments, keep-alive comments, HEAD and HTTP/1.0."""
import asyncio

from microdot import Microdot
from microdot.sse import SSE, format_event, sse_response, with_sse
import support
from server_helpers import Conn, serve_app


def test_format_event_data_kinds():
    assert format_event('hello') == b'data: hello\n\n'
    assert format_event(b'raw \xff') == b'data: raw \xff\n\n'
    assert format_event({'a': [1, 2]}) == b'data: {"a": [1, 2]}\n\n'
    assert format_event([1, 'x']) == b'data: [1, "x"]\n\n'
    assert format_event(42) == b'data: 42\n\n'
    assert format_event('') == b'data: \n\n'
    assert format_event('caf\xe9') == b'data: caf\xc3\xa9\n\n'


def test_format_event_multiline_data_gets_one_field_per_line():
    want = b'data: a\ndata: b\ndata: \ndata: c\n\n'
    assert format_event('a\nb\n\nc') == want
    assert format_event('a\r\nb\r\n\r\nc') == want
    assert format_event(b'a\rb\r\rc') == want
    # a line that looks like a field stays data
    assert format_event('x\nevent: evil\nid: 9') == \
        b'data: x\ndata: event: evil\ndata: id: 9\n\n'


def test_format_event_fields_and_comment():
    assert format_event({'t': 1}, event='reading', event_id='7') == \
        b'event: reading\nid: 7\ndata: {"t": 1}\n\n'
    assert format_event('x', event_id=12) == b'id: 12\ndata: x\n\n'
    assert format_event('x', retry=2.5) == b'retry: 2500\ndata: x\n\n'
    assert format_event('ping', comment=True) == b': ping\n\n'
    assert format_event('a\nb', event='e', comment=True) == b': a\n: b\n\n'


def test_format_event_refuses_line_breaks_in_event_and_id():
    for bad in ('a\nb', 'a\rb', 'a\0b'):
        support.raises(ValueError, format_event, 'x', event=bad)
        support.raises(ValueError, format_event, 'x', event_id=bad)


app = Microdot()


@app.route('/events/<int:n>')
@with_sse
async def events(request, sse, n):
    for i in range(n):
        await sse.send({'i': i}, event='tick', event_id=i)
    await sse.send('last\nline')


@app.route('/args')
async def args(request):
    async def stream(req, sse, a, b=None):
        await sse.send('%s %s %s' % (req.path, a, b))
    return sse_response(request, stream, 'one', b='two')


@app.route('/slow')
@with_sse
async def slow(request, sse):
    await asyncio.sleep(0.35)
    await sse.send('late')


@app.route('/plain')
async def plain(request):
    return 'plain'


def _get(path, version='1.1', method='GET'):
    return (method + ' ' + path + ' HTTP/' + version +
            '\r\nHost: x\r\n\r\n').encode()


def test_event_stream_headers_framing_and_keep_alive():
    async def client(port):
        c = await Conn().open(port)
        # two streams and a plain request pipelined on one connection
        await c.send(_get('/events/3') + _get('/events/0') + _get('/plain'))
        status, h, body = await c.response()
        assert status == 200
        assert h['content-type'] == 'text/event-stream'
        assert h['cache-control'] == 'no-cache'
        assert h['transfer-encoding'] == 'chunked'
        events = body.split(b'\n\n')
        assert events[0] == b':' or events[0].startswith(b'event:')
        assert b'event: tick\nid: 0\ndata: {"i": 0}\n\n' \
            b'event: tick\nid: 1\ndata: {"i": 1}\n\n' \
            b'event: tick\nid: 2\ndata: {"i": 2}\n\n' \
            b'data: last\ndata: line\n\n' in body
        assert body.endswith(b'data: last\ndata: line\n\n')
        status, h, body = await c.response()
        assert body.endswith(b'data: last\ndata: line\n\n')
        assert b'tick' not in body
        assert (await c.response())[2] == b'plain'
        await c.close()
    serve_app(app, client)


def test_sse_response_passes_extra_arguments():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/args'))
        assert (await c.response())[2].endswith(b'data: /args one two\n\n')
        await c.close()
    serve_app(app, client)


def test_keepalive_comments_while_idle():
    saved = SSE.keepalive_interval
    SSE.keepalive_interval = 0.1

    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/slow'))
        status, h, body = await c.response()
        # the head is sent at once, then comments until the event comes
        head, _, rest = body.partition(b'data: late\n\n')
        assert rest == b'' and head.count(b':\n\n') >= 2, body
        assert head.replace(b':\n\n', b'') == b''
        await c.close()
    try:
        serve_app(app, client)
    finally:
        SSE.keepalive_interval = saved


def test_head_sends_headers_only_and_http10_is_close_delimited():
    async def client(port):
        c = await Conn().open(port)
        await c.send(_get('/events/2', method='HEAD') + _get('/plain'))
        status, h, body = await c.response(head=True)
        assert status == 200 and h['content-type'] == 'text/event-stream'
        assert (await c.response())[2] == b'plain'
        await c.close()
        c = await Conn().open(port)
        await c.send(_get('/events/1', '1.0'))
        status, h, body = await c.response()
        assert 'transfer-encoding' not in h
        assert body.endswith(b'data: {"i": 0}\n\ndata: last\ndata: line\n\n')
        assert await c.closed()
        await c.close()
    serve_app(app, client)
