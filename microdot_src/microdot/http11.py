"""The HTTP/1.1 request-head parser: bytes in, a parsed head or an
HTTPException with the exact status out. No I/O, so it can be fuzzed and
tested without a socket; the server loop only moves bytes.
"""
from .structures import NoCaseDict, to_str


class HTTPException(Exception):
    """Raise (or ``abort()``) to end the current request with an HTTP error
    status. The app's error handler for that status, if any, builds the
    response; otherwise the reason (or the standard phrase) is the body."""

    def __init__(self, status_code, reason=None):
        super().__init__(status_code, reason)
        self.status_code = status_code
        self.reason = reason


# RFC 9110 token characters (method and header names)
_TCHAR = "!#$%&'*+-.^_`|~0123456789" \
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

# header values that may not be repeated with different values, and headers
# whose repeated values are joined with a separator other than ', '
_SINGLE = ('content-length', 'host', 'transfer-encoding')


def is_token(s):
    """True if ``s`` is a non-empty RFC 9110 token."""
    if not s:
        return False
    for c in s:
        if c not in _TCHAR:
            return False
    return True


def find_head_end(buf, max_line, max_headers):
    """Return the length of the complete request head at the start of ``buf``
    (up to and including the blank line), or -1 if more bytes are needed.

    Raises HTTPException 414 if the request line grows past ``max_line``, 431
    if a header line does or there are more than ``max_headers`` headers. The
    limits are enforced while the head is still arriving, so an endless head
    is refused without buffering it."""
    end = buf.find(b'\r\n\r\n')
    first = buf.find(b'\r\n')
    if first < 0:
        # a trailing CR may be the start of the CRLF: not part of the line
        if len(buf) - buf.endswith(b'\r') > max_line:
            raise HTTPException(414, 'Request line too long')
        return -1
    if first > max_line:
        raise HTTPException(414, 'Request line too long')
    stop = end + 2 if end >= 0 else len(buf)
    # check every complete header line, and the partial one at the end
    count = 0
    pos = first + 2
    while pos < stop:
        nl = buf.find(b'\r\n', pos, stop)
        line_end = nl
        if nl < 0:
            # a partial line, maybe ending with the CR of its CRLF; a lone CR
            # is the start of the blank line that ends the head
            line_end = stop - (buf[stop - 1] == 13)
            if line_end == pos:
                break
        if line_end - pos > max_line:
            raise HTTPException(431, 'Header line too long')
        count += 1
        if count > max_headers:
            raise HTTPException(431, 'Too many headers')
        if nl < 0:
            break
        pos = nl + 2
    return end + 4 if end >= 0 else -1


def parse_request_line(line):
    """Split ``METHOD SP target SP HTTP/x.y`` (a str without CRLF) into
    ``(method, target, version)`` where version is '1.0' or '1.1'."""
    parts = line.split(' ')
    if len(parts) != 3:
        if line.startswith('PRI * HTTP/2'):
            raise HTTPException(505, 'HTTP version not supported')
        raise HTTPException(400, 'Malformed request line')
    method, target, proto = parts
    if not is_token(method) or not target:
        raise HTTPException(400, 'Malformed request line')
    if proto == 'HTTP/1.1':
        version = '1.1'
    elif proto == 'HTTP/1.0':
        version = '1.0'
    elif proto.startswith('HTTP/') and len(proto) == 8 and \
            proto[5] in '0123456789' and proto[6] == '.' and \
            proto[7] in '0123456789':
        if proto[5] == '1':
            # a later HTTP/1.x is served as 1.1 (RFC 9110, section 2.5)
            version = '1.1'
        else:
            raise HTTPException(505, 'HTTP version not supported')
    else:
        raise HTTPException(400, 'Malformed request line')
    for c in target:
        if c <= ' ' or c == '\x7f':
            raise HTTPException(400, 'Malformed request target')
    return method, target, version


def parse_request_head(head):
    """Parse a complete request head (bytes, ending with the blank line) into
    ``(method, target, version, headers)``; ``headers`` is a NoCaseDict of
    str values (repeated headers joined with ', ', cookies with '; ')."""
    try:
        text = head.decode()
    except UnicodeError:
        text = to_str(head)
    lines = text.split('\r\n')
    # the head ends with an empty line and the split leaves a trailing ''
    if len(lines) < 3 or lines[-1] or lines[-2]:
        raise HTTPException(400, 'Malformed request head')
    request_line = lines[0]
    if '\r' in request_line or '\n' in request_line or \
            '\x00' in request_line:
        raise HTTPException(400, 'Malformed request line')
    method, target, version = parse_request_line(request_line)
    headers = NoCaseDict()
    for i in range(1, len(lines) - 2):
        line = lines[i]
        colon = line.find(':')
        if colon <= 0:
            raise HTTPException(400, 'Malformed header line')
        name = line[:colon]
        if not is_token(name):
            # covers obs-fold (leading space), spaces before the colon and
            # control characters in the name
            raise HTTPException(400, 'Malformed header name')
        value = line[colon + 1:].strip(' \t')
        if '\r' in value or '\n' in value or '\x00' in value:
            raise HTTPException(400, 'Malformed header value')
        old = headers.get(name)
        if old is None:
            headers[name] = value
        else:
            lname = name.lower()
            if lname in _SINGLE:
                if lname == 'content-length' and old == value:
                    continue
                raise HTTPException(400, 'Conflicting ' + name + ' headers')
            headers[name] = old + ('; ' if lname == 'cookie' else ', ') + \
                value
    return method, target, version, headers


def parse_content_length(value):
    """The body length from a Content-Length value; 400 unless it is plain
    decimal digits (no sign, no spaces inside)."""
    if not value or len(value) > 18:
        raise HTTPException(400, 'Invalid Content-Length')
    for c in value:
        if c not in '0123456789':
            raise HTTPException(400, 'Invalid Content-Length')
    return int(value)


def parse_chunk_size(line):
    """The size from a chunk-size line (bytes without CRLF); extensions after
    ';' are ignored. 400 on anything but hex digits."""
    semi = line.find(b';')
    if semi >= 0:
        line = line[:semi]
    line = line.strip(b' \t')
    if not line or len(line) > 15:
        raise HTTPException(400, 'Invalid chunk size')
    for c in line:
        if c not in b'0123456789abcdefABCDEF':
            raise HTTPException(400, 'Invalid chunk size')
    return int(line, 16)
