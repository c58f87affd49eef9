"""Cross-Origin Resource Sharing: the headers that let pages from other
origins call the app from JavaScript, and the answers to their preflight
``OPTIONS`` requests."""
from .response import Response


def normalize_origin(origin):
    """An origin as browsers send it: lower case, no trailing slash."""
    return origin.strip().rstrip('/').lower()


class CORS:
    """Add CORS headers to HTTP responses.

    :param app: the application; or call :meth:`initialize` later.
    :param allowed_origins: a list of the origins (``'https://example.com'``)
                            allowed to make cross-origin requests, or
                            ``'*'`` for any origin. ``None`` (the default)
                            allows none.
    :param allow_credentials: ``True`` to let browsers send cookies and
                              ``Authorization`` headers and read the answer
                              (``Access-Control-Allow-Credentials: true``);
                              with ``'*'`` the request's own origin is then
                              named instead of ``*``, as browsers require.
    :param allowed_methods: the methods allowed in cross-origin requests
                            (all when not given).
    :param expose_headers: the response headers that scripts may read
                           beyond the simple ones.
    :param allowed_headers: the request headers allowed in cross-origin
                            requests (all when not given).
    :param max_age: how long (seconds) browsers may cache a preflight
                    answer.
    :param handle_cors: ``False`` to add no headers automatically (call
                        :meth:`get_cors_headers` yourself).

    Whenever the answer depends on the ``Origin`` header, responses carry
    ``Vary: Origin`` so that caches keep one copy per origin."""

    def __init__(self, app=None, allowed_origins=None,
                 allow_credentials=False, allowed_methods=None,
                 expose_headers=None, allowed_headers=None, max_age=None,
                 handle_cors=True):
        if allowed_origins is not None and allowed_origins != '*':
            allowed_origins = [normalize_origin(o) for o in allowed_origins]
        self.allowed_origins = allowed_origins
        self.allow_credentials = allow_credentials
        self.allowed_methods = allowed_methods and \
            [m.upper() for m in allowed_methods]
        self.expose_headers = expose_headers
        self.allowed_headers = allowed_headers and \
            [h.lower() for h in allowed_headers]
        self.max_age = max_age
        self.default_options_handler = None
        if app is not None:
            self.initialize(app, handle_cors=handle_cors)

    def initialize(self, app, handle_cors=True):
        """Add CORS handling to ``app``: preflight answers and the headers
        of every response (error responses too).

        :param handle_cors: ``False`` to add nothing automatically."""
        if not handle_cors:
            return
        self.default_options_handler = app.options_handler
        app.options_handler = self.options_handler
        app.after_request(self.after_request)
        app.after_error_request(self.after_request)

    def options_handler(self, request):
        """The headers of the automatic answer to ``OPTIONS`` (a preflight):
        the app's ``Allow`` plus the method and headers asked for in
        ``Access-Control-Request-Method`` / ``-Headers`` that are allowed,
        and ``Access-Control-Max-Age``. The origin headers are added by
        :meth:`after_request`."""
        default = self.default_options_handler
        headers = default(request) if default is not None else {}
        method = request.headers.get('Access-Control-Request-Method')
        if method:
            allowed = self.allowed_methods
            if allowed is None or method.upper() in allowed:
                headers['Access-Control-Allow-Methods'] = method
            asked = request.headers.get('Access-Control-Request-Headers')
            if asked:
                allowed = self.allowed_headers
                if allowed is not None:
                    asked = ', '.join([h.strip() for h in asked.split(',')
                                       if h.strip().lower() in allowed])
                if asked:
                    headers['Access-Control-Allow-Headers'] = asked
            if self.max_age is not None:
                headers['Access-Control-Max-Age'] = str(self.max_age)
        return headers

    def get_cors_headers(self, request):
        """Return the dict of CORS headers for the response to ``request``
        (empty when its origin is not allowed)."""
        allowed = self.allowed_origins
        if not allowed:
            return {}
        origin = request.headers.get('Origin')
        headers = {}
        if allowed == '*':
            if not self.allow_credentials:
                headers['Access-Control-Allow-Origin'] = '*'
            elif origin and origin != 'null':
                # a credentialed answer must name the origin: it now
                # depends on the request
                headers['Access-Control-Allow-Origin'] = origin
                headers['Vary'] = 'Origin'
        else:
            headers['Vary'] = 'Origin'
            if origin and normalize_origin(origin) in allowed:
                headers['Access-Control-Allow-Origin'] = origin
        if 'Access-Control-Allow-Origin' in headers:
            if self.allow_credentials:
                headers['Access-Control-Allow-Credentials'] = 'true'
            if self.expose_headers:
                headers['Access-Control-Expose-Headers'] = \
                    ', '.join(self.expose_headers)
        return headers

    async def after_request(self, request, response):
        """Add the CORS headers to ``response`` (an ``after_request``
        hook)."""
        if response is None or response is Response.already_handled:
            return  # the handler wrote its own response (a WebSocket)
        for name, value in self.get_cors_headers(request).items():
            if name == 'Vary':
                vary = response.headers.get('Vary')
                if vary and 'origin' not in vary.lower():
                    value = vary + ', ' + value
                elif vary:
                    continue
            response.headers[name] = value
