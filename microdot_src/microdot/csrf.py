"""Protection against cross-site request forgery (CSRF).

Two defences, usable together or apart:

- :class:`CSRF` refuses state-changing requests (anything but GET, HEAD and
  OPTIONS) that a browser sent on behalf of another site. It believes the
  browser's ``Sec-Fetch-Site`` header when there is one; otherwise it
  compares ``Origin`` (or the origin of ``Referer``) with the request's own
  ``scheme://Host``, so a same-origin POST to a device on plain HTTP passes.
  ``Origin: null`` is cross-origin.
- :func:`make_token` / :func:`verify_token`: signed, expiring tokens bound
  to a session, for forms (a hidden ``csrf_token`` field) and scripts (an
  ``X-CSRF-Token`` header).
"""
from time import time as _now

from .app import abort

_DEFAULT_PORTS = {'http': ':80', 'https': ':443'}


def _origin(scheme, host):
    # 'scheme://host' in lower case, without the scheme's default port
    scheme = scheme.lower()
    host = host.lower()
    port = _DEFAULT_PORTS.get(scheme)
    if port and host.endswith(port):
        host = host[:-len(port)]
    return scheme + '://' + host


def url_origin(url):
    """The origin (``scheme://host[:port]``) of an absolute URL, normalized
    as :func:`request_origin` is; ``None`` when ``url`` is not absolute."""
    scheme, sep, rest = url.strip().partition('://')
    if not sep or not scheme or '/' in scheme:
        return None
    end = len(rest)
    for c in '/?#':
        i = rest.find(c)
        if 0 <= i < end:
            end = i
    return _origin(scheme, rest[:end]) if end else None


def _hostname(origin):
    # the host of an origin, without the port
    host = origin.partition('://')[2]
    if host.endswith(']'):  # an IPv6 address without a port
        return host
    return host.rpartition(':')[0] or host


def request_origin(request):
    """The request's own origin: its scheme and ``Host`` header (lower case,
    default port left out)."""
    return _origin(request.scheme, request.headers.get('Host', ''))


_default_secret = []


def default_secret():
    """The key CSRF tokens are signed with when the app gives none and has
    no Session: random, made on first use, one per process, so that
    hypermedia views and actions accept each other's ``csrf_token``
    cookie. Tokens signed with it do not survive a restart."""
    if not _default_secret:
        from .hmac import token_hex
        _default_secret.append(token_hex(32))
    return _default_secret[0]


def _token_signature(secret, session_id, nonce, expires):
    # the nonce and the expiry hold no '|', so the message is unambiguous;
    # the 'csrf|' prefix keeps these signatures apart from any other use of
    # the same secret (a JWT's signing input never holds '|'). microdot.hmac
    # is loaded here, so an app that only checks origins never loads it.
    from .hmac import b64url_encode, hmac_sha256
    return b64url_encode(hmac_sha256(secret, 'csrf|%s|%s|%s' % (
        session_id, nonce, expires)))


def make_token(secret, session_id='', max_age=3600):
    """Return a new CSRF token (a URL-safe str).

    :param secret: the app's secret key (str or bytes).
    :param session_id: what the token is bound to: an id kept in the user's
                       session, so a token taken from another user's page
                       is refused (``''`` binds it to nothing).
    :param max_age: how many seconds the token stays valid.

    The token is ``nonce.expiry.signature`` with the signature
    ``HMAC-SHA256(secret, session_id + nonce + expiry)``; each call gives a
    new random nonce."""
    from .hmac import token_urlsafe
    nonce = token_urlsafe(12)
    expires = str(int(_now()) + int(max_age))
    return nonce + '.' + expires + '.' + _token_signature(
        secret, session_id, nonce, expires)


def verify_token(secret, session_id, token):
    """Tell whether ``token`` was made by :func:`make_token` with this
    ``secret`` and ``session_id`` and has not expired. Never raises: any
    malformed value (``None``, garbage, a tampered token) gives False."""
    try:
        nonce, expires, signature = token.split('.')
        if int(expires) <= _now():
            return False
    except (AttributeError, TypeError, ValueError):
        return False
    from .hmac import compare_digest
    return compare_digest(
        _token_signature(secret, session_id, nonce, expires), signature)


class CSRF:
    """CSRF protection for the app's routes.

    :param app: the application; or call :meth:`initialize` later.
    :param cors: a :class:`microdot.cors.CORS` whose ``allowed_origins``
                 list names other origins trusted to send state-changing
                 requests (``'*'`` trusts none).
    :param protect_all: ``True`` (default) protects every route for the
                        unsafe methods, except routes marked with
                        :meth:`exempt`; ``False`` protects only routes
                        marked with :meth:`protect`.
    :param allow_subdomains: also trust origins on subdomains of the app's
                             host and of the trusted origins.

    A refused request is answered with 403 (through the app's 403 error
    handler when there is one)."""
    SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS']

    def __init__(self, app=None, cors=None, protect_all=True,
                 allow_subdomains=False):
        self.cors = cors
        self.protect_all = protect_all
        self.allow_subdomains = allow_subdomains
        self.exempt_routes = []
        self.protected_routes = []
        if app is not None:
            self.initialize(app, cors)

    def initialize(self, app, cors=None):
        """Add the protection to ``app`` (a ``before_request`` hook).

        :param cors: as for the constructor."""
        if cors is not None:
            self.cors = cors
        app.before_request(self._check)

    def exempt(self, f):
        """Decorator that leaves a route unprotected; put it right under the
        route decorator::

            @app.post('/webhook')
            @csrf.exempt
            async def webhook(request):
                ...
        """
        self.exempt_routes.append(f)
        return f

    def protect(self, f):
        """Decorator that protects a route, for any method (even GET);
        put it right under the route decorator."""
        self.protected_routes.append(f)
        return f

    def _trusted_origin(self, origin, request):
        trusted = self.cors.allowed_origins if self.cors is not None else None
        if not isinstance(trusted, (list, tuple)):  # None or '*'
            trusted = ()
        trusted = [request_origin(request)] + [url_origin(o) for o in trusted]
        if origin in trusted:
            return True
        if self.allow_subdomains:
            scheme = origin.partition('://')[0] + '://'
            host = _hostname(origin)
            for base in trusted:
                if base and base.startswith(scheme) and \
                        host.endswith('.' + _hostname(base)):
                    return True
        return False

    def is_trusted(self, request):
        """Tell whether ``request`` may change state: it was not sent by a
        browser on behalf of another site (see the module description)."""
        h = request.headers
        site = (h.get('Sec-Fetch-Site') or '').lower()
        if site in ('same-origin', 'none'):
            return True
        origin = h.get('Origin')
        if origin is None and not site:
            referer = h.get('Referer')
            if not referer:
                return True  # not a browser, or one that hides its origin
            origin = url_origin(referer)
        else:
            origin = url_origin(origin or '')
        return origin is not None and self._trusted_origin(origin, request)

    async def _check(self, request):
        f = request.route
        if f in self.exempt_routes:
            return
        if f in self.protected_routes or self.protect_all and \
                request.method not in self.SAFE_METHODS:
            if not self.is_trusted(request):
                abort(403)


def session_csrf_id(manager, request, create=True):
    """The random id the CSRF tokens of a session are bound to, kept in the
    session (``manager``, a Session) under ``_csrf``: made and saved on
    first use when ``create``, else None until then. Controllers, actions
    and hypermedia views share it, so one token serves all of them."""
    data = manager.get(request)
    sid = data.get('_csrf')
    if not sid and create:
        from .hmac import token_hex
        sid = data['_csrf'] = token_hex(8)
        data.save()
    return sid
