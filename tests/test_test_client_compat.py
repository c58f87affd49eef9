"""The test client's answers as Microdot 2.x gives them, on both runtimes:
``TestResponse.events`` for event streams, the empty TestResponse of a
route that took the connection, cookies kept per path, the default
``Host``."""
from microdot import Microdot, Response
from microdot.sse import with_sse, sse_response
from microdot.test_client import TestClient, TestResponse, parse_events
import support

app = Microdot()


@app.route('/events')
@with_sse
async def events(request, sse):
    await sse.send('hello')
    await sse.send({'temp': 21.5}, event='reading', event_id='7', retry=2.5)
    await sse.send(b'two\nlines', event_id=8)
    await sse.send('keep-alive', comment=True)
    await sse.send([1, 2])


@app.route('/low-level')
async def low_level(request):
    async def emit(request, sse):
        await sse.send('x')
    return sse_response(request, emit)


@app.route('/taken')
async def taken(request):
    return Response.already_handled


@app.route('/host')
async def host(request):
    return request.headers['Host']


@app.route('/set')
async def set_cookies(request):
    res = Response('set')
    res.set_cookie('everywhere', 'a')
    res.set_cookie('admin_only', 'b', path='/admin')
    return res


@app.route('/unset')
async def unset(request):
    res = Response('unset')
    res.delete_cookie('admin_only', path='/admin')
    res.delete_cookie('everywhere', path='/')
    return res


@app.route('/admin/cookies')
@app.route('/cookies')
async def cookies(request):
    return request.cookies


def get(path, client=None):
    return support.run((client or TestClient(app)).get(path))


def test_events_as_microdot_gives_them():
    res = get('/events')
    assert res.headers['Content-Type'] == 'text/event-stream'
    assert res.events == [
        {'data': b'hello', 'data_json': None, 'event': None,
         'event_id': None, 'retry': None},
        {'data': b'{"temp": 21.5}', 'data_json': {'temp': 21.5},
         'event': 'reading', 'event_id': '7', 'retry': 2.5},
        # several data lines are joined back with newlines
        {'data': b'two\nlines', 'data_json': None, 'event': None,
         'event_id': '8', 'retry': None},
        # the comment is no event
        {'data': b'[1, 2]', 'data_json': [1, 2], 'event': None,
         'event_id': None, 'retry': None},
    ]
    assert get('/low-level').events[0]['data'] == b'x'
    # not an event stream: no events
    assert get('/host').events is None


def test_parse_events_reads_what_browsers_read():
    body = (b': comment\r\n\r\nevent:e\r\ndata:no space\r\nid: 1\r\n'
            b'retry: 1500\r\n\r\nevent: no-data\n\ndata\ndata: \n\n'
            b'data: x\nretry: soon\n\n')
    assert parse_events(body) == [
        {'data': b'no space', 'data_json': None, 'event': 'e',
         'event_id': '1', 'retry': 1.5},
        # "data" alone is an empty data line
        {'data': b'\n', 'data_json': None, 'event': None, 'event_id': None,
         'retry': None},
        {'data': b'x', 'data_json': None, 'event': None, 'event_id': None,
         'retry': None},
    ]


def test_a_taken_connection_gives_an_empty_response():
    res = get('/taken')
    assert isinstance(res, TestResponse)
    for name in ('status_code', 'reason', 'body', 'text', 'json', 'events'):
        assert getattr(res, name) is None
    empty = TestResponse()
    assert empty.status_code is None and len(empty.headers) == 0


def test_default_host_is_microdots():
    assert get('/host').text == 'example.com:1234'
    client = TestClient(app, host='device.local')
    assert get('/host', client).text == 'device.local'


def test_cookies_are_kept_per_path():
    client = TestClient(app)
    get('/set', client)
    assert client.cookies == {'everywhere': 'a',
                              'admin_only': ('b', '/admin')}
    assert get('/cookies', client).json == {'everywhere': 'a'}
    assert get('/admin/cookies', client).json == {'everywhere': 'a',
                                                  'admin_only': 'b'}
    get('/unset', client)
    assert client.cookies == {}
    # cookies given to the client may carry a path too
    client = TestClient(app, cookies={'x': ('1', '/admin'), 'y': '2'})
    assert get('/cookies', client).json == {'y': '2'}
    assert get('/admin/cookies', client).json == {'x': '1', 'y': '2'}
