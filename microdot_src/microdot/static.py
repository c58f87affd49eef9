"""Serving a directory of static files, safely: a request path can never
reach outside the directory, and pre-compressed ``.gz`` files are served to
clients that accept gzip (a device keeps only the small compressed copy)."""
import os

from .http11 import HTTPException
from .response import Response


def safe_join(root, path):
    """``root/path`` if every segment of ``path`` is a plain name, else
    None: no '..', '.', empty segments, absolute paths, backslashes or NUL
    bytes (the path arrives percent-decoded, so '%2e%2e' is '..' here)."""
    if '\\' in path or '\x00' in path:
        return None
    for part in path.split('/'):
        if part in ('', '.', '..'):
            return None
    return root.rstrip('/') + '/' + path


def _is_file(path):
    try:
        return os.stat(path)[0] & 0o170000 == 0o100000
    except OSError:
        return False


def file_for(root, path, accept_encoding='', index='index.html'):
    """The response for ``path`` under ``root``, as ``send_file`` builds it:
    404 for anything outside ``root`` or missing, the ``.gz`` twin when the
    client accepts gzip, 406 when only a ``.gz`` exists and it does not."""
    full = safe_join(root, path) if path else root.rstrip('/')
    if full is None:
        raise HTTPException(404)
    if not path or not _is_file(full) and not _is_file(full + '.gz'):
        full = full + '/' + index  # a directory: its index page
    gzip_ok = 'gzip' in (accept_encoding or '').lower()
    if gzip_ok and _is_file(full + '.gz'):
        res = Response.send_file(full, compressed=True, file_extension='.gz')
    elif _is_file(full):
        res = Response.send_file(full)
    elif _is_file(full + '.gz'):
        raise HTTPException(406, 'Only a gzip-compressed copy exists')
    else:
        raise HTTPException(404)
    res.headers['Vary'] = 'Accept-Encoding'
    return res


def static_files(app, url_prefix, root, max_age=None, index='index.html'):
    """Serve the files under the directory ``root`` at ``url_prefix``
    (``static_files(app, '/static', 'www', max_age=3600)`` serves
    ``www/css/site.css`` at ``/static/css/site.css``)."""
    prefix = url_prefix.rstrip('/')

    async def serve(request, path=''):
        res = file_for(root, path, request.headers.get('Accept-Encoding'),
                       index)
        if max_age is not None:
            res.headers['Cache-Control'] = 'max-age=' + str(int(max_age))
        return res

    app.add_route(prefix + '/', ['GET'], serve)
    app.add_route(prefix + '/<path:path>', ['GET'], serve)
    return serve
