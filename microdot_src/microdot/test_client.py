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
from .structures import NoCaseDict, to_str
from .http11 import HTTPException


class TestResponse:
    """A response received by the test client: ``status_code``,
    ``reason``, ``headers`` (case-insensitive; repeated ``Set-Cookie`` as a
    list), ``body`` (bytes), ``text`` and ``json`` (when the body is
    JSON)."""

    __test__ = False

    def __init__(self, raw, is_head=False):
        end = find_head_end(raw, 1 << 30, 1 << 10)
        if end < 0:
            raise ValueError('incomplete response from the app')
        lines = to_str(raw[:end - 4]).split('\r\n')
        version, status, reason = (lines[0].split(' ', 2) + [''])[:3]
        self.version = version
        self.status_code = int(status)
        self.reason = reason
        self.headers = NoCaseDict()
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
        self.text = None
        self.json = None
        try:
            self.text = body.decode()
        except UnicodeError:
            pass
        ctype = self.headers.get('Content-Type', '')
        if self.text is not None and ctype.startswith('application/json'):
            try:
                self.json = json.loads(self.text)
            except ValueError:
                pass


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
                    kept and sent with later requests.
    :param scheme: ``'http'`` (default) or ``'https'``.
    :param host: the ``Host`` header (``'localhost'``).

    The request methods are coroutines: ``res = await client.get('/')``.
    ``body`` may be bytes, str, or a dict/list (sent as JSON)."""

    __test__ = False

    def __init__(self, app, cookies=None, scheme=None, host=None):
        self.app = app
        self.cookies = dict(cookies) if cookies else {}
        self.scheme = scheme
        self.host = host or 'localhost'

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
        if self.cookies:
            cookie = '; '.join([k + '=' + v for k, v in self.cookies.items()])
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
            for attr in parts[1:]:
                key, _, val = attr.strip().partition('=')
                key = key.lower()
                if key == 'max-age' and val.strip() in ('0', '-1'):
                    expired = True
                elif key == 'expires' and '1970' in val:
                    expired = True
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    async def request(self, method, path, headers=None, body=None,
                      sock=None):
        """Send a request with any method and return a TestResponse."""
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
            return None
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
