"""What the ASGI and WSGI adapters share: reading a request body that the
host server has already de-framed, and turning a Response into a status, a
header list and body pieces. CPython only (``microdot.asgi``,
``microdot.wsgi``); the core never imports it."""
from .bodies import close_body  # noqa: F401 (re-exported for the adapters)
from .response import InvalidHeader, Response, check_header_name, \
    check_header_text

# headers a WSGI application must not send (PEP 3333): the server frames
# the connection itself
HOP_BY_HOP = frozenset(('connection', 'keep-alive', 'proxy-authenticate',
                        'proxy-authorization', 'te', 'trailer', 'trailers',
                        'transfer-encoding', 'upgrade'))


def header_name(name):
    """``'content-type'`` -> ``'Content-Type'``: the spelling handlers see
    under the built-in server, whatever case the host server gives."""
    return '-'.join([part.capitalize() for part in name.split('-')])


def add_header(headers, name, value):
    """Add a request header, joining a repeated one as HTTP allows
    (``Cookie`` with ``'; '``, the others with ``', '``)."""
    old = headers.get(name)
    if old is None:
        headers[name] = value
    else:
        headers[name] = old + ('; ' if name == 'Cookie' else ', ') + value


async def read_body(req, source, until_end=True):
    """Read the body of ``req`` from ``source`` (a BufferedStream whose end
    is the end of the body), with the same rules as the built-in server:
    a body up to ``max_body_length`` goes to ``request.body``, a larger one
    (up to ``max_content_length``) is left in ``request.stream``, and a
    larger one still is left unread, so dispatch answers 413.

    A body without a ``Content-Length`` (sent chunked, or over HTTP/2) is
    read to its end when ``until_end`` is true, into ``request.body``, up
    to ``max_content_length``; past that ``request.content_length`` is set
    beyond the limit, which answers 413."""
    if 'Content-Length' in req.headers:
        if 'Transfer-Encoding' in req.headers:
            # the host server de-chunked it already; what is left of the
            # header must not make the core de-chunk it a second time
            req.headers.pop('Transfer-Encoding')
        from .body import read_body as read_request_body
        await read_request_body(req, source)
        return
    if not until_end:
        return
    limit = req.max_content_length
    chunks = []
    total = 0
    while total <= limit:
        data = await source.read(65536)
        if not data:
            break
        chunks.append(data)
        total += len(data)
    req.content_length = total
    if total <= limit:
        req.body = b''.join(chunks)


def header_list(res, drop_hop_by_hop=False):
    """The headers of a (completed) Response as ``(name, value)`` string
    pairs, a header with several values (``Set-Cookie``) once per value.
    InvalidHeader for a header that could split the response."""
    out = []
    for name, value in res.headers.items():
        check_header_name(name)
        if drop_hop_by_hop and name.lower() in HOP_BY_HOP:
            continue
        for v in (value if isinstance(value, list) else (value,)):
            out.append((name, check_header_text(str(v))))
    return out


async def prepare_response(app, req, res, drop_hop_by_hop=False):
    """Complete ``res`` and return ``(res, headers)``; a response whose
    headers hold CR or LF is replaced by the app's 500 response, as the
    built-in server does."""
    try:
        res.complete()
        return res, header_list(res, drop_hop_by_hop)
    except InvalidHeader as exc:
        from .runtime import print_exception
        print_exception(exc)
        await close_body(res.body)
        try:
            res = await app.error_response(req, 500)
            res.complete()
            return res, header_list(res, drop_hop_by_hop)
        except Exception:
            res = Response('Internal Server Error', 500)
            res.complete()
            return res, header_list(res, drop_hop_by_hop)


def sends_body(res):
    """False for HEAD requests and the statuses without a body."""
    return not res.is_head and res.has_body()


def to_bytes(chunk):
    """A body piece as bytes (generators may yield str)."""
    return chunk.encode() if isinstance(chunk, str) else chunk


def package_name(name):
    """The names Microdot 2.x's ``microdot.asgi`` and ``microdot.wsgi`` also
    give (they import ``*`` from ``microdot``), for their module
    ``__getattr__``; AttributeError for any other."""
    if name in ('URLPattern', 'AsyncBytesIO', 'iscoroutine'):
        import microdot
        return getattr(microdot, name)
    raise AttributeError(name)
