"""Logging users in and out of a web app, on top of :mod:`microdot.session`.

The logged-in user's id is kept in the session; an optional "remember me"
cookie (a signed, expiring token) logs the user back in when the session
cookie is gone. Routes decorated with ``@login`` (or
``@login.login_required``) redirect anonymous users to the login page, with
a ``next`` argument that brings them back after logging in; a ``next`` that
points to another site is ignored.
"""
from .app import redirect
from .hmac import hmac_sha256
from .jwt import _now, decode as jwt_decode, encode as jwt_encode
from .runtime import invoke_handler
from .session import no_response, session_manager


def safe_next_url(url):
    """Return ``url`` when it is a path on this site (``/...``), else
    ``None``: absolute URLs, scheme-relative ones (``//evil``, ``/\\evil``,
    which browsers read as ``//evil``) and URLs holding control characters
    (which browsers drop, turning ``/\\t/evil`` into ``//evil``) are refused.
    """
    if not url or url[0] != '/' or url[1:2] in ('/', '\\'):
        return None
    for c in url:
        if c < ' ' or c == '\x7f' or c == '\\':
            return None
    return url


class Login:
    """User login support.

    :param login_url: where anonymous users are sent when a route needs a
                      logged-in user (``'/login'``).

    A :class:`microdot.session.Session` must be initialized on the app: the
    user id is stored in the session."""
    #: the name of the "remember me" cookie
    remember_cookie = '_remember'

    def __init__(self, login_url='/login'):
        self.login_url = login_url
        self.user_loader_callback = None

    def user_loader(self, f):
        """Decorator that sets the function that returns the user object
        for a user id (``None`` when there is no such user any more). It may
        be ``async``."""
        self.user_loader_callback = f
        return f

    def _session(self, request):
        return session_manager(request).get(request)

    def _remember_key(self, request):
        # remember tokens are signed with a key of their own, derived from
        # the session key, so a session token can never pass for one
        return hmac_sha256(session_manager(request).secret_key,
                           'microdot.login.remember')

    def _set_remember_cookie(self, request, days, user_id=None):
        options = session_manager(request).cookie_options
        kwargs = {'path': options.get('path', '/'), 'http_only': True,
                  'same_site': options.get('same_site') or 'Lax',
                  'secure': options.get('secure', request.scheme == 'https')}
        if options.get('domain'):
            kwargs['domain'] = options['domain']
        name = self.remember_cookie
        if days:
            token = jwt_encode({'user_id': user_id, 'days': days,
                                'exp': int(_now()) + days * 86400},
                               self._remember_key(request))

        async def set_cookie(request, response):
            if no_response(response):
                return
            if days:
                response.set_cookie(name, token, max_age=days * 86400,
                                    **kwargs)
            else:
                response.delete_cookie(name, **kwargs)
        request.after_request(set_cookie)

    def _user_id(self, request):
        session = self._session(request)
        user_id = session.get('_user_id')
        if user_id is None:
            token = request.cookies.get(self.remember_cookie)
            if token:
                try:
                    claims = jwt_decode(token, self._remember_key(request))
                    user_id = claims['user_id']
                    days = int(claims['days'])
                except (ValueError, KeyError, TypeError):
                    return None
                if user_id is not None:
                    session['_user_id'] = user_id
                    session['_fresh'] = False
                    session.save()
                    self._set_remember_cookie(request, days, user_id)
        return user_id

    async def login_user(self, request, user, remember=False,
                         redirect_url='/'):
        """Log ``user`` in: store its ``id`` attribute in the session.

        :param request: the request.
        :param user: the user object, with an ``id`` attribute (or key).
        :param remember: ``True`` to also set a "remember me" cookie for 30
                         days, or the number of days it should last.
        :param redirect_url: where to go when the request has no valid
                             ``next`` argument.

        Returns a redirect to the ``next`` argument of the request (the page
        the user wanted before logging in) when it is a path on this site,
        else to ``redirect_url``."""
        user_id = user['id'] if isinstance(user, dict) else user.id
        session = self._session(request)
        session['_user_id'] = user_id
        session['_fresh'] = True
        session.save()
        if remember:
            self._set_remember_cookie(
                request, 30 if remember is True else int(remember), user_id)
        request.g.current_user = user
        return redirect(safe_next_url(request.args.get('next')) or
                        redirect_url)

    async def logout_user(self, request):
        """Log the current user out: remove the user from the session and
        delete the "remember me" cookie."""
        session = self._session(request)
        session.pop('_user_id', None)
        session.pop('_fresh', None)
        session.save()
        self._set_remember_cookie(request, 0)
        request.g.current_user = None

    async def get_current_user(self, request):
        """Return the logged-in user (what the user loader returns for the
        id in the session or the "remember me" cookie), or ``None``. The
        user is also kept in ``request.g.current_user``."""
        g = request.g
        if getattr(g, 'current_user', None) is not None:
            return g.current_user
        user_id = self._user_id(request)
        user = None
        if user_id is not None and self.user_loader_callback is not None:
            user = await invoke_handler(self.user_loader_callback, user_id)
        g.current_user = user
        return user

    def _redirect_to_login(self, request):
        from .urlencoding import urlencode
        url = request.path
        if request.query_string:
            url += '?' + request.query_string
        return redirect(self.login_url + ('&' if '?' in self.login_url
                                          else '?') + 'next=' +
                        urlencode(url))

    def _protect(self, f, fresh):
        async def wrapper(request, *args, **kwargs):
            user = await self.get_current_user(request)
            if user is None or \
                    fresh and not self._session(request).get('_fresh'):
                return self._redirect_to_login(request)
            return await invoke_handler(f, request, *args, **kwargs)
        return wrapper

    def __call__(self, f):
        """Decorator for routes that need a logged-in user: anonymous users
        are redirected to the login URL, with ``next`` set to the page they
        asked for::

            @app.route('/secret')
            @login
            async def secret(request):
                return 'Hello, ' + request.g.current_user.name
        """
        return self._protect(f, False)

    login_required = __call__

    def fresh(self, f):
        """Decorator like ``@login`` that also refuses a login restored from
        the "remember me" cookie: the user must have logged in during this
        session (for changing a password, say)."""
        return self._protect(f, True)
