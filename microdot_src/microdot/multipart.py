"""``multipart/form-data`` request bodies: forms with file uploads. The body
is parsed as a stream, in small pieces, so a file larger than the free RAM
of a device can be received and written to its flash. Loaded only by apps
that use it.

    from microdot.multipart import with_form_data

    @app.post('/upload')
    @with_form_data
    async def upload(request):
        await request.files['file'].save('/data/upload.bin')
        return {'name': request.form.get('name')}
"""
import os

from .http11 import HTTPException
from .runtime import IS_MICROPYTHON, invoke_handler
from .streams import READ_SIZE
from .urlencoding import to_str

try:
    from tempfile import gettempdir
except ImportError:  # MicroPython
    def gettempdir():
        d = os.getenv('TMPDIR') if hasattr(os, 'getenv') else None
        for d in (d, '/tmp'):
            try:
                if d and os.stat(d)[0] & 0x4000:  # a directory
                    return d
            except OSError:
                pass
        return ''  # the current directory (a board's flash)


def _bad(reason, status=400):
    raise HTTPException(status, reason)


def _parse_disposition(value):
    # 'form-data; name="f"; filename="a;b.txt"' -> {'': 'form-data',
    # 'name': 'f', 'filename': 'a;b.txt'}. Quoted values may hold ';';
    # only \" and \\ are escapes (a Windows path keeps its backslashes)
    kind, _, rest = value.partition(';')
    out = {'': kind.strip().lower()}
    while rest.strip():
        key, eq, rest = rest.partition('=')
        key = key.strip().lower()
        if not eq or not key:
            _bad('Malformed Content-Disposition')
        rest = rest.lstrip()
        if rest[:1] == '"':
            chars = []
            i = 1
            n = len(rest)
            while i < n and rest[i] != '"':
                if rest[i] == '\\' and i + 1 < n and rest[i + 1] in '"\\':
                    i += 1
                chars.append(rest[i])
                i += 1
            if i >= n:
                _bad('Malformed Content-Disposition')
            val = ''.join(chars)
            after, _, rest = rest[i + 1:].partition(';')
            if after.strip():
                _bad('Malformed Content-Disposition')
        else:
            val, _, rest = rest.partition(';')
            val = val.strip()
        out[key] = val
    return out


def safe_filename(name):
    """The last component of an uploaded file's name, without directories
    (``/`` or ``\\``), control characters, or a bare ``.``/``..``: a
    client cannot make the app write outside the folder it chose."""
    name = name[max(name.rfind('/'), name.rfind('\\')) + 1:]
    name = ''.join([c for c in name if c >= ' ' and c != '\x7f'])
    return '' if name in ('.', '..') else name


