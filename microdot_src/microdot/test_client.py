"""An in-process client for testing apps without a socket.

Requests are written as real HTTP/1.1 bytes and go through the same parser,
dispatch and response framing as the server; the response bytes are parsed
back. So what a test sees is what a network client would see."""
import json

from .chunked import parse_chunk_size
from .http11 import find_head_end
from .request import Request
from .response import InvalidHeader, Response, reason_phrase
from .bytesio import AsyncBytesIO
from .streams import BufferedStream
from .structures import NoCaseDict
from .urlencoding import to_str
from .http11 import HTTPException


class TestResponse:
    """A response received by the test client: ``status_code``,
    ``reason``, ``headers`` (case-insensitive; repeated ``Set-Cookie`` as a
    list), ``body`` (bytes), ``text`` and ``json`` (when the body is
    JSON), and ``events``, for a ``text/event-stream`` response: the events
    it carried, each a dict with ``data`` (bytes), ``data_json`` (the data
    parsed as JSON, or None), ``event``, ``event_id`` and ``retry`` (in
    seconds), as Microdot 2.x gives them.

    A request the app answered by taking over the connection (a WebSocket)
    gets a TestResponse whose attributes are all None."""

    __test__ = False

    def __init__(self, raw=None, is_head=False):
        self.status_code = self.reason = self.version = None
        self.headers = NoCaseDict()
        self.body = self.text = self.json = self.events = None
        if raw is None:
            return
        end = find_head_end(raw, 1 << 30, 1 << 10)
        if end < 0:
            raise ValueError('incomplete response from the app')
        lines = to_str(raw[:end - 4]).split('\r\n')
        version, status, reason = (lines[0].split(' ', 2) + [''])[:3]
        self.version = version
        self.status_code = int(status)
        self.reason = reason
        for line in lines[1:]:
            name, _, value = line.partition(':')
            value = value.strip()
            if name.lower() == 'set-cookie':
                self.headers.setdefault(name, []).append(value)
            elif name in self.headers:
                self.headers[name] += ', ' + value
            else:
                self.headers[name] = value
        body = raw[end:]
        if not is_head and self.headers.get('Transfer-Encoding', '') \
                .lower() == 'chunked':
            body = _dechunk(body)
        self.body = body
        try:
            self.text = body.decode()
        except UnicodeError:
            pass
        ctype = self.headers.get('Content-Type', '').partition(';')[0] \
            .strip().lower()
        if self.text is not None and ctype == 'application/json':
            try:
                self.json = json.loads(self.text)
            except ValueError:
                pass
        elif ctype == 'text/event-stream' and not is_head:
            self.events = parse_events(body)


def _json_or_none(data):
    try:
        return json.loads(data.decode())
    except (ValueError, UnicodeError):
        return None


def parse_events(body):
    """The events of a ``text/event-stream`` body, as
    :attr:`TestResponse.events` lists them. Parsed as a browser does: the
    ``data`` lines of an event joined with newlines, one space after the
    colon dropped, comments and events without data skipped."""
    events = []
    body = body.replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    for block in body.split(b'\n\n'):
        data = []
        event = event_id = retry = None
        for line in block.split(b'\n'):
            name, _, value = line.partition(b':')
            if value[:1] == b' ':
                value = value[1:]
            if name == b'data':
                data.append(value)
            elif name == b'event':
                event = value.decode()
            elif name == b'id':
                event_id = value.decode()
            elif name == b'retry':
                try:
                    retry = int(value) / 1000
                except ValueError:
                    pass
        if data:
            data = b'\n'.join(data)
            events.append({'data': data, 'data_json': _json_or_none(data),
                           'event': event, 'event_id': event_id,
                           'retry': retry})
    return events


def _dechunk(data):
    out = []
    pos = 0
    while True:
        nl = data.find(b'\r\n', pos)
        if nl < 0:
            raise ValueError('bad chunked body from the app')
        size = parse_chunk_size(data[pos:nl])
        if size == 0:
            return b''.join(out)
        out.append(data[nl + 2:nl + 2 + size])
        pos = nl + 4 + size


