"""The response object and how it is framed on the wire."""
import json

from .structures import NoCaseDict

# one string rather than a dict: a fraction of the RAM on a device
_REASONS = '|200OK|201Created|202Accepted|204No Content|206Partial Content' \
    '|301Moved Permanently|302Found|303See Other|304Not Modified' \
    '|307Temporary Redirect|308Permanent Redirect|400Bad Request' \
    '|401Unauthorized|403Forbidden|404Not Found|405Method Not Allowed' \
    '|408Request Timeout|409Conflict|413Payload Too Large|414URI Too Long' \
    '|415Unsupported Media Type|422Unprocessable Content' \
    '|429Too Many Requests|431Request Header Fields Too Large' \
    '|500Internal Server Error|501Not Implemented|503Service Unavailable' \
    '|505HTTP Version Not Supported|'


def reason_phrase(status_code):
    """The standard reason phrase of a status code ('OK', 'Not Found')."""
    if status_code == 200:
        return 'OK'
    i = _REASONS.find('|' + str(status_code))
    if i < 0:
        return 'OK' if status_code < 400 else 'Error'
    return _REASONS[i + 4:_REASONS.find('|', i + 4)]


class InvalidHeader(ValueError):
    """A response header name or value holds CR, LF or NUL, or a name holds
    ':' or white space: sending it would let user data start a new header
    or a whole new response (response splitting), so the response is
    refused."""


def check_header_text(s):
    if '\n' in s or '\r' in s or '\x00' in s:
        raise InvalidHeader('header name or value contains CR, LF or NUL')
    return s


def check_header_name(s):
    # 'Set-Cookie: a=1; x' as a name would send a Set-Cookie header
    if not s or ':' in s or ' ' in s or '\t' in s:
        raise InvalidHeader('invalid header name %r' % (s,))
    return check_header_text(s)


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
        'jpg': 'image/jpeg', 'jpeg': 'image/jpeg',
        'js': 'application/javascript',
        'json': 'application/json', 'png': 'image/png', 'txt': 'text/plain',
        'svg': 'image/svg+xml', 'ico': 'image/x-icon', 'mjs':
        'application/javascript', 'wasm': 'application/wasm',
    }
    #: size of the pieces a file is sent in (small: a device's RAM)
    send_file_buffer_size = 1024
    #: the Content-Type of str and bytes bodies
    default_content_type = 'text/plain'
    #: the Cache-Control max-age of send_file responses when not given
    default_send_file_max_age = None
    #: returned by handlers that wrote their own response to the socket
    #: (WebSocket), so the server writes nothing more: a Response instance
    #: (set below the class), so that it passes through the dispatch as is
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
        from .cookies import format_cookie
        header = format_cookie(cookie, value, path, domain, expires, max_age,
                               secure, http_only, partitioned, same_site)
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
        elif isinstance(body, (bytes, bytearray)) and s != 304:
            # a 304 may only repeat the length of the 200 it stands for
            # (RFC 9110 8.6), which the app alone knows: none by default
            if 'Content-Length' not in self.headers:
                self.headers['Content-Length'] = str(len(body))
        if 'Content-Type' not in self.headers and s != 204:
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
        Raises InvalidHeader (a ValueError) for a header that could split
        the response (see check_header_name)."""
        lines = ['HTTP/', version, ' ', str(self.status_code), ' ',
                 self.reason or reason_phrase(self.status_code), '\r\n']
        for name, value in self.headers.items():
            check_header_name(name)
            if isinstance(value, list):
                for v in value:
                    lines.extend((name, ': ', check_header_text(str(v)),
                                  '\r\n'))
            else:
                lines.extend((name, ': ', check_header_text(str(value)),
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
        from .bodies import write_streamed
        return await write_streamed(self, stream, version, close, send_body)

    def body_iter(self):
        """An async iterator over the pieces of the body, whatever its
        kind (bytes, a file-like object, a sync or async iterator)."""
        from .bodies import BodyIter
        return BodyIter(self.body, self.send_file_buffer_size)

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
        from .files import file_response
        return file_response(cls, filename, status_code, content_type, stream,
                             max_age, compressed, file_extension)


Response.already_handled = Response()