class FormDataIter:
    """Asynchronous iterator over the fields of a ``multipart/form-data``
    body, parsed as it arrives: yields ``(name, value)`` where value is a
    ``str`` for a plain field and a :class:`FileUpload` for a file::

        async for name, value in FormDataIter(request):
            if isinstance(value, FileUpload):
                await value.save('/uploads/' + value.filename)

    A file must be read (or saved) before the next iteration: its data
    is the stream itself, and what was not read is skipped. A request of
    another content type yields nothing.

    Limits (class attributes), each answered with an HTTP error:

    - ``buffer_size``: bytes read from the body at a time (1024 on
      MicroPython, 64 KB on CPython).
    - ``max_part_header_size``: the header block of one part (1024; 400).
    - ``max_parts``: fields and files in one body (64; 413).
    - ``max_field_size``: the value of a plain field, which is kept in
      memory (4 KB on MicroPython, 1 MB on CPython; 413).
    - ``max_file_size``: one file (None: only ``max_content_length``;
      413).

    A malformed body (no or bad boundary, a missing CRLF, a truncated
    body) is answered with 400.
    """

    buffer_size = READ_SIZE
    max_part_header_size = 1024
    max_parts = 64
    max_field_size = 4096 if IS_MICROPYTHON else 1024 * 1024
    max_file_size = None

    def __init__(self, request):
        self.request = request
        self.boundary = self.delimiter = None
        self.buffer = b''
        self.parts = 0
        self.limit = None
        self.size = 0
        self.in_part = False
        self.done = True
        ctype = request.content_type or ''
        if ctype.partition(';')[0].strip().lower() != 'multipart/form-data':
            return
        self.done = False
        boundary = _parse_disposition(ctype).get('boundary')
        if not boundary or len(boundary) > 70:
            _bad('Missing or invalid multipart boundary')
        self.boundary = boundary.encode()
        self.delimiter = b'\r\n--' + self.boundary
        # the first boundary line has no CRLF before it: add one, so every
        # boundary is found the same way (and a preamble skipped)
        self.buffer = b'\r\n'
        self.in_part = True

    def __aiter__(self):
        return self

    async def _fill(self):
        try:
            data = await self.request.stream.read(self.buffer_size)
        except EOFError:
            data = b''
        if not data:
            _bad('Truncated multipart body')
        self.buffer = self.buffer + data if self.buffer else data

    async def read_part(self, n=-1):
        """Up to ``n`` bytes of the current part (all of it if ``n`` < 0);
        ``b''`` at its end."""
        if n < 0:
            chunks = []
            while True:
                data = await self.read_part(self.buffer_size)
                if not data:
                    return b''.join(chunks)
                chunks.append(data)
        if not self.in_part or n == 0:
            return b''
        delim = self.delimiter
        while True:
            if not self.buffer:
                await self._fill()
            buf = self.buffer
            i = buf.find(delim)
            if 0 <= i <= n:
                self.buffer = buf[i + len(delim):]
                self.in_part = False
                data = buf[:i]
                break
            if i < 0:
                # all of buf is data but a tail that may begin a delimiter
                # split between two reads (a CR followed by its start)
                i = len(buf)
                j = buf.find(b'\r', i - len(delim) + 1 if i >= len(delim)
                             else 0)
                while j >= 0:
                    if delim.startswith(buf[j:]):
                        i = j
                        break
                    j = buf.find(b'\r', j + 1)
                if i == 0:
                    await self._fill()  # too little to tell: read more
                    continue
            if i > n:
                i = n
            if i == len(buf):  # the common case: no copy
                self.buffer = b''
                data = buf
            else:
                self.buffer = buf[i:]
                data = buf[:i]
            break
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            _bad('Form field or file too large', 413)
        return data

    async def __anext__(self):
        if self.done:
            raise StopAsyncIteration
        while self.in_part:  # skip what was not read of the last part
            await self.read_part(self.buffer_size)
        while True:  # what follows a delimiter: '--' or CRLF
            buf = self.buffer
            if buf[:2] == b'--':  # the closing one: the epilogue is ignored
                self.done = True
                raise StopAsyncIteration
            i = buf.find(b'\r\n')
            if i >= 0 or len(buf) > 256:
                break
            await self._fill()
        if i < 0 or buf[:i].strip(b' \t'):
            _bad('Malformed multipart boundary line')
        self.parts += 1
        if self.parts > self.max_parts:
            _bad('Too many multipart parts', 413)
        # the part's header block ends with an empty line
        start = i + 2
        limit = self.max_part_header_size
        while True:
            end = self.buffer.find(b'\r\n\r\n', start - 2)
            if end >= 0:
                break
            if len(self.buffer) - start > limit:
                _bad('Multipart part header too long')
            await self._fill()
        if end - start > limit:
            _bad('Multipart part header too long')
        head = to_str(self.buffer[start:end]) if end > start else ''
        self.buffer = self.buffer[end + 4:]
        disposition = content_type = None
        for line in head.split('\r\n') if head else ():
            name, colon, value = line.partition(':')
            if not colon:
                _bad('Malformed multipart part header')
            name = name.strip().lower()
            if name == 'content-disposition':
                disposition = _parse_disposition(value)
            elif name == 'content-type':
                content_type = value.strip()
        if disposition is None or disposition[''] != 'form-data' or \
                'name' not in disposition:
            _bad('Multipart part without a form-data name')
        self.in_part = True
        self.size = 0
        name = disposition['name']
        filename = disposition.get('filename')
        if filename is None:
            self.limit = self.max_field_size
            return name, to_str(await self.read_part())
        self.limit = self.max_file_size
        return name, FileUpload(safe_filename(filename),
                                content_type or 'application/octet-stream',
                                self.read_part)


