"""The application: the route table, the request hooks, the error handlers, and
the dispatch of one request to its handler."""
from .http11 import HTTPException
from .response import Response, reason_phrase
from .routing import Router, URLPattern
from .runtime import call_handler, invoke_handler, print_exception


def abort(status_code, reason=None):
    """End the current request with an HTTP error status (raises
    HTTPException, which the app turns into the error response)."""
    raise HTTPException(status_code, reason)


# redirect() and send_file() are Response's own class methods (the same
# arguments): a bound method costs a device less RAM than a function
redirect = Response.redirect
send_file = Response.send_file


def make_response(res):
    """Turn what a handler returned into a Response, with Microdot's rules:
    a Response as is; an int is a status with an empty body; a tuple is
    ``(body, status)``, ``(body, headers)`` or ``(body, status, headers)``;
    anything else is the body (str, bytes, dict, list, generator...)."""
    if isinstance(res, Response):
        return res
    if isinstance(res, int) and not isinstance(res, bool):
        return Response('', res)
    if isinstance(res, tuple):
        if not res:
            return Response(None)
        if isinstance(res[0], int) and not isinstance(res[0], bool):
            return Response('', res[0], res[1] if len(res) > 1 else None)
        body = res[0]
        if len(res) > 1 and isinstance(res[1], int):
            return Response(body, res[1], res[2] if len(res) > 2 else None)
        return Response(body, 200, res[1] if len(res) > 1 else None)
    return Response(res)


