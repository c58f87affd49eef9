"""HTTP authentication of routes: Basic (user name and password) and tokens
(``Authorization: Bearer ...`` or any header and scheme).

The app supplies the check with ``@auth.authenticate``; a route decorated
with ``@auth`` then runs only for requests it accepts, with the user it
returned in ``request.g.current_user``. A missing, malformed or refused
credential is answered with 401 (or the app's own error response), never
with a 500.
"""
from binascii import a2b_base64

from .app import abort
from .response import Response
from .runtime import invoke_handler


class BaseAuth:
    """What :class:`BasicAuth` and :class:`TokenAuth` share: the route
    decorators and the callbacks."""
    #: the request header that carries the credentials
    header = 'Authorization'
    #: the scheme word that starts the header's value ('' for none)
    scheme = ''
    #: the status of the default error response
    error_status = 401

    def __init__(self):
        #: called with the request and the credentials; returns the user
        self.auth_callback = None
        #: called with the request when authentication fails; returns the
        #: response to send
        self.error_callback = self.authentication_error

    def authenticate(self, f):
        """Decorator that sets the function that checks credentials. It is
        called with the request and the credentials (``username, password``
        for :class:`BasicAuth`, ``token`` for :class:`TokenAuth`), may be
        ``async``, and returns the user (any object), or ``None`` (or
        ``False``) to refuse them::

            @auth.authenticate
            async def check(request, username, password):
                user = await load_user(username)
                if user and user.check_password(password):
                    return user
        """
        self.auth_callback = f
        return f

    def errorhandler(self, f):
        """Decorator that sets the function that makes the response for a
        request whose authentication failed. It is called with the request
        and returns anything a route handler may return."""
        self.error_callback = f
        return f

    error = errorhandler

    def credentials(self, request):
        """The text after the scheme in the credentials header, or ``None``
        when the header is missing or names another scheme."""
        value = request.headers.get(self.header)
        if not value:
            return None
        if self.scheme:
            scheme, _, value = value.strip().partition(' ')
            if scheme.lower() != self.scheme.lower():
                return None
        return value.strip() or None

    async def authentication_error(self, request):
        """The default error response: ``abort(error_status)``."""
        abort(self.error_status)

    def __call__(self, f):
        """Decorator that protects a route: the handler runs only when the
        request authenticates, with the user in ``request.g.current_user``;
        otherwise the error callback answers::

            @app.route('/admin')
            @auth
            async def admin(request):
                return 'Hello, ' + request.g.current_user.name
        """
        return self._protect(f, False)

    def optional(self, f):
        """Decorator for a route that runs with or without valid
        credentials; ``request.g.current_user`` is ``None`` without."""
        return self._protect(f, True)

    def _protect(self, f, optional):
        async def wrapper(request, *args, **kwargs):
            user = None
            creds = self._parse(request)
            if creds is not None and self.auth_callback is not None:
                user = await invoke_handler(self.auth_callback, request,
                                            *creds)
            if user is False:
                user = None
            if user is None and not optional:
                return await invoke_handler(self.error_callback, request)
            request.g.current_user = user
            return await invoke_handler(f, request, *args, **kwargs)
        return wrapper

    def _parse(self, request):
        value = self.credentials(request)
        return None if value is None else (value,)


class BasicAuth(BaseAuth):
    """HTTP Basic authentication: the browser asks for a user name and a
    password and sends them with every request.

    :param realm: the text shown when the browser asks for credentials.
    :param charset: the charset announced for user names and passwords
                    (they are decoded as UTF-8).
    :param scheme: the authentication scheme, ``'Basic'``.
    :param error_status: the status when authentication fails (401).

    Only use it over HTTPS (or a trusted network): the password travels in
    clear text in every request."""

    def __init__(self, realm='Please login', charset='UTF-8', scheme='Basic',
                 error_status=401):
        super().__init__()
        self.realm = realm
        self.charset = charset
        self.scheme = scheme
        self.error_status = error_status

    def _parse(self, request):
        value = self.credentials(request)
        if value is None:
            return None
        try:
            username, sep, password = a2b_base64(value).decode() \
                .partition(':')
        except (ValueError, UnicodeError):  # binascii.Error is a ValueError
            return None
        return (username, password) if sep else None

    async def authentication_error(self, request):
        """The default error response: ``error_status`` with a
        ``WWW-Authenticate`` header, so a browser asks for credentials."""
        return Response(b'', self.error_status, {
            'WWW-Authenticate': '%s realm="%s", charset="%s"' % (
                self.scheme, self.realm.replace('"', "'"), self.charset)})


class TokenAuth(BaseAuth):
    """Token authentication: the client sends a token (an API key, a JWT,
    ...) in a header.

    :param header: the header that carries the token (``'Authorization'``).
    :param scheme: the word before the token in the header, compared
                   without case. By default ``'Bearer'`` in
                   ``Authorization``, and none in any other header, whose
                   whole value is then the token (``X-API-Key: abc123``),
                   as with Microdot; ``''`` never expects one.
    :param error_status: the status when authentication fails (401).
    """

    def __init__(self, header='Authorization', scheme=None,
                 error_status=401):
        super().__init__()
        self.header = header
        if scheme is None:
            scheme = 'Bearer' if header.lower() == 'authorization' else ''
        self.scheme = scheme
        self.error_status = error_status
