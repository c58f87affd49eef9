"""The request attributes few handlers read (``stream``, ``args``,
``cookies``, ``json``, ``form``, ``g``, ``content_type``), made on first use by
``Request.__getattr__``: an app that never reads them never loads this
code."""
import json

from .http11 import HTTPException


class G:
    """A place for the app to keep data for the length of a request (the
    current user, a database handle...)."""


def _mime_type(req):
    return (req.content_type or '').partition(';')[0].strip().lower()


def make(req, name):
    """The value of the lazy attribute ``name`` of ``req``."""
    if name == 'stream':
        # the body as a stream (read, readline, readexactly, readuntil):
        # the only way to bodies larger than max_body_length
        if req._stream is None:
            from .bytesio import AsyncBytesIO
            req._stream = AsyncBytesIO(req.body)
        return req._stream
    if name == 'args':
        from .urlencoding import parse_urlencoded
        return parse_urlencoded(req.query_string or '')
    if name == 'cookies':
        cookies = {}
        header = req.headers.get('Cookie')
        if header:
            for item in header.split(';'):
                key, sep, value = item.strip().partition('=')
                if sep and key:
                    if len(value) > 1 and value[0] == '"' == value[-1]:
                        value = value[1:-1]
                    cookies[key] = value
        return cookies
    if name == 'json':
        # None unless the Content-Type is JSON; invalid JSON is a 400
        if _mime_type(req) != 'application/json':
            return None
        try:
            return json.loads(req.body.decode())
        except (ValueError, UnicodeError):
            raise HTTPException(400, 'Invalid JSON body')
    if name == 'content_type':
        return req.headers.get('Content-Type')
    if name == 'form':
        if _mime_type(req) != 'application/x-www-form-urlencoded':
            return None
        from .urlencoding import parse_urlencoded
        return parse_urlencoded(req.body)
    return G()
