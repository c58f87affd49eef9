"""The response object and how it is framed on the wire."""
import json

from .structures import NoCaseDict

_REASONS = {
    200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
    206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found',
    303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect',
    308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
    403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    408: 'Request Timeout', 409: 'Conflict', 413: 'Payload Too Large',
    414: 'URI Too Long', 415: 'Unsupported Media Type',
    422: 'Unprocessable Content', 429: 'Too Many Requests',
    431: 'Request Header Fields Too Large', 500: 'Internal Server Error',
    501: 'Not Implemented', 503: 'Service Unavailable',
    505: 'HTTP Version Not Supported',
}


def reason_phrase(status_code):
    """The standard reason phrase of a status code ('OK', 'Not Found')."""
    return _REASONS.get(status_code) or ('OK' if status_code < 400 else
                                          'Error')


class InvalidHeader(ValueError):
    """A response header name or value holds CR or LF: sending it would let
    user data start a new header or a whole new response (response
    splitting), so the response is refused."""


def _check_header_text(s):
    if '\n' in s or '\r' in s:
        raise InvalidHeader('header name or value contains CR or LF')
    return s


def _http_date(t):
    import time
    y, mo, d, h, mi, s, wd = time.gmtime(int(t))[:7]
    return '%s, %02d %s %04d %02d:%02d:%02d GMT' % (
        ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[wd], d,
        ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct',
         'Nov', 'Dec')[mo - 1], y, h, mi, s)


