"""File responses (``send_file``), loaded the first time a file is sent."""
import os

from .http11 import HTTPException

#: content types by file extension (Response.types_map adds to them): here,
#: loaded with the first file sent, rather than in RAM from start-up
TYPES = {
    'css': 'text/css', 'gif': 'image/gif', 'html': 'text/html',
    'jpg': 'image/jpeg', 'jpeg': 'image/jpeg',
    'js': 'application/javascript',
    'json': 'application/json', 'png': 'image/png', 'txt': 'text/plain',
    'svg': 'image/svg+xml', 'ico': 'image/x-icon', 'mjs':
    'application/javascript', 'wasm': 'application/wasm',
}


def file_response(cls, filename, status_code=200, content_type=None,
                  stream=None, max_age=None, compressed=False,
                  file_extension=''):
    """Build the ``cls`` (a Response class) that streams ``filename``; see
    Response.send_file for the arguments. A missing file is a 404."""
    if content_type is None:
        name = filename
        if compressed and name.endswith('.gz'):
            name = name[:-3]  # 'app.js.gz': the type of what it holds
        ext = name.rpartition('.')[2].lower() if '.' in name else ''
        content_type = cls.types_map.get(ext) or \
            TYPES.get(ext, 'application/octet-stream')
    headers = {'Content-Type': content_type}
    if max_age is None:
        max_age = cls.default_send_file_max_age
    if max_age is not None:
        headers['Cache-Control'] = 'max-age=' + str(int(max_age))
    if compressed:
        headers['Content-Encoding'] = compressed \
            if isinstance(compressed, str) else 'gzip'
    if stream is None:
        path = filename + file_extension
        try:
            st = os.stat(path)
            if st[0] & 0o170000 != 0o100000:  # not a regular file
                raise OSError(21)
            stream = open(path, 'rb')
        except OSError:
            raise HTTPException(404, 'File not found')
        headers['Content-Length'] = str(st[6])
    return cls(body=stream, status_code=status_code, headers=headers)
