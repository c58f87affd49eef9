"""User sessions kept in a cookie, as an HS256 JSON Web Token.

The session data lives in the client's cookie, signed with the app's secret
key, so the server keeps nothing (a device has no room for a session store).
The data can be read by the client (it is signed, not encrypted): keep
secrets out of it. A cookie that fails any check (bad signature, another key,
``alg: none``, expired, malformed) is an empty session, never an error.
"""
from .jwt import _now, decode as jwt_decode, encode as jwt_encode
from .response import Response
from .runtime import invoke_handler


class SessionDict(dict):
    """A session: a dict with :meth:`save` and :meth:`delete`. Changes are
    sent to the client only when :meth:`save` is called."""

    def __init__(self, request, session_dict):
        super().__init__(session_dict)
        #: the request this session belongs to
        self.request = request

    def save(self):
        """Send the session's data to the client in the session cookie (set
        on the response of the current request)."""
        session_manager(self.request).update(self.request, self)

    def delete(self):
        """Empty the session and ask the client to delete its cookie."""
        session_manager(self.request).delete(self.request)


def session_manager(request):
    """The :class:`Session` that serves ``request``'s app (or the mounted
    sub-app that handles it)."""
    for app in (request.app, request.subapp):
        session = getattr(app, '_session', None)
        if session is not None:
            return session
    raise ValueError('no Session is initialized for this app')


def no_response(response):
    """True when an ``after_request`` hook has no response to change: the
    handler wrote its own (a WebSocket) and returned
    ``Response.already_handled``."""
    return response is None or response is Response.already_handled


class Session:
    """Session handling.

    :param app: the application; or call :meth:`initialize` later.
    :param secret_key: the key the session cookie is signed with (str or
                       bytes); use at least 32 random bytes and keep it out
                       of the source code.
    :param cookie_options: a dict of arguments for
                           :meth:`microdot.Response.set_cookie`
                           that replace the defaults (``path='/'``,
                           ``http_only=True``, ``same_site='Lax'``, and
                           ``secure=True`` for requests that came over
                           HTTPS: give ``secure=True`` behind a proxy that
                           ends TLS, as the app then sees HTTP). A
                           ``max_age`` also puts an expiry (``exp``) in the
                           token, so an old cookie is refused even if the
                           client keeps it.
    """
    #: the name of the session cookie
    cookie_name = 'session'
    secret_key = None

    def __init__(self, app=None, secret_key=None, cookie_options=None):
        self.cookie_options = {'path': '/', 'http_only': True,
                               'same_site': 'Lax'}
        self.initialize(app, secret_key, cookie_options)

    def initialize(self, app, secret_key=None, cookie_options=None):
        """Attach the session handler to ``app`` (when not given to the
        constructor), optionally setting the secret key and cookie
        options."""
        if secret_key is not None:
            self.secret_key = secret_key
        if cookie_options:
            self.cookie_options.update(cookie_options)
        if app is not None:
            app._session = self

    def get(self, request):
        """Return the session of ``request``, a :class:`SessionDict`: the
        data in the client's session cookie, or empty when there is no
        valid cookie. The same dict is returned for the whole request."""
        g = request.g
        session = getattr(g, '_session', None)
        if session is None:
            if not self.secret_key:
                raise ValueError('The session secret key is not configured')
            token = request.cookies.get(self.cookie_name)
            session = g._session = SessionDict(
                request, self.decode(token) if token else {})
            g._session_action = None
            request.after_request(self._after_request)
        return session

    def update(self, request, session):
        """Replace the session of ``request`` with the data in ``session`` (a
        dict) and send it to the client when the response goes out.
        Applications normally call ``session.save()`` instead."""
        current = self.get(request)
        if session is not current:
            current.clear()
            for key in session:
                current[key] = session[key]
        request.g._session_action = 'save'

    def delete(self, request):
        """Empty the session of ``request`` and delete the client's cookie
        when the response goes out. Applications normally call
        ``session.delete()`` instead."""
        self.get(request).clear()
        request.g._session_action = 'delete'

    def encode(self, payload, secret_key=None):
        """Sign ``payload`` (a dict) into a session token."""
        return jwt_encode(payload, secret_key or self.secret_key)

    def decode(self, session, secret_key=None):
        """Return the data in the session token ``session``, or ``{}`` when
        the token is refused for any reason."""
        try:
            payload = jwt_decode(session, secret_key or self.secret_key)
        except ValueError:  # every refusal of microdot.jwt is a ValueError
            return {}
        payload.pop('exp', None)
        return payload

    async def _after_request(self, request, response):
        if no_response(response):
            return
        vary = response.headers.get('Vary')
        if not vary:
            response.headers['Vary'] = 'Cookie'
        elif 'cookie' not in vary.lower():
            response.headers['Vary'] = vary + ', Cookie'
        action = request.g._session_action
        options = self.cookie_options
        if 'secure' not in options and request.scheme == 'https':
            # a session that came over HTTPS never leaves it
            options = dict(options)
            options['secure'] = True
        if action == 'save':
            payload = request.g._session
            max_age = options.get('max_age')
            if max_age is not None:
                payload = {'exp': int(_now()) + int(max_age)}
                for key in request.g._session:
                    payload.setdefault(key, request.g._session[key])
            response.set_cookie(self.cookie_name, self.encode(payload),
                                **options)
        elif action == 'delete':
            response.delete_cookie(self.cookie_name, **options)


def with_session(f):
    """Decorator that passes the user session to the route handler, as the
    argument after the request::

        @app.route('/')
        @with_session
        async def index(request, session):
            session['visits'] = session.get('visits', 0) + 1
            session.save()
            return 'Hello, World!'

    The decorator does not save the session: call ``session.save()``."""
    async def wrapper(request, *args, **kwargs):
        return await invoke_handler(
            f, request, session_manager(request).get(request), *args,
            **kwargs)
    return wrapper
