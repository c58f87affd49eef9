"""Microdot 2.x extensions used the way Microdot's documentation shows
them (WebSocket echo, server-sent events, sessions, authentication, CORS,
file uploads) and tested with Microdot's test client API, including
``client.websocket()`` and ``res.events``, on both runtimes."""
import binascii

from microdot import Microdot, redirect
from microdot.auth import BasicAuth, TokenAuth
from microdot.cors import CORS
from microdot.multipart import with_form_data
from microdot.session import Session, with_session
from microdot.sse import with_sse
from microdot.test_client import TestClient
from microdot.websocket import with_websocket
import support

app = Microdot()
Session(app, secret_key='top-secret-for-the-compatibility-tests')
CORS(app, allowed_origins=['https://example.com'], allow_credentials=True)
basic_auth = BasicAuth()
token_auth = TokenAuth()
key_auth = TokenAuth(header='X-API-Key')
USERS = {'susan': 'hello', 'david': 'bye'}
TOKENS = {'susan-token': 'susan'}


@app.route('/echo')
@with_websocket
async def echo(request, ws):
    while True:
        data = await ws.receive()
        await ws.send(data)


@app.route('/events')
@with_sse
async def events(request, sse):
    for i in range(3):
        await sse.send({'counter': i})
    await sse.send('done', event='end', event_id='3')


@app.route('/', methods=['GET', 'POST'])
@with_session
async def index(req, session):
    username = session.get('username')
    if req.method == 'POST':
        username = req.form.get('username')
        session['username'] = username
        session.save()
        return redirect('/')
    return 'Hello, ' + (username or 'stranger')


@app.post('/logout')
@with_session
async def logout(req, session):
    session.delete()
    return redirect('/')


@basic_auth.authenticate
async def check_credentials(request, username, password):
    if USERS.get(username) == password:
        return username


@token_auth.authenticate
async def check_token(request, token):
    return TOKENS.get(token)


@key_auth.authenticate
async def check_key(request, key):
    return TOKENS.get(key)


@app.route('/basic')
@basic_auth
async def basic(request):
    return 'Hello, ' + request.g.current_user + '!'


@app.route('/token')
@token_auth
async def token(request):
    return 'Hello, ' + request.g.current_user + '!'


@app.route('/key')
@key_auth
async def key(request):
    return 'Hello, ' + request.g.current_user + '!'


@app.route('/maybe')
@token_auth.optional
async def maybe(request):
    return str(request.g.current_user)


@app.post('/upload')
@with_form_data
async def upload(request):
    file = request.files['file']
    data = await file.read()
    return {'form': request.form, 'filename': file.filename,
            'content_type': file.content_type, 'size': len(data)}


def client():
    return TestClient(app)


def test_websocket_echo():
    def ws():
        data = yield 'hello'
        assert data == 'hello'
        data = yield b'bye'
        assert data == b'bye'
        data = yield b'*' * 300
        assert data == b'*' * 300
    res = support.run(client().websocket('/echo', ws))
    assert res.status_code is None


def test_server_sent_events():
    res = support.run(client().get('/events'))
    assert res.status_code == 200
    assert res.headers['Content-Type'] == 'text/event-stream'
    assert [e['data_json'] for e in res.events[:3]] == [
        {'counter': 0}, {'counter': 1}, {'counter': 2}]
    assert res.events[3]['data'] == b'done'
    assert res.events[3]['event'] == 'end'
    assert res.events[3]['event_id'] == '3'


def test_session():
    c = client()
    assert support.run(c.get('/')).text == 'Hello, stranger'
    res = support.run(c.post(
        '/', body='username=susan',
        headers={'Content-Type': 'application/x-www-form-urlencoded'}))
    assert res.status_code == 302
    assert 'session' in c.cookies
    assert support.run(c.get('/')).text == 'Hello, susan'
    support.run(c.post('/logout'))
    assert 'session' not in c.cookies
    assert support.run(c.get('/')).text == 'Hello, stranger'


def basic_header(credentials):
    return 'Basic ' + binascii.b2a_base64(credentials.encode()).decode() \
        .strip()


def test_authentication():
    c = client()
    res = support.run(c.get('/basic'))
    assert res.status_code == 401
    assert res.headers['WWW-Authenticate'].startswith('Basic realm=')
    res = support.run(c.get('/basic', headers={
        'Authorization': basic_header('susan:hello')}))
    assert res.text == 'Hello, susan!'
    res = support.run(c.get('/basic', headers={
        'Authorization': basic_header('susan:wrong')}))
    assert res.status_code == 401
    res = support.run(c.get('/token', headers={
        'Authorization': 'Bearer susan-token'}))
    assert res.text == 'Hello, susan!'
    assert support.run(c.get('/token')).status_code == 401
    # a token in a header of its own: the whole value is the token
    res = support.run(c.get('/key', headers={'X-API-Key': 'susan-token'}))
    assert res.text == 'Hello, susan!'
    assert support.run(c.get('/maybe')).text == 'None'


def test_cors():
    c = client()
    res = support.run(c.get('/token', headers={
        'Origin': 'https://example.com',
        'Authorization': 'Bearer susan-token'}))
    assert res.headers['Access-Control-Allow-Origin'] == \
        'https://example.com'
    assert res.headers['Access-Control-Allow-Credentials'] == 'true'
    res = support.run(c.request('OPTIONS', '/upload', headers={
        'Origin': 'https://example.com',
        'Access-Control-Request-Method': 'POST'}))
    assert res.status_code == 200
    assert 'POST' in res.headers['Access-Control-Allow-Methods']
    res = support.run(c.get('/token', headers={
        'Origin': 'https://evil.com', 'Authorization': 'Bearer susan-token'}))
    assert 'Access-Control-Allow-Origin' not in res.headers


def test_file_upload():
    body = ('--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
            'notes\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; '
            'filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\n'
            'line one\nline two\r\n--XYZ--\r\n')
    res = support.run(client().post('/upload', body=body, headers={
        'Content-Type': 'multipart/form-data; boundary=XYZ'}))
    assert res.status_code == 200
    # request.form is a plain dict of single values, as with Microdot
    assert res.json == {'form': {'title': 'notes'}, 'filename': 'notes.txt',
                        'content_type': 'text/plain', 'size': 17}
