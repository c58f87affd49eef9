"""Formatting of ``Set-Cookie`` values, loaded the first time a response sets
a cookie."""
from .response import InvalidHeader, check_header_text


def format_cookie(cookie, value, path=None, domain=None, expires=None,
                  max_age=None, secure=False, http_only=False,
                  partitioned=False, same_site=None):
    """The value of a ``Set-Cookie`` header (see Response.set_cookie).
    Raises InvalidHeader for a name, value or attribute that would break the
    header or add an attribute (``;``, CR, LF, NUL)."""
    value = '' if value is None else str(value)
    if not cookie or ';' in cookie or '=' in cookie or ';' in value:
        raise InvalidHeader('invalid cookie name or value')
    for attribute in (path, domain, same_site):
        # 'path=/; Domain=evil' would add an attribute of the caller's
        if attribute and ';' in attribute:
            raise InvalidHeader('invalid cookie attribute %r' % (attribute,))
    parts = [cookie + '=' + value]
    if path:
        parts.append('Path=' + path)
    if domain:
        parts.append('Domain=' + domain)
    if expires is not None:
        if hasattr(expires, 'utctimetuple'):
            # a datetime (CPython): an aware one is converted to GMT, a naive
            # one taken as GMT; English names whatever the locale
            expires = _format_date(expires.utctimetuple())
        elif hasattr(expires, 'timetuple'):  # a date
            expires = _format_date(expires.timetuple())
        elif not isinstance(expires, str):
            expires = http_date(expires)
        parts.append('Expires=' + expires)
    if max_age is not None:
        parts.append('Max-Age=' + str(int(max_age)))
    if secure:
        parts.append('Secure')
    if http_only:
        parts.append('HttpOnly')
    if same_site:
        parts.append('SameSite=' + same_site)
    if partitioned:
        parts.append('Partitioned')
    return check_header_text('; '.join(parts))


def http_date(t):
    """An HTTP-date (``Thu, 01 Jan 1970 00:00:00 GMT``) from a Unix time."""
    import time
    return _format_date(time.gmtime(int(t)))


def _format_date(tm):
    y, mo, d, h, mi, s, wd = tm[:7]
    return '%s, %02d %s %04d %02d:%02d:%02d GMT' % (
        ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[wd], d,
        ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct',
         'Nov', 'Dec')[mo - 1], y, h, mi, s)


def set_cookie(res, *args, **kwargs):
    """Response.set_cookie: add a ``Set-Cookie`` header to ``res``."""
    header = format_cookie(*args, **kwargs)
    cookies = res.headers.get('Set-Cookie')
    if cookies is None:
        res.headers['Set-Cookie'] = [header]
    elif isinstance(cookies, list):
        cookies.append(header)
    else:
        res.headers['Set-Cookie'] = [cookies, header]


def delete_cookie(res, cookie, **kwargs):
    """Response.delete_cookie: a cookie that expired long ago."""
    kwargs.pop('expires', None)
    kwargs.pop('max_age', None)
    set_cookie(res, cookie, '', expires='Thu, 01 Jan 1970 00:00:01 GMT',
               max_age=0, **kwargs)