class FileUpload:
    """An uploaded file.

    :param filename: its name as the client sent it, without any directory
                     (see :func:`safe_filename`; may be empty).
    :param content_type: the type the client gave it.
    :param read: the coroutine function that reads its data, ``read(n)``.

    From :class:`FormDataIter` its data is the request stream itself;
    :func:`with_form_data` hands out copies (:meth:`copy`) kept in memory
    when small (up to ``max_memory_size`` bytes, 1024) or in a temporary
    file in ``tmp_dir`` (the system's temporary folder by default), which
    are removed when the request ends.
    """

    max_memory_size = 1024
    #: folder for the temporary files of large uploads (None: the system's
    #: temporary folder; on a board without one, the current folder)
    tmp_dir = None

    def __init__(self, filename, content_type, read):
        self.filename = filename
        self.content_type = content_type
        self._read = read
        self._file = None
        self._path = None

    async def read(self, n=-1):
        """Up to ``n`` bytes of the file (all that is left if ``n`` is
        -1); ``b''`` at its end."""
        return await self._read(n)

    async def save(self, path_or_file):
        """Write the file to a path or an open binary file object, in
        pieces of ``FormDataIter.buffer_size`` bytes."""
        if isinstance(path_or_file, str):
            if self._path is not None and self._file.tell() == 0:
                # a temporary copy not read yet: move it rather than copy
                self._file.close()
                try:
                    os.rename(self._path, path_or_file)
                    self._path = None
                    self._read = _at_end
                    return
                except OSError:
                    self._file = open(self._path, 'rb')
            with open(path_or_file, 'wb') as f:
                await self.save(f)
            return
        n = FormDataIter.buffer_size
        while True:
            data = await self.read(n)
            if not data:
                break
            path_or_file.write(data)

    async def copy(self, max_memory_size=None):
        """Read the file to its end and return a new FileUpload holding its
        data: in memory when it has at most ``max_memory_size`` bytes (the
        class attribute when not given), else in a temporary file. This is
        what lets the parsing of a form go on past a file."""
        if max_memory_size is None:
            max_memory_size = self.max_memory_size
        chunks = []
        size = 0
        while size <= max_memory_size:
            data = await self.read(FormDataIter.buffer_size)
            if not data:
                from .bytesio import AsyncBytesIO
                return FileUpload(self.filename, self.content_type,
                                  AsyncBytesIO(b''.join(chunks)).read)
            chunks.append(data)
            size += len(data)
        path = '%s/microdot-upload-%s' % (
            self.tmp_dir or gettempdir() or '.',
            ''.join(['%02x' % b for b in os.urandom(8)]))
        with open(path, 'wb') as f:
            for data in chunks:
                f.write(data)
            chunks = None
            await self.save(f)
        copy = FileUpload(self.filename, self.content_type, None)
        copy._path = path
        copy._file = open(path, 'rb')

        async def read(n=-1):
            return copy._file.read(n)
        copy._read = read
        return copy

    async def close(self):
        """Release what :meth:`copy` took: the open temporary file is
        closed and removed (done by :func:`with_form_data` when the request
        ends)."""
        if self._file is not None:
            self._file.close()
        if self._path is not None:
            try:
                os.remove(self._path)
            except OSError:
                pass
            self._path = None


async def _at_end(n=-1):
    return b''


class FormDict(dict):
    """The ``request.form`` and ``request.files`` of :func:`with_form_data`:
    a plain dict of one value per name, as Microdot 2.x gives them (a name
    sent twice keeps its last value; ``dict(form)`` and JSON see single
    values), that also keeps every value for ``getlist(name)``."""

    def __init__(self):
        super().__init__()
        self._earlier = {}  # name -> the values a later one replaced

    def __setitem__(self, key, value):
        if key in self:
            self._earlier.setdefault(key, []).append(self[key])
        super().__setitem__(key, value)

    def get(self, key, default=None, type=None):
        """The value of ``key`` (converted with ``type`` if given), or
        ``default`` when missing or not convertible."""
        if key not in self:
            return default
        if type is None:
            return self[key]
        try:
            return type(self[key])
        except (TypeError, ValueError):
            return default

    def to_dict(self):
        """A plain dict copy (what MultiDict.to_dict gives for a query).
        Not ``dict(self)``: MicroPython takes a dict subclass for a
        sequence of pairs there."""
        return {key: self[key] for key in self}

    def getlist(self, key, type=None):
        """Every value sent for ``key``, in order (``[]`` if none)."""
        if key not in self:
            return []
        values = self._earlier.get(key, []) + [self[key]]
        if type is None:
            return values
        from .urlencoding import convert_each
        return convert_each(values, type)


def with_form_data(f):
    """Decorator for a route that receives a ``multipart/form-data`` body:
    before the handler runs, the plain fields are put in ``request.form``
    and the files in ``request.files`` (both :class:`FormDict`: plain
    dicts, as with Microdot, with ``getlist()`` for a name sent several
    times; a file is a :class:`FileUpload` copy, see
    :meth:`FileUpload.copy`). The copies are
    closed, and temporary files removed, when the handler returns. A
    request of another content type gets an empty ``request.files`` and
    its usual ``request.form``::

        @app.post('/upload')
        @with_form_data
        async def upload(request):
            await request.files['photo'].save('photo.jpg')
            return 'thanks, ' + request.form['name']
    """
    async def wrapper(request, *args, **kwargs):
        form = FormDict()
        files = request.files = FormDict()
        try:
            parser = FormDataIter(request)
            async for name, value in parser:
                if isinstance(value, FileUpload):
                    files[name] = await value.copy()
                else:
                    form[name] = value
            if parser.delimiter is not None:
                request.form = form
            return await invoke_handler(f, request, *args, **kwargs)
        finally:
            for name in files:
                for upload in files.getlist(name):
                    await upload.close()
    return wrapper
