"""Serving a directory of static files, safely: a request path can never
reach outside the directory (nor, unless allowed, through a symbolic link
placed in it), and pre-compressed ``.gz`` files are served to clients that
accept gzip (a device keeps only the small compressed copy)."""
import os
import sys

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


# where symbolic links can exist: CPython, and MicroPython's unix port (a
# board's FAT or littlefs has none, so it is spared a directory listing)
_LINKS = hasattr(os, 'lstat') or sys.platform in ('linux', 'darwin')


def _is_link(parent, name):
    if hasattr(os, 'lstat'):
        try:
            return os.lstat(parent + '/' + name)[0] & 0o170000 == 0o120000
        except OSError:
            return False
    try:  # MicroPython has no lstat; its listing gives the entry's type
        for entry in os.ilistdir(parent):
            if entry[0] == name:
                return entry[1] == 0o120000
    except (OSError, AttributeError):
        pass
    return False


def through_link(root, path):
    """Whether a segment of ``path`` (relative to ``root``) is a symbolic
    link: a link in the folder may lead anywhere on the machine."""
    parent = root.rstrip('/')
    for part in path.split('/'):
        if _is_link(parent, part):
            return True
        parent = parent + '/' + part
    return False


def file_for(root, path, accept_encoding='', index='index.html',
             follow_symlinks=False):
    """The response for ``path`` under ``root``, as ``send_file`` builds it:
    404 for anything outside ``root``, reached through a symbolic link
    (unless ``follow_symlinks``) or missing, the ``.gz`` twin when the
    client accepts gzip, 406 when only a ``.gz`` exists and it does not."""
    if path.endswith('/'):
        path = path[:-1]  # a folder's URL: its index page
    full = safe_join(root, path) if path else root.rstrip('/')
    if full is None:
        raise HTTPException(404)
    if not path or not _is_file(full) and not _is_file(full + '.gz'):
        full = full + '/' + index  # a directory: its index page
    twin = 'gzip' in (accept_encoding or '').lower() and \
        _is_file(full + '.gz')
    if not twin and not _is_file(full):
        if _is_file(full + '.gz'):
            raise HTTPException(406, 'Only a gzip-compressed copy exists')
        raise HTTPException(404)
    if _LINKS and not follow_symlinks and through_link(
            root, full[len(root.rstrip('/')) + 1:] + ('.gz' if twin else '')):
        raise HTTPException(404)
    if twin:
        res = Response.send_file(full, compressed=True, file_extension='.gz')
    else:
        res = Response.send_file(full)
    res.headers['Vary'] = 'Accept-Encoding'
    return res


def static_files(app, url_prefix, root, max_age=None, index='index.html',
                 follow_symlinks=False):
    """Serve the files under the directory ``root`` at ``url_prefix``
    (``static_files(app, '/static', 'www', max_age=3600)`` serves
    ``www/css/site.css`` at ``/static/css/site.css``). A path through a
    symbolic link is answered 404 unless ``follow_symlinks`` is true."""
    prefix = url_prefix.rstrip('/')

    async def serve(request, path=''):
        res = file_for(root, path, request.headers.get('Accept-Encoding'),
                       index, follow_symlinks)
        if max_age is not None:
            res.headers['Cache-Control'] = 'max-age=' + str(int(max_age))
        return res

    app.add_route(prefix + '/', ['GET'], serve)
    app.add_route(prefix + '/<path:path>', ['GET'], serve)
    return serve