class Response:
    """An HTTP response.

    :param body: ``str`` or ``bytes``; a ``dict`` or ``list`` (sent as JSON);
                 a file-like object with ``read``; a sync or async generator
                 or iterator (streamed: chunked on HTTP/1.1 unless a
                 Content-Length header is given).
    :param status_code: the status code (200).
    :param headers: a dict of headers.
    :param reason: the reason phrase (the standard one if not given).
    """

    #: content types by file extension, used by :meth:`send_file`
    types_map = {
        'css': 'text/css', 'gif': 'image/gif', 'html': 'text/html',
        'htm': 'text/html', 'jpg': 'image/jpeg', 'jpeg': 'image/jpeg',
        'js': 'application/javascript', 'mjs': 'application/javascript',
        'json': 'application/json', 'png': 'image/png', 'txt': 'text/plain',
        'svg': 'image/svg+xml', 'ico': 'image/x-icon', 'wasm':
        'application/wasm', 'webp': 'image/webp', 'woff2': 'font/woff2',
        'xml': 'application/xml', 'pdf': 'application/pdf',
        'mp3': 'audio/mpeg', 'csv': 'text/csv', 'gz': 'application/gzip',
    }
    #: size of the pieces a file is sent in (small: a device's RAM)
    send_file_buffer_size = 1024
    #: the Content-Type of str and bytes bodies
    default_content_type = 'text/plain'
    #: the Cache-Control max-age of send_file responses when not given
    default_send_file_max_age = None
    #: returned by handlers that wrote their own response to the socket
    #: (WebSocket), so the server writes nothing more
    already_handled = None

    def __init__(self, body=b'', status_code=200, headers=None, reason=None):
        if body is None and status_code == 200:
            body = b''
            status_code = 204
        self.status_code = status_code
        self.headers = NoCaseDict(headers) if headers else NoCaseDict()
        self.reason = reason
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            self.headers['Content-Type'] = 'application/json; charset=UTF-8'
        if isinstance(body, str):
            body = body.encode()
        self.body = body
        self.is_head = False

    def set_cookie(self, cookie, value, path=None, domain=None, expires=None,
                   max_age=None, secure=False, http_only=False,
                   partitioned=False, same_site=None):
        """Add a ``Set-Cookie`` header.

        :param cookie: the cookie's name; ``value``: its value (no ``;``,
                       CR or LF).
        :param path: / ``domain``: the cookie's scope.
        :param expires: a ``datetime``, a Unix timestamp, or an
                        HTTP-date string.
        :param max_age: the lifetime in seconds.
        :param secure: / ``http_only`` / ``partitioned``: the flags.
        :param same_site: ``'Lax'``, ``'Strict'`` or ``'None'``.
        """
        value = '' if value is None else str(value)
        if not cookie or ';' in cookie or '=' in cookie or ';' in value:
            raise InvalidHeader('invalid cookie name or value')
        parts = [cookie + '=' + value]
        if path:
            parts.append('Path=' + path)
        if domain:
            parts.append('Domain=' + domain)
        if expires is not None:
            if hasattr(expires, 'strftime'):
                expires = expires.strftime('%a, %d %b %Y %H:%M:%S GMT')
            elif not isinstance(expires, str):
                expires = _http_date(expires)
            parts.append('Expires=' + expires)
        if max_age is not None:
            parts.append('Max-Age=' + str(int(max_age)))
        if secure:
            parts.append('Secure')
        if http_only:
            parts.append('HttpOnly')
        if same_site:
            parts.append('SameSite=' + same_site)
        if partitioned:
            parts.append('Partitioned')
        header = _check_header_text('; '.join(parts))
        cookies = self.headers.get('Set-Cookie')
        if cookies is None:
            self.headers['Set-Cookie'] = [header]
        elif isinstance(cookies, list):
            cookies.append(header)
        else:
            self.headers['Set-Cookie'] = [cookies, header]

    def delete_cookie(self, cookie, **kwargs):
        """Ask the client to forget a cookie (same ``path``/``domain`` as it
        was set with)."""
        kwargs.pop('expires', None)
        kwargs.pop('max_age', None)
        self.set_cookie(cookie, '', expires='Thu, 01 Jan 1970 00:00:01 GMT',
                        max_age=0, **kwargs)

    def complete(self):
        """Fill in Content-Length and Content-Type where the app did not."""
        body = self.body
        s = self.status_code
        if s < 200 or s == 204:
            # these statuses never have a body, nor a length for one
            self.headers.pop('Content-Length', None)
        elif isinstance(body, (bytes, bytearray)):
            if 'Content-Length' not in self.headers:
                self.headers['Content-Length'] = str(len(body))
        if 'Content-Type' not in self.headers:
            self.headers['Content-Type'] = self.default_content_type + \
                '; charset=UTF-8'

    def has_body(self):
        """False for the statuses that never carry a body (1xx, 204, 304)."""
        s = self.status_code
        return not (s < 200 or s == 204 or s == 304)

    def build_head(self, version='1.1', close=None):
        """The status line and headers as bytes, ending with the blank line.
        ``close`` True adds ``Connection: close``, False adds
        ``Connection: keep-alive`` (needed by HTTP/1.0 clients).
        Raises ValueError if a header contains CR or LF."""
        lines = ['HTTP/', version, ' ', str(self.status_code), ' ',
                 self.reason or reason_phrase(self.status_code), '\r\n']
        for name, value in self.headers.items():
            _check_header_text(name)
            if isinstance(value, list):
                for v in value:
                    lines.extend((name, ': ', _check_header_text(str(v)),
                                  '\r\n'))
            else:
                lines.extend((name, ': ', _check_header_text(str(value)),
                              '\r\n'))
        if close:
            lines.append('Connection: close\r\n')
        elif close is False and version == '1.0':
            lines.append('Connection: keep-alive\r\n')
        lines.append('\r\n')
        return ''.join(lines).encode()

    def is_streamed(self):
        """True when the body is produced piece by piece (not bytes)."""
        return not isinstance(self.body, (bytes, bytearray))

    async def write(self, stream, version='1.1', close=None):
        """Write the whole response to ``stream``. A streamed body without a
        Content-Length is sent chunked on HTTP/1.1; on HTTP/1.0 it is
        delimited by closing the connection. Returns True when the
        connection must be closed after this response."""
        self.complete()
        body = self.body
        send_body = not self.is_head and self.has_body()
        if not self.is_streamed():
            head = self.build_head(version, close)
            if send_body and body:
                if len(body) < 4096:
                    stream.write(head + body)  # one write, one packet
                else:
                    stream.write(head)
                    stream.write(body)
            else:
                stream.write(head)
            await stream.drain()
            return bool(close)
        chunked = False
        if 'Content-Length' not in self.headers and self.has_body():
            if version == '1.1':
                self.headers['Transfer-Encoding'] = 'chunked'
                chunked = True
            else:
                close = True
        head = self.build_head(version, close)
        if not send_body:
            stream.write(head)
            await stream.drain()
            await self._close_body()
            return bool(close)
        stream.write(head)
        try:
            async for chunk in self.body_iter():
                if isinstance(chunk, str):
                    chunk = chunk.encode()
                if not chunk:
                    continue
                if chunked:
                    stream.write(b'%x\r\n' % len(chunk))
                    stream.write(chunk)
                    stream.write(b'\r\n')
                else:
                    stream.write(chunk)
                await stream.drain()
        finally:
            await self._close_body()
        if chunked:
            stream.write(b'0\r\n\r\n')
        await stream.drain()
        return bool(close)

    async def _close_body(self):
        body = self.body
        if hasattr(body, 'aclose'):
            try:
                await body.aclose()
            except Exception:
                pass
        elif hasattr(body, 'close'):
            try:
                body.close()
            except Exception:
                pass

    def body_iter(self):
        """An async iterator over the pieces of the body, whatever its
        kind (bytes, a file-like object, a sync or async iterator)."""
        return _BodyIter(self.body, self.send_file_buffer_size)

    @classmethod
    def redirect(cls, location, status_code=302):
        """A redirect response to ``location`` (302 unless given)."""
        if '\r' in location or '\n' in location:
            raise InvalidHeader('invalid redirect location')
        return cls(status_code=status_code, headers={'Location': location})

    @classmethod
    def send_file(cls, filename, status_code=200, content_type=None,
                  stream=None, max_age=None, compressed=False,
                  file_extension=''):
        """A response that streams a file in small pieces.

        :param filename: the file's path (its extension picks the
                         Content-Type when ``content_type`` is not given).
        :param stream: an open file-like object to send instead.
        :param max_age: ``Cache-Control: max-age`` in seconds.
        :param compressed: the file is gzip-compressed: sent with
                           ``Content-Encoding: gzip`` (or give the encoding
                           name as a string).
        :param file_extension: appended to ``filename`` to find the file on
                               disk (e.g. ``'.gz'``), while the content type
                               still comes from ``filename``.
        """
        if content_type is None:
            ext = filename.rpartition('.')[2].lower() if '.' in filename \
                else ''
            content_type = cls.types_map.get(ext, 'application/octet-stream')
        headers = {'Content-Type': content_type}
        if max_age is None:
            max_age = cls.default_send_file_max_age
        if max_age is not None:
            headers['Cache-Control'] = 'max-age=' + str(int(max_age))
        if compressed:
            headers['Content-Encoding'] = compressed \
                if isinstance(compressed, str) else 'gzip'
        if stream is None:
            import os
            path = filename + file_extension
            try:
                size = os.stat(path)[6]
                stream = open(path, 'rb')
            except OSError:
                from .exceptions import HTTPException
                raise HTTPException(404, 'File not found')
            headers['Content-Length'] = str(size)
        return cls(body=stream, status_code=status_code, headers=headers)


class _BodyIter:
    """Async iteration over any kind of body, without async generators
    (MicroPython has none)."""

    def __init__(self, body, bufsize):
        self.body = body
        self.bufsize = bufsize
        self.it = None
        self.done = False
        if isinstance(body, (bytes, bytearray)):
            self.kind = 0
        elif hasattr(body, 'read'):
            self.kind = 1
        elif hasattr(body, '__anext__'):
            self.kind = 2
        elif hasattr(body, '__aiter__'):
            self.kind = 2
            self.body = body.__aiter__()
        else:
            self.kind = 3
            self.it = iter(body)

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.done:
            raise StopAsyncIteration
        kind = self.kind
        if kind == 0:
            self.done = True
            return self.body
        if kind == 1:
            data = self.body.read(self.bufsize)
            if type(data).__name__ in ('coroutine', 'generator'):
                data = await data  # an async file-like object
            if not data:
                self.done = True
                raise StopAsyncIteration
            return data
        if kind == 2:
            return await self.body.__anext__()
        try:
            return next(self.it)
        except StopIteration:
            self.done = True
            raise StopAsyncIteration