class Microdot:
    """A web application.

    Routes are added with :meth:`route`, or with the shortcuts ``get``,
    ``post``, ``put``, ``patch``, ``delete`` and ``query`` (each is
    ``route(url_pattern, methods=[METHOD])``);
    hooks with :meth:`before_request` and :meth:`after_request`, error
    responses with :meth:`errorhandler`; :meth:`run` serves the app."""

    def __init__(self):
        self.router = Router()
        #: every route as ``(methods, URLPattern, handler, url_prefix,
        #: subapp)``, in the order they were added
        self.url_map = []
        self.before_request_handlers = []
        self.after_request_handlers = []
        self.after_error_request_handlers = []
        self.error_handlers = {}
        self.options_handler = self.default_options_handler
        self.debug = False
        self.server = None

    def route(self, url_pattern, methods=None):
        """Decorator that registers a handler for a URL pattern and a list
        of methods (``['GET']`` when not given). The handler is called as
        ``handler(request, **url_args)``."""
        def decorated(f):
            self.add_route(url_pattern, methods or ['GET'], f)
            return f
        return decorated

    def add_route(self, url_pattern, methods, handler, url_prefix='',
                  subapp=None):
        """Register ``handler`` (what :meth:`route` does, without a
        decorator)."""
        methods = [m.upper() for m in methods]
        pattern = url_pattern if isinstance(url_pattern, URLPattern) else \
            URLPattern(url_pattern)
        self.url_map.append((methods, pattern, handler, url_prefix, subapp))
        self.router.add(methods, pattern, handler, url_prefix, subapp)

    def get(self, url_pattern):
        """``route(url_pattern, methods=['GET'])``; ``post``, ``put``,
        ``patch``, ``delete`` and ``query`` likewise."""
        return self.route(url_pattern, ['GET'])

    def post(self, url_pattern):
        return self.route(url_pattern, ['POST'])

    def put(self, url_pattern):
        return self.route(url_pattern, ['PUT'])

    def patch(self, url_pattern):
        return self.route(url_pattern, ['PATCH'])

    def delete(self, url_pattern):
        return self.route(url_pattern, ['DELETE'])

    def query(self, url_pattern):
        return self.route(url_pattern, ['QUERY'])

    def before_request(self, f):
        """Register a hook that runs before each request's handler. If it
        returns a response, the handler is skipped and that is sent."""
        self.before_request_handlers.append(f)
        return f

    def after_request(self, f):
        """Register a hook that receives ``(request, response)`` after each
        successful request and may return a replacement response."""
        self.after_request_handlers.append(f)
        return f

    def after_error_request(self, f):
        """Register a hook like :meth:`after_request` for error responses
        (404, 405, exceptions...)."""
        self.after_error_request_handlers.append(f)
        return f

    def errorhandler(self, status_code_or_exception_class):
        """Register the handler for an error status (called with the
        request) or an exception class (called with the request and the
        exception; subclasses are matched too)."""
        def decorated(f):
            self.error_handlers[status_code_or_exception_class] = f
            return f
        return decorated

    def mount(self, subapp, url_prefix='', local=False):
        """Add every route of ``subapp`` under ``url_prefix``. With
        ``local=False`` the sub-app's hooks and error handlers apply to the
        whole app; with ``local=True`` only to the sub-app's routes."""
        from .mount import mount
        mount(self, subapp, url_prefix, local)

    def register(self, view_class, url_prefix='', **options):
        """Register a class-based view (a ``Controller`` or ``HyperView``
        subclass) under ``url_prefix``; the class does the work in its
        ``register_routes(app, url_prefix, **options)`` class method, so
        the core does not need to know the kinds of views."""
        return view_class.register_routes(self, url_prefix, **options)

    abort = staticmethod(abort)

    def find_route(self, req):
        """Return the handler for a request, with the URL arguments stored
        in ``req.url_args`` (and, for a mounted app's route, its prefix and
        app in ``req.url_prefix`` and ``req.subapp``); a headers dict for
        an automatic OPTIONS answer, or the error status (404, 405) when no
        route takes the request."""
        route, args = self.router.find(req.method, req.path)
        if route is not None:
            req.url_args = args
            if route[3] or route[4] is not None:  # else the defaults stand
                req.url_prefix = route[3]
                req.subapp = route[4]
            return route[2]
        if not args:
            return 404
        if req.method == 'OPTIONS' and self.options_handler is not None:
            return self.options_handler(req)
        req.url_args = args  # the allowed methods, for the Allow header
        return 405

    def default_options_handler(self, req):
        """The headers of the automatic answer to OPTIONS."""
        from .routing_re import allowed_methods
        allowed = allowed_methods(self.router, req.path)
        if 'OPTIONS' not in allowed:
            allowed.append('OPTIONS')
        return {'Allow': ', '.join(allowed)}

    async def error_response(self, req, status_code, reason=None):
        """The response for an error status: the error handler registered
        for it (the sub-app's first), else the reason as plain text."""
        sub = req.subapp if req is not None else None
        handler = None
        if sub is not None and status_code in sub.error_handlers:
            handler = sub.error_handlers[status_code]
        elif status_code in self.error_handlers:
            handler = self.error_handlers[status_code]
        if handler is not None:
            return make_response(await invoke_handler(handler, req))
        return Response(reason or reason_phrase(status_code), status_code)

    async def dispatch_request(self, req):
        """Run one request through hooks, handler and error handling and
        return the Response to send."""
        after_done = False
        try:
            if req.content_length > req.max_content_length:
                res = await self.error_response(req, 413,
                                                'Payload too large')
            else:
                f = self.find_route(req)
                if isinstance(f, int):
                    res = await self.error_response(req, f)
                    if f == 405 and req.url_args:
                        res.headers['Allow'] = ', '.join(req.url_args)
                    req.url_args = {}
                elif isinstance(f, dict):
                    res = Response(headers=f)
                else:
                    req.route = f
                    res = None
                    # the app's own hooks unless the route is a sub-app's
                    sub = req.subapp
                    if sub is not None:
                        from .mount import hooks
                    for hook in self.before_request_handlers if \
                            sub is None else \
                            hooks(self, req, 'before_request_handlers', False):
                        res = await invoke_handler(hook, req)
                        if res:
                            break
                    if res is None:
                        res = await call_handler(f, req, **req.url_args)
                    res = make_response(res)
                    for hook in self.after_request_handlers if \
                            sub is None else \
                            hooks(self, req, 'after_request_handlers', True):
                        res = await invoke_handler(hook, req, res) or res
                    for hook in req.after_request_handlers:
                        res = await invoke_handler(hook, req, res) or res
                    after_done = True
        except Exception as exc:
            res = await self.handle_exception(req, exc)
        if res is Response.already_handled:
            return res
        if not after_done:
            sub = req.subapp
            if sub is not None:
                from .mount import hooks
            for hook in self.after_error_request_handlers if sub is None \
                    else hooks(self, req, 'after_error_request_handlers',
                               True):
                try:
                    res = await invoke_handler(hook, req, res) or res
                except Exception as exc:  # a broken hook must not kill us
                    print_exception(exc)
        if req.method == 'HEAD':
            res.is_head = True
        return res

    async def handle_exception(self, req, exc):
        """The response for an exception raised while handling ``req``:
        HTTPException gives its status; other exceptions go to the error
        handler for their class (or a base class), else 500 — or 503 for
        MemoryError, so a device under memory pressure says so."""
        try:
            from .errors import exception_response
            return await exception_response(self, req, exc)
        except MemoryError:
            import gc
            gc.collect()
            return Response(b'', 503)

    async def start_server(self, host='0.0.0.0', port=5000, debug=False,
                           ssl=None, **options):
        """Serve the app until :meth:`shutdown` is called (a coroutine, for
        apps that run other tasks beside the server). ``ssl`` is an
        ``ssl.SSLContext`` for HTTPS. Server limits can be given as keyword
        arguments (see :class:`microdot.server.Server`)."""
        import gc
        # free the garbage of the app's set-up first, so that the server
        # and asyncio's stream module load into its holes: on MicroPython
        # the heap is otherwise too fragmented for them (the hello app
        # starts in 56k instead of 60k)
        gc.collect()
        from .server import Server
        self.debug = debug
        self.server = Server(self, **options)
        await self.server.serve(host, port, ssl=ssl)

    def run(self, host='0.0.0.0', port=5000, debug=False, ssl=None,
            **options):
        """Serve the app until :meth:`shutdown` is called (blocks)."""
        import gc
        gc.collect()  # before asyncio loads: see start_server
        import asyncio
        asyncio.run(self.start_server(host=host, port=port, debug=debug,
                                      ssl=ssl, **options))

    def shutdown(self):
        """Stop the server: no new connections are accepted, requests in
        progress finish, then ``run``/``start_server`` return."""
        if self.server is not None:
            self.server.shutdown()
