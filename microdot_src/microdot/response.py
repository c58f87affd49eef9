"""The response object and how it is framed on the wire."""
from .runtime import json_dumps
from .structures import NoCaseDict


def reason_phrase(status_code):
    """The standard reason phrase of a status code ('OK', 'Not Found')."""
    if status_code == 200:
        return 'OK'
    if status_code == 404:  # (a browser asks for /favicon.ico)
        return 'Not Found'
    from .reasons import phrase
    return phrase(status_code)


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


def unsent(stream):
    """Whether what was written to ``stream`` may still wait in a buffer.
    asyncio's streams send at once what the socket takes (MicroPython's
    ``out_buf`` is then empty; CPython's transport holds nothing), and
    their drain then only costs a coroutine and a turn of the scheduler."""
    pending = getattr(stream, 'out_buf', None)
    if pending is None:
        t = getattr(stream, 'transport', None)
        pending = t is None or t.get_write_buffer_size()
    return pending


# 'Name: ' as bytes for the header names last sent (at most 16, the same
# few on every response), checked once: each response then encodes only
# its values
_prefixes = {}


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

    #: content types by file extension for :meth:`send_file`, added to
    #: (or overriding) the built-in table in ``microdot.files.TYPES``
    types_map = {}
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
    #: the reason phrase (None: the standard one for the status)
    reason = None
    #: True when answering a HEAD request: the body is not sent
    is_head = False

    def __init__(self, body=b'', status_code=200, headers=None, reason=None):
        if body is None and status_code == 200:
            body = b''
            status_code = 204
        self.status_code = status_code
        self.headers = NoCaseDict(headers) if headers else NoCaseDict()
        if reason is not None:
            self.reason = reason
        if isinstance(body, (dict, list)):
            body = json_dumps(body)
            self.headers['Content-Type'] = 'application/json; charset=UTF-8'
        if isinstance(body, str):
            body = body.encode()
        self.body = body

    def set_cookie(self, *args, **kwargs):
        """Add a ``Set-Cookie`` header: ``set_cookie(cookie, value,
        path=None, domain=None, expires=None, max_age=None, secure=False,
        http_only=False, partitioned=False, same_site=None)``; ``expires``
        is a ``datetime``, a Unix timestamp or an HTTP-date string. See
        ``microdot.cookies.format_cookie``."""
        from .cookies import set_cookie
        set_cookie(self, *args, **kwargs)

    def delete_cookie(self, cookie, **kwargs):
        """Ask the client to forget a cookie (same ``path``/``domain`` as it
        was set with)."""
        from .cookies import delete_cookie
        delete_cookie(self, cookie, **kwargs)

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
        """The status line and headers as a bytearray, ending with the blank
        line. ``close`` True adds ``Connection: close``, False adds
        ``Connection: keep-alive`` (needed by HTTP/1.0 clients).
        Raises InvalidHeader (a ValueError) for a header that could split
        the response (see check_header_name).

        One bytearray grown in place: on a device, a list of pieces joined
        into a str and then encoded makes three times the garbage."""
        s = self.status_code
        if s == 200 and version == '1.1' and self.reason is None:
            head = bytearray(b'HTTP/1.1 200 OK\r\n')  # most answers
        else:
            head = bytearray(('HTTP/%s %d %s\r\n' % (
                version, s, self.reason or reason_phrase(s))).encode())
        for name, value in self.headers.items():
            pre = _prefixes.get(name)
            if pre is None:
                if len(_prefixes) >= 16:
                    _prefixes.clear()
                pre = _prefixes[name] = check_header_name(name).encode() + \
                    b': '
            for v in value if isinstance(value, list) else (value,):
                head += pre
                head += check_header_text(
                    v if isinstance(v, str) else str(v)).encode()
                head += b'\r\n'
        if close:
            head += b'Connection: close\r\n'
        elif close is False and version == '1.0':
            head += b'Connection: keep-alive\r\n'
        head += b'\r\n'
        return head

    def is_streamed(self):
        """True when the body is produced piece by piece (not bytes)."""
        return not isinstance(self.body, (bytes, bytearray))

    def frame(self, version='1.1', close=None):
        """The whole response in one buffer (head and body: one write, one
        packet), or None when the body is streamed or 4 KiB or more (then
        :meth:`write` sends it). The server writes this without a
        coroutine."""
        self.complete()
        body = self.body
        if self.is_streamed() or len(body) >= 4096:
            return None
        head = self.build_head(version, close)
        if body and not self.is_head and self.has_body():
            head += body
        return head

    async def write(self, stream, version='1.1', close=None):
        """Write the whole response to ``stream``. A streamed body without a
        Content-Length is sent chunked on HTTP/1.1; on HTTP/1.0 it is
        delimited by closing the connection. Returns True when the
        connection must be closed after this response."""
        data = self.frame(version, close)
        if data is not None:
            stream.write(data)
            if unsent(stream):
                await stream.drain()
            return bool(close)
        from .bodies import write_body
        return await write_body(self, stream, version, close)

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
    def send_file(cls, filename, *args, **kwargs):
        """A response that streams a file in small pieces:
        ``send_file(filename, status_code=200, content_type=None,
        stream=None, max_age=None, compressed=False, file_extension='')``.

        The extension of ``filename`` picks the Content-Type when
        ``content_type`` is not given; ``stream`` is an open file-like object
        to send instead; ``max_age`` sets ``Cache-Control: max-age``;
        ``compressed`` says the file is gzip-compressed (sent with
        ``Content-Encoding: gzip``, or give the encoding name as a string);
        ``file_extension`` is appended to ``filename`` to find the file on
        disk (e.g. ``'.gz'``) while the type still comes from ``filename``.
        """
        from .files import file_response
        return file_response(cls, filename, *args, **kwargs)


Response.already_handled = Response()
