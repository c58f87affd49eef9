"""The request object handed to every handler."""
from .http11 import HTTPException
from .http11 import parse_request_head
from .streams import BufferedStream


_LAZY = ('stream', 'args', 'cookies', 'json', 'form', 'g', 'content_type')


class Request:
    """An HTTP request.

    The limits below are class attributes so an app can change them for
    every request (``Request.max_content_length = 1024 * 1024``):

    - ``max_content_length``: the largest body accepted; larger ones are
      answered with 413.
    - ``max_body_length``: bodies up to this size are read into
      ``request.body``; larger ones (up to ``max_content_length``) are left
      in ``request.stream`` for the handler to read in pieces.
    - ``max_readline``: the longest request line (414) or header line (431).
    - ``max_headers``: the most header lines accepted (431).
    """

    max_content_length = 16 * 1024
    max_body_length = 16 * 1024
    max_readline = 2 * 1024
    max_headers = 64

    #: handlers registered with :meth:`after_request` for this request
    after_request_handlers = ()
    #: the uploaded files, a MultiDict filled by ``microdot.multipart``'s
    #: ``with_form_data`` (None without it)
    files = None
    # defaults kept on the class: an instance stores only what differs, and
    # on a device every attribute an instance stores costs RAM per request
    #: the body as bytes (empty when it was too large to read into memory:
    #: see ``stream``)
    body = b''
    _stream = None
    #: ``'http'`` or ``'https'``
    scheme = 'http'
    #: the arguments taken from the URL by the route pattern
    url_args = None
    #: the prefix and sub-app of the route (see ``Microdot.mount``)
    url_prefix = ''
    subapp = None
    #: the handler that takes the request
    route = None
    #: the connection as ``(reader, writer)`` (None in the test client)
    sock = None

    def __init__(self, app, client_addr, method, url, http_version, headers,
                 body=None, stream=None, sock=None, url_prefix='',
                 subapp=None, scheme=None, route=None):
        #: the application instance
        self.app = app
        #: the client's ``(host, port)``
        self.client_addr = client_addr
        #: the method, e.g. ``'GET'``
        self.method = method
        #: the request target as sent, path and query string
        self.url = url
        #: ``'1.0'`` or ``'1.1'``
        self.http_version = http_version
        #: the headers, a case-insensitive dict
        self.headers = headers
        if sock is not None:
            self.sock = sock
        if scheme is not None and scheme != 'http':
            self.scheme = scheme
        if body is not None:
            self.body = body
        if stream is not None:
            self._stream = stream
        if url_prefix:
            self.url_prefix = url_prefix
        if subapp is not None:
            self.subapp = subapp
        if route is not None:
            self.route = route
        if url.startswith('http://') or url.startswith('https://'):
            # absolute-form target: the path starts after the authority
            slash = url.find('/', url.find('//') + 2)
            url = url[slash:] if slash >= 0 else '/'
        q = url.find('?')
        #: the path, still percent-encoded
        self.path = url if q < 0 else url[:q]
        #: the query string, without the '?' (None when there is none)
        self.query_string = None if q < 0 else url[q + 1:]
        cl = headers.get('Content-Length')
        #: the length of the body (0 when there is none)
        self.content_length = 0
        if cl:
            from .body import parse_content_length
            self.content_length = parse_content_length(cl)
        # content_type (the Content-Type header, or None) is read on first
        # use, as stream, args, cookies, json, form and g are

    @staticmethod
    async def create(app, client_reader, client_writer, client_addr,
                     scheme=None):
        """Read one request from a connection and return it (``None`` if the
        connection closed before a request started). Bad requests raise
        HTTPException with their status."""
        if not isinstance(client_reader, BufferedStream):
            client_reader = BufferedStream(client_reader)
        cls = Request
        try:
            head = await client_reader.read_head(cls.max_readline,
                                                 cls.max_headers)
        except EOFError:
            return None
        method, url, version, headers = parse_request_head(head)
        req = cls(app, client_addr, method, url, version, headers,
                  sock=(client_reader, client_writer), scheme=scheme)
        from .body import read_body
        await read_body(req, client_reader)
        return req

    def __getattr__(self, name):
        # stream, args, cookies, json, form and g are made on first use and
        # then kept as plain attributes: one function here instead of a
        # property each, and the code that makes them is loaded only when a
        # handler asks (see request_attrs)
        if name[0] == '_' or name not in _LAZY:
            raise AttributeError(name)
        from .request_attrs import make
        value = make(self, name)
        setattr(self, name, value)
        return value

    def after_request(self, f):
        """Register a handler that runs after this request only; it receives
        ``(request, response)`` and may return a new response."""
        if not self.after_request_handlers:
            self.after_request_handlers = []
        self.after_request_handlers.append(f)
        return f
