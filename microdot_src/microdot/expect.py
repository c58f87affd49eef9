"""``Expect: 100-continue`` (RFC 9110 10.1.1): a client that sends it waits
for the interim answer before it sends the body. Loaded by the first request
that carries the header."""


async def send_continue(req, writer):
    """Write ``100 Continue`` if the body will be read (a body the server
    will refuse is better refused before it is sent)."""
    h = req.headers
    te = h.get('Transfer-Encoding')
    if req.http_version == '1.1' and \
            h['Expect'].lower() == '100-continue' and \
            req.content_length <= req.max_content_length and \
            (te is None or te.lower() == 'chunked' and
             'Content-Length' not in h):
        writer.write(b'HTTP/1.1 100 Continue\r\n\r\n')
        await writer.drain()