class TestClient:
    """A client that sends requests straight to an app.

    :param app: the Microdot app to test.
    :param cookies: initial cookies, a dict; cookies set by responses are
                    kept and sent with later requests (a cookie set with a
                    ``Path`` other than ``/`` is kept as ``(value, path)``
                    and sent only under that path, as with Microdot).
    :param scheme: ``'http'`` (default) or ``'https'``.
    :param host: the ``Host`` header (``'example.com:1234'``, Microdot's).

    The request methods are coroutines: ``res = await client.get('/')``.
    ``body`` may be bytes, str, or a dict/list (sent as JSON)."""

    __test__ = False

    def __init__(self, app, cookies=None, scheme=None, host=None):
        self.app = app
        self.cookies = dict(cookies) if cookies else {}
        self.scheme = scheme
        self.host = host or 'example.com:1234'

    def _cookie_header(self, path):
        pairs = []
        for name, value in self.cookies.items():
            if isinstance(value, tuple):
                value, cookie_path = value
                if not path.startswith(cookie_path):
                    continue
            pairs.append(name + '=' + value)
        return '; '.join(pairs)

    def _render(self, method, path, headers, body):
        headers = NoCaseDict(headers) if headers else NoCaseDict()
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault('Content-Type', 'application/json')
        elif isinstance(body, str):
            body = body.encode()
        elif body is None:
            body = b''
        if body or method in ('POST', 'PUT', 'PATCH'):
            headers.setdefault('Content-Length', str(len(body)))
        headers.setdefault('Host', self.host)
        cookie = self._cookie_header(path)
        if cookie:
            old = headers.get('Cookie')
            headers['Cookie'] = old + '; ' + cookie if old else cookie
        lines = [method + ' ' + path + ' HTTP/1.1']
        for name, value in headers.items():
            lines.append(name + ': ' + str(value))
        return ('\r\n'.join(lines) + '\r\n\r\n').encode() + body

    def _keep_cookies(self, res):
        for cookie in res.headers.get('Set-Cookie', []):
            parts = cookie.split(';')
            name, _, value = parts[0].strip().partition('=')
            expired = False
            path = '/'
            for attr in parts[1:]:
                key, _, val = attr.strip().partition('=')
                key = key.lower()
                if key == 'max-age':
                    try:
                        expired = int(val) <= 0
                    except ValueError:
                        pass
                elif key == 'expires' and '1970' in val:
                    expired = True
                elif key == 'path':
                    path = val.strip() or '/'
            if expired:
                old = self.cookies.get(name)
                if old is not None and (old[1] if isinstance(old, tuple)
                                        else '/') == path:
                    del self.cookies[name]
            else:
                self.cookies[name] = value if path == '/' else (value, path)

    async def request(self, method, path, headers=None, body=None,
                      sock=None):
        """Send a request with any method and return a TestResponse.
        ``sock``, a ``(reader, writer)`` pair, replaces ``request.sock``:
        what a route that takes over the connection talks to."""
        raw = self._render(method.upper(), path, headers, body)
        reader = BufferedStream(AsyncBytesIO(raw))
        writer = AsyncBytesIO()
        try:
            req = await Request.create(self.app, reader, writer,
                                       ('127.0.0.1', 1234),
                                       scheme=self.scheme)
        except HTTPException as exc:
            req = None
            res = await self.app.error_response(None, exc.status_code,
                                                exc.reason)
        else:
            if sock is not None:
                req.sock = sock
            res = await self.app.dispatch_request(req)
        if res is Response.already_handled:
            return TestResponse()
        try:
            await res.write(writer, '1.1', None)
        except InvalidHeader:
            # as the server does: a header with CR/LF is never sent, the
            # request is answered with a 500 instead
            writer = AsyncBytesIO()
            try:
                res = await self.app.error_response(req, 500)
            except Exception:
                res = Response(reason_phrase(500), 500)
            await res.write(writer, '1.1', None)
        out = TestResponse(writer.getvalue(), method.upper() == 'HEAD')
        self._keep_cookies(out)
        return out

    async def websocket(self, path, client, headers=None):
        """Open a WebSocket on ``path`` and play the client with ``client``,
        a generator function (plain or ``async``): each value it yields is
        a message for the server (``str`` is sent as text, ``bytes`` as
        binary, ``None`` sends nothing), and each message the server sends
        is sent into it (``message = yield reply``), in order. The
        connection closes (code 1000) when the generator ends; if the
        server closes first, the generator is closed. An exception raised
        in the generator (a failed ``assert``) drops the connection and is
        raised here. ``headers`` are added to the handshake request.

        Returns a TestResponse: all None when the route took the WebSocket,
        the route's response when it refused it (404, 401...)."""
        from .test_client_ws import GeneratorPeer
        from .ws_messages import MessageSocket
        ws_headers = {'Upgrade': 'websocket', 'Connection': 'Upgrade',
                      'Sec-WebSocket-Version': '13',
                      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ=='}
        if headers:
            ws_headers.update(headers)
        peer = GeneratorPeer(client)
        stream = MessageSocket(peer.receive, peer.send)
        try:
            res = await self.request('GET', path, headers=ws_headers,
                                     sock=(BufferedStream(stream), stream))
        finally:
            await peer.finish()
        if peer.error is not None:
            raise peer.error
        return res

    async def get(self, path, headers=None):
        """Send a GET request."""
        return await self.request('GET', path, headers=headers)

    async def post(self, path, headers=None, body=None):
        """Send a POST request."""
        return await self.request('POST', path, headers=headers, body=body)

    async def put(self, path, headers=None, body=None):
        """Send a PUT request."""
        return await self.request('PUT', path, headers=headers, body=body)

    async def patch(self, path, headers=None, body=None):
        """Send a PATCH request."""
        return await self.request('PATCH', path, headers=headers, body=body)

    async def delete(self, path, headers=None):
        """Send a DELETE request."""
        return await self.request('DELETE', path, headers=headers)

    async def query(self, path, headers=None, body=None):
        """Send a QUERY request."""
        return await self.request('QUERY', path, headers=headers, body=body)
