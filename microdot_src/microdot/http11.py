"""The HTTP/1.1 request-head parser: bytes in, a parsed head or an
HTTPException with the exact status out. No I/O, so it can be fuzzed and
tested without a socket; the server loop only moves bytes.
"""
from .structures import NoCaseDict, _lower


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

# headers that a request may carry once only (RFC 9112 6.3, 3.2)
_SINGLE = ('content-length', 'host', 'transfer-encoding')


def _token(s):
    # a non-empty RFC 9110 token (method and header names): strip() removes
    # token characters from both ends in C, so only a string made of them
    # strips to nothing
    return s != '' and s.strip(_TCHAR) == ''


def find_head_end(buf, max_line, max_headers):
    """Return the length of the complete request head at the start of ``buf``
    (up to and including the blank line), or -1 if more bytes are needed.

    Raises HTTPException 414 if the request line grows past ``max_line``, 431
    if a header line does or there are more than ``max_headers`` headers. The
    limits are enforced while the head is still arriving, so an endless head
    is refused without buffering it. A line ended by a bare LF is refused
    (400) as soon as it arrives, not after the header timeout spent
    waiting for a CRLF."""
    end = buf.find(b'\r\n\r\n')
    stop = end + 4 if end >= 0 else len(buf)
    if buf.count(b'\n', 0, stop) != buf.count(b'\r\n', 0, stop):
        raise HTTPException(400, 'Bare LF in request head')
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


def parse_request_head(head):
    """Parse a complete request head (bytes, ending with the blank line) into
    ``(method, target, version, headers)``; version is '1.0' or '1.1' and
    ``headers`` a NoCaseDict of str values (repeated headers joined with
    ', ', cookies with '; ')."""
    try:
        text = head.decode()
    except UnicodeError:
        from .urlencoding import to_str
        text = to_str(head)
    # lines are found by position and only their parts are copied: on a
    # device each intermediate string is garbage to collect
    first = text.find('\r\n')
    if first < 0 or not text.endswith('\r\n\r\n'):
        raise HTTPException(400, 'Malformed request head')
    # the request line: METHOD SP target SP HTTP/x.y, found by position
    # (the version is read in place: no list, no copy of the line)
    sp1 = text.find(' ', 0, first)
    sp2 = text.find(' ', sp1 + 1, first) if sp1 > 0 else -1
    p = sp2 + 1  # the version
    if sp2 < 0 or text.find(' ', p, first) >= 0:
        if text.startswith('PRI * HTTP/2'):
            raise HTTPException(505, 'HTTP version not supported')
        raise HTTPException(400, 'Malformed request line')
    method = text[:sp1]
    target = text[sp1 + 1:sp2]
    ok = _token(method) and target != '' and first - p == 8 and \
        text.startswith('HTTP/', p) and text[p + 6] == '.' and \
        text[p + 5] in '0123456789' and text[p + 7] in '0123456789'
    for c in target:
        if c <= ' ' or c == '\x7f':
            ok = False
    if not ok:
        raise HTTPException(400, 'Malformed request line')
    if text[p + 5] != '1':
        raise HTTPException(505, 'HTTP version not supported')
    # HTTP/1.x with x > 1 is answered as 1.1 (RFC 9110 6.2)
    version = '1.0' if text.startswith('HTTP/1.0', p) else '1.1'
    headers = NoCaseDict()
    keymap = headers.keymap  # repeated names found without a method call
    pos = first + 2
    stop = len(text) - 2
    while pos < stop:
        eol = text.find('\r\n', pos)
        colon = text.find(':', pos, eol)
        name = text[pos:colon]
        if colon <= pos or not _token(name):
            raise HTTPException(400, 'Malformed header line')
        # the value without the white space around it (RFC 9112 5.1)
        start = colon + 1
        while start < eol and text[start] in ' \t':
            start += 1
        end = eol
        while end > start and text[end - 1] in ' \t':
            end -= 1
        value = text[start:end]
        if '\r' in value or '\n' in value or '\x00' in value:
            raise HTTPException(400, 'Malformed header value')
        pos = eol + 2
        lname = _lower(name)
        key = keymap.get(lname)
        if key is None:
            headers[name] = value
            continue
        old = headers[key]
        if lname in _SINGLE:
            if lname == 'content-length' and old == value:
                continue
            raise HTTPException(400, 'Conflicting ' + name + ' headers')
        headers[key] = old + ('; ' if lname == 'cookie' else ', ') + value
    return method, target, version, headers
