"""Query strings and urlencoded forms: the multi-valued dict they parse into
and percent-encoding. Loaded the first time a request reads ``args`` or
``form``, so a device that never does keeps it out of RAM."""


def to_str(b):
    """Bytes to str as UTF-8; bytes that are not valid UTF-8 never raise: each
    byte then maps to the code point of the same value (latin-1)."""
    try:
        return b.decode()
    except UnicodeError:
        return ''.join([chr(c) for c in b])


def convert_each(values, type=None):
    """A new list of ``values`` converted with ``type`` (as they are when
    None); those it cannot convert are left out."""
    if type is None:
        return list(values)
    out = []
    for v in values:
        try:
            out.append(type(v))
        except (TypeError, ValueError):
            pass
    return out


class MultiDict(dict):
    """A dictionary that can hold several values per key, for query strings
    and form fields (``?tag=a&tag=b``).

    ``d[key] = value`` adds a value; ``d[key]`` and ``d.get(key)`` return the
    first one; ``d.getlist(key)`` returns all of them."""

    def __init__(self, initial_dict=None):
        super().__init__()
        if initial_dict:
            for key in initial_dict:
                self[key] = initial_dict[key]

    def __setitem__(self, key, value):
        if key in self:
            super().__getitem__(key).append(value)
        else:
            super().__setitem__(key, [value])

    def __getitem__(self, key):
        return super().__getitem__(key)[0]

    def get(self, key, default=None, type=None):
        """Return the first value of ``key`` (converted with ``type`` if
        given), or ``default`` when the key is missing or the conversion
        fails."""
        if key not in self:
            return default
        value = self[key]
        if type is not None:
            try:
                value = type(value)
            except (TypeError, ValueError):
                return default
        return value

    def getlist(self, key, type=None):
        """Return every value of ``key`` as a list (empty if missing); values
        that ``type`` cannot convert are left out."""
        if key not in self:
            return []
        return convert_each(super().__getitem__(key), type)

    def items(self):
        """(key, first value) pairs, as a dict of single values would give."""
        return [(k, super(MultiDict, self).__getitem__(k)[0]) for k in self]

    def values(self):
        return [super(MultiDict, self).__getitem__(k)[0] for k in self]

    def to_dict(self):
        """A plain dict with the first value of each key."""
        return dict(self.items())


_SAFE = b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'
_HEX = '0123456789ABCDEF'
_HEX_DIGITS = b'0123456789abcdefABCDEF'


def urlencode(s):
    """Percent-encode a string (or bytes) for a query string or form body:
    UTF-8, spaces as ``+``, everything but unreserved characters escaped."""
    if isinstance(s, str):
        s = s.encode()
    out = []
    for c in s:
        if c in _SAFE:
            out.append(chr(c))
        elif c == 32:
            out.append('+')
        else:
            out.append('%' + _HEX[c >> 4] + _HEX[c & 15])
    return ''.join(out)


def urldecode_bytes(s):
    """Decode a percent-encoded query or form value (``+`` is a space) to
    bytes. A malformed escape such as ``%zz`` is kept as it is."""
    if isinstance(s, str):
        s = s.encode()
    if b'+' in s:
        s = s.replace(b'+', b' ')
    if b'%' not in s:
        return s
    parts = s.split(b'%')
    out = bytearray(parts[0])
    for part in parts[1:]:
        # both characters must be hex digits: int() alone would also take
        # '%+1', '%1 ' or '% 1' (sign, whitespace)
        if len(part) >= 2 and part[0] in _HEX_DIGITS and \
                part[1] in _HEX_DIGITS:
            out.append(int(part[:2], 16))
            out.extend(part[2:])
        else:
            out.extend(b'%')
            out.extend(part)
    return bytes(out)


def urldecode_str(s):
    """Decode a percent-encoded query or form value to a string."""
    return to_str(urldecode_bytes(s))


urldecode = urldecode_str


def parse_urlencoded(data):
    """Parse ``a=1&b=2&a=3`` (str or bytes) into a MultiDict of strings."""
    if isinstance(data, str):
        data = data.encode()
    md = MultiDict()
    for pair in data.split(b'&'):
        if pair:
            k, _, v = pair.partition(b'=')
            md[urldecode_str(k)] = urldecode_str(v)
    return md
