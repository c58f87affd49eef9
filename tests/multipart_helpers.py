"""Helpers for the multipart tests, on both runtimes: build a
multipart/form-data body, and a request-like object whose stream returns
the body in pieces of chosen sizes (a slow or fragmenting client)."""


def form_body(parts, boundary=b'B0und4ry'):
    """``parts``: (name, value) for fields, (name, value, filename[,
    content_type]) for files; bytes or str. Returns the body bytes."""
    out = []
    for part in parts:
        part = [p.encode() if isinstance(p, str) else p for p in part]
        out.append(b'--' + boundary + b'\r\n')
        d = b'Content-Disposition: form-data; name="' + part[0] + b'"'
        if len(part) > 2:
            d += b'; filename="' + part[2] + b'"'
        out.append(d + b'\r\n')
        if len(part) > 3:
            out.append(b'Content-Type: ' + part[3] + b'\r\n')
        out.append(b'\r\n')
        out.append(part[1])
        out.append(b'\r\n')
    out.append(b'--' + boundary + b'--\r\n')
    return b''.join(out)


class Pieces:
    """A stream that hands out ``data`` in pieces of ``size`` bytes at
    most (a list of sizes is used in turn), then b''."""

    def __init__(self, data, size):
        self.data = data
        self.pos = 0
        self.sizes = size if isinstance(size, list) else [size]
        self.turn = 0

    async def read(self, n=-1):
        size = self.sizes[self.turn % len(self.sizes)]
        self.turn += 1
        if n < 0 or n > size:
            n = size
        chunk = self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        return chunk


class FakeRequest:
    """What FormDataIter reads: ``content_type`` and ``stream``."""

    def __init__(self, body, size=1024, boundary=b'B0und4ry',
                 content_type=None):
        if content_type is None:
            content_type = 'multipart/form-data; boundary=' + \
                boundary.decode()
        self.content_type = content_type
        self.stream = Pieces(body, size)


async def collect(request, read_size=-1):
    """Every (name, value) of a FormDataIter over ``request``, files read
    whole (in ``read_size`` pieces) into (filename, content_type, data)."""
    from microdot.multipart import FileUpload, FormDataIter
    out = []
    async for name, value in FormDataIter(request):
        if isinstance(value, FileUpload):
            chunks = []
            while True:
                data = await value.read(read_size)
                if not data:
                    break
                chunks.append(data)
                if read_size < 0:
                    break
            value = (value.filename, value.content_type, b''.join(chunks))
        out.append((name, value))
    return out
