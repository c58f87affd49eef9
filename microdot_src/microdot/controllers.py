"""Class-based controllers: routes declared on methods with :func:`route`,
inherited and overridden along a chain of classes, with per-route
authentication, CSRF tokens, CORS and JSON-RPC 2.0 routes::

    from microdot.controllers import Controller, route, request

    class Shop(Controller):
        @route('/shop', auth='public')
        def index(self, **kw):
            return '<h1>Shop</h1>'

    class MyShop(Shop):
        @route()                        # keeps '/shop' and auth='public'
        def index(self, **kw):
            return super().index(**kw) + '<p>mine</p>'

    app.register(MyShop)                # replaces Shop's routes if registered

MicroPython has no ``__init_subclass__``, no metaclasses and no attributes
on functions, so controllers are registered explicitly and the arguments of
each ``@route`` are kept in a dict keyed by the decorated function.

The current request is :data:`request`, a proxy bound to the request being
handled by a controller: a context variable on CPython (copied into the
worker thread of a plain ``def`` handler), the running asyncio task on
MicroPython (where plain handlers run inline).
"""
from .app import abort, make_response as _to_response, redirect
from .response import Response
from .routing import Router
from .runtime import IS_MICROPYTHON, invoke_handler

# what each @route was given, keyed by the decorated function
_routes = {}
_KEEP = object()  # "not given": the inherited value stays
_DEFAULTS = {'type': 'http', 'auth': 'user', 'methods': None, 'cors': None,
             'csrf': True}
# what methods=None stands for (HEAD comes with GET, OPTIONS is automatic)
_ALL_METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'QUERY')
_SAFE_METHODS = ('GET', 'HEAD', 'OPTIONS', 'TRACE')
_HTML = 'text/html; charset=UTF-8'
_JSON = 'application/json; charset=UTF-8'

if IS_MICROPYTHON:
    from asyncio import current_task
    _bound = {}  # task -> the request it handles

    def _bind(req):
        task = current_task()
        token = (task, _bound.get(task))
        _bound[task] = req
        return token

    def _unbind(token):
        if token[1] is None:
            del _bound[token[0]]
        else:
            _bound[token[0]] = token[1]

    def _current():
        try:
            return _bound.get(current_task())
        except RuntimeError:  # no event loop running
            return None

    async def _invoke(method, kw):
        # sync handlers run inline here; an async one returns a generator
        kw.pop('self', None)  # a field named "self" must not reach the call
        try:
            ret = method(**kw)
        except TypeError as exc:
            # no signatures to check on MicroPython: a TypeError about
            # arguments raised by the call itself means bad parameters
            if 'argument' in str(exc):
                raise _BadArguments(str(exc))
            raise
        if type(ret).__name__ == 'generator':
            ret = await ret
        return ret
else:
    from contextvars import ContextVar
    from functools import partial
    from inspect import signature
    _var = ContextVar('microdot.controllers.request', default=None)
    _bind = _var.set
    _unbind = _var.reset
    _current = _var.get

    async def _invoke(method, kw):
        kw.pop('self', None)  # a field named "self" must not reach the call
        try:
            signature(method).bind(**kw)
        except TypeError as exc:
            raise _BadArguments(str(exc))
        # a plain def runs in a worker thread that gets this context
        return await invoke_handler(partial(method, **kw))


class _BadArguments(Exception):
    pass


def route(route=None, type=_KEEP, auth=_KEEP, methods=_KEEP, cors=_KEEP,
          csrf=_KEEP):
    """Decorator that publishes a controller method.

    :param route: the URL rule (``'/items/<int:id>'``), or a list of rules
                  served by the same method.
    :param type: ``'http'`` (default): URL parameters, query and form fields
                 are keyword arguments; ``'json'``: a JSON-RPC 2.0 method
                 (POST), its ``params`` object gives the keyword arguments.
    :param auth: ``'user'`` (default): a logged-in user is required;
                 ``'public'``: anonymous requests get the public user;
                 ``'none'``: no user at all.
    :param methods: the HTTP methods accepted (default: all); others are
                    answered with 405.
    :param cors: the ``Access-Control-Allow-Origin`` value (``'*'`` or an
                 origin); preflight ``OPTIONS`` requests are answered.
    :param csrf: ``True`` (default): unsafe methods on http routes need a
                 valid CSRF token; ``False`` for webhooks and the like.

    When a subclass overrides the method, the arguments of every ``@route``
    along the chain are combined, ancestors first: an argument given later
    wins, and ``@route()`` keeps everything. An override without ``@route``
    unpublishes the method."""
    given = {'n': len(_routes)}  # declaration order: route precedence
    if route is not None:
        given['route'] = [route] if isinstance(route, str) else list(route)
    for name, value in (('type', type), ('auth', auth), ('methods', methods),
                        ('cors', cors), ('csrf', csrf)):
        if value is not _KEEP:
            given[name] = value
    if given.get('type', 'http') not in ('http', 'json') or \
            given.get('auth', 'user') not in ('user', 'public', 'none'):
        raise ValueError('route: type must be "http" or "json", auth '
                         '"user", "public" or "none"')

    def decorator(f):
        _routes[f] = given
        return f
    return decorator


def _info(f):
    try:
        return _routes.get(f)
    except TypeError:  # an unhashable class attribute
        return None


class PublicUser:
    """The user of anonymous requests on ``auth='public'`` routes."""
    id = None
    name = 'public'
    is_public = True

    def __repr__(self):
        return '<public user>'


class ControllerConfig:
    """How controllers of an app learn who the user is, and sign their
    CSRF tokens. Without one, the user is ``request.g.current_user`` (set
    by :mod:`microdot.login` or :mod:`microdot.auth` in a hook) and CSRF
    tokens are signed with the session's secret key.

    :param app: the application (or call :meth:`initialize`).
    :param login: a :class:`microdot.login.Login`: its current user is the
                  request's user and its ``login_url`` the login page.
    :param get_user: a function (sync or async) called with the request
                     that returns its user, or None; it replaces the above.
    :param public_user: the user of anonymous requests on ``auth='public'``
                        routes (a :class:`PublicUser` by default).
    :param login_url: where ``auth='user'`` http routes send anonymous
                      users (with ``?next=``); without one they get 401.
    :param csrf_secret: the key CSRF tokens are signed with (default: the
                        session's secret key).
    :param csrf_max_age: how many seconds a CSRF token is valid."""
    public_user = PublicUser()

    def __init__(self, app=None, login=None, get_user=None, public_user=None,
                 login_url=None, csrf_secret=None, csrf_max_age=3600):
        self.login = login
        if get_user is not None:
            self.get_user = get_user
        if public_user is not None:
            self.public_user = public_user
        self.login_url = login_url or getattr(login, 'login_url', None)
        self.csrf_secret = csrf_secret
        self.csrf_max_age = csrf_max_age
        if app is not None:
            self.initialize(app)

    def initialize(self, app):
        """Use this configuration for the controllers of ``app``."""
        app.controller_config = self

    async def get_user(self, request):
        """The user of ``request``, or None when nobody is logged in."""
        if self.login is not None:
            return await self.login.get_current_user(request)
        return getattr(request.g, 'current_user', None)


_default_config = ControllerConfig()


def _config(req):
    return getattr(req.subapp, 'controller_config', None) or \
        getattr(req.app, 'controller_config', None) or _default_config


def current_request():
    """The request a controller is handling in this task (or thread)."""
    req = _current()
    if req is None:
        raise RuntimeError('no request is being handled by a controller')
    return req


class RequestProxy:
    """The request being handled, as :data:`request`: every attribute of
    :class:`microdot.Request`, plus :attr:`user`, :meth:`csrf_token` and
    :meth:`make_response`. Keep per-request data in ``request.g``."""

    def __getattr__(self, name):
        return getattr(current_request(), name)

    def __setattr__(self, name, value):
        setattr(current_request(), name, value)

    @property
    def user(self):
        """The user for the route's ``auth``: the logged-in user, the
        public user (``'public'``, nobody logged in) or None (``'none'``)."""
        return getattr(current_request().g, '_ctl_user', None)

    def csrf_token(self):
        """A new CSRF token for a form (``<input type="hidden"
        name="csrf_token">``) or an ``X-CSRF-Token`` header: signed, bound
        to the session, valid for ``ControllerConfig.csrf_max_age``
        seconds."""
        from .csrf import make_token
        req = current_request()
        cfg = _config(req)
        secret, sid = _csrf_key(req, cfg, True)
        return make_token(secret, sid, cfg.csrf_max_age)

    def make_response(self, data, headers=None, cookies=None):
        """A 200 response: ``data`` is the body (a str or bytes is sent as
        HTML unless ``headers`` give a Content-Type; a dict or list as
        JSON), ``cookies`` a dict of cookie names and values to set."""
        res = Response(data, 200, headers)
        if isinstance(data, (str, bytes)) and \
                'Content-Type' not in res.headers:
            res.headers['Content-Type'] = _HTML
        if cookies:
            for name in cookies:
                res.set_cookie(name, cookies[name])
        return res


#: the current request (see :class:`RequestProxy`)
request = RequestProxy()


def _csrf_key(req, cfg, create):
    # (secret, id of the session the token is bound to); the id is None
    # when the session has none yet and ``create`` is false
    try:
        from .session import session_manager
        manager = session_manager(req)
    except (ImportError, ValueError):
        manager = None
    secret = cfg.csrf_secret or manager is not None and manager.secret_key
    if not secret:
        raise ValueError('CSRF tokens need a secret: initialize a Session '
                         'or give ControllerConfig(csrf_secret=...)')
    if manager is None:
        return secret, ''
    from .csrf import session_csrf_id
    return secret, session_csrf_id(manager, req, create)


def _csrf_valid(req, cfg, token):
    if not token:
        return False
    from .csrf import verify_token
    try:
        secret, sid = _csrf_key(req, cfg, False)
    except ValueError:  # no secret: no token can be valid
        return False
    return sid is not None and verify_token(secret, sid, token)


async def _authenticate(req, cfg, auth):
    # set request.user for the route's auth mode; False: a user is needed
    g = req.g
    user = None
    if auth != 'none':
        try:
            user = g._ctl_found
        except AttributeError:  # looked up once per request
            user = g._ctl_found = await invoke_handler(cfg.get_user, req)
        if user is None:
            if auth == 'user':
                return False
            user = cfg.public_user
    g._ctl_user = user
    return True


def _preflight(cors, methods):
    return Response('', 204, {
        'Access-Control-Allow-Origin': cors,
        'Access-Control-Allow-Methods': ', '.join(methods),
        'Access-Control-Allow-Headers':
            'Content-Type, X-CSRF-Token, Authorization',
        'Access-Control-Max-Age': '86400'})


async def _serve_http(req, ctrl, name, opts, methods, url_args):
    cors = opts['cors']
    if cors and req.method == 'OPTIONS':
        return _preflight(cors, methods)
    cfg = _config(req)
    if not await _authenticate(req, cfg, opts['auth']):
        url = cfg.login_url
        if not url:
            abort(401)
        from .urlencoding import urlencode
        here = req.path + ('?' + req.query_string if req.query_string
                           else '')
        return redirect(url + ('&' if '?' in url else '?') + 'next=' +
                        urlencode(here))
    form = req.form
    token = form.pop('csrf_token', None) if form else None
    if opts['csrf'] and req.method not in _SAFE_METHODS and \
            not _csrf_valid(req, cfg, req.headers.get('X-CSRF-Token') or
                            token and token[0]):
        abort(403, 'Invalid CSRF token')
    kw = {}
    for fields in (req.args, form):
        if fields:
            for key in fields:
                kw[key] = fields[key]
    kw.update(url_args)
    try:
        res = await _invoke(getattr(ctrl, name), kw)
    except _BadArguments:
        abort(400)
    if not res:
        res = Response('', 204)
    elif isinstance(res, str):
        res = Response(res, 200, {'Content-Type': _HTML})
    else:
        res = _to_response(res)
    if cors:
        res.headers['Access-Control-Allow-Origin'] = cors
    return res


async def _serve_json(req, ctrl, table, methods, url_args):
    # table: method name -> merged route options of the json routes that
    # share this URL; with one, the JSON-RPC "method" is ignored
    from . import jsonrpc
    cors = None
    for name in table:
        cors = cors or table[name]['cors']
    if req.method == 'OPTIONS':
        return _preflight(cors, methods) if cors else \
            Response('', 200, {'Allow': ', '.join(methods)})
    status = 200
    ctype = (req.content_type or '').partition(';')[0].strip().lower()
    if ctype != 'application/json':
        # a cross-site form cannot send this type: that is the CSRF defence
        status = 415
        answer = jsonrpc.error_text(
            None, jsonrpc.INVALID_REQUEST, 'Invalid Request',
            {'name': 'UnsupportedMediaType',
             'message': 'Content-Type must be application/json'})
    else:
        cfg = _config(req)

        async def call(method, params):
            name = method if len(table) > 1 else next(iter(table))
            opts = table.get(name)
            if opts is None:
                raise jsonrpc.JsonRpcError(jsonrpc.METHOD_NOT_FOUND,
                                           'Method not found')
            if isinstance(params, list):
                raise jsonrpc.JsonRpcError(
                    jsonrpc.INVALID_PARAMS, 'Invalid params',
                    {'name': 'TypeError', 'message': 'positional params '
                     'are not supported: send params as an object'})
            if not await _authenticate(req, cfg, opts['auth']):
                raise jsonrpc.JsonRpcError(
                    jsonrpc.AUTH_REQUIRED, 'Authentication required',
                    {'name': 'Unauthorized',
                     'message': 'this method needs a logged-in user'})
            kw = dict(params) if params else {}
            kw.update(url_args)
            try:
                return await _invoke(getattr(ctrl, name), kw)
            except _BadArguments as exc:
                raise jsonrpc.JsonRpcError(
                    jsonrpc.INVALID_PARAMS, 'Invalid params',
                    {'name': 'TypeError', 'message': str(exc)})
        body = req.body
        if not body and req.content_length:  # over max_body_length
            body = await req.stream.readexactly(req.content_length)
        answer = await jsonrpc.handle(body, call, req.app.debug)
    res = Response('', 204) if answer is None else \
        Response(answer, status, {'Content-Type': _JSON})
    if cors:
        res.headers['Access-Control-Allow-Origin'] = cors
    return res


def _endpoint(serve, *target):
    # the handler the app routes to: binds ``request`` around ``serve``
    async def endpoint(req, **url_args):
        token = _bind(req)
        try:
            return await serve(req, *target, url_args)
        finally:
            _unbind(token)
    return endpoint


class Controller:
    """Base class of controllers. Publish methods with :func:`route`, then
    ``app.register(MyController, url_prefix='')``. One instance serves
    every request: keep per-request data in ``request.g``.

    Only a single chain of controller classes is supported (MicroPython's
    ``super()`` follows one chain): a class with two controller bases is
    refused at registration."""

    @classmethod
    def register_routes(cls, app, url_prefix='', **options):
        """Add the published methods of this class to ``app`` (what
        ``app.register(cls, url_prefix)`` calls). Routes of an ancestor
        already registered on ``app`` are removed first, so an extension
        can override a controller it did not write; registering an ancestor
        of a registered class does nothing. Returns the controller
        instance (None when nothing was registered)."""
        if options:
            raise TypeError('unexpected options: ' + ', '.join(options))
        chain = _chain(cls)
        registry = getattr(app, '_controllers', None)
        if registry is None:
            registry = app._controllers = []
        dead = []
        for entry in registry[:]:
            if entry[0] in chain:  # an ancestor (or cls itself) is replaced
                dead.extend(entry[1])
                registry.remove(entry)
            elif cls in _chain(entry[0]):
                return None  # a subclass is registered: it stays
        if dead:
            _remove_routes(app, dead)
        ctrl = cls()
        endpoints = []
        json_tables = {}
        for opts in _published(cls, chain):
            name = opts['name']
            if opts['type'] == 'json':
                methods = ['POST', 'OPTIONS']
            else:
                methods = [m.upper() for m in opts['methods'] or
                           _ALL_METHODS]
                if opts['cors'] and 'OPTIONS' not in methods:
                    methods.append('OPTIONS')
                endpoint = _endpoint(_serve_http, ctrl, name, opts, methods)
            for url in opts.get('route') or ():
                if opts['type'] == 'json':
                    table = json_tables.get(url)
                    if table is not None:
                        table[name] = opts
                        continue
                    table = json_tables[url] = {name: opts}
                    endpoint = _endpoint(_serve_json, ctrl, table, methods)
                app.add_route(url_prefix + url, methods, endpoint, url_prefix)
                endpoints.append(endpoint)
        registry.append((cls, endpoints))
        return ctrl


def _chain(cls):
    # cls and its controller ancestors, most derived first
    chain = []
    while cls is not Controller:
        bases = [b for b in cls.__bases__ if issubclass(b, Controller)]
        if len(bases) != 1:
            raise TypeError(
                '%s: a controller must extend exactly one Controller class '
                '(found %s); make one of them extend the other' %
                (cls.__name__, ', '.join([b.__name__ for b in bases]) or
                 'none'))
        chain.append(cls)
        cls = bases[0]
    return chain


def _published(cls, chain):
    # the merged route options of each published method, in the order the
    # methods were first declared
    names = []
    for c in chain:
        for name in c.__dict__:
            if name not in names and _info(c.__dict__[name]) is not None:
                names.append(name)
    found = []
    for name in names:
        if _info(getattr(cls, name)) is None:
            continue  # overridden without @route: unpublished
        opts = dict(_DEFAULTS)
        order = None
        for c in reversed(chain):  # ancestors first, later ones override
            info = _info(c.__dict__.get(name))
            if info is not None:
                if order is None:
                    order = info['n']
                opts.update(info)
        if not opts.get('route'):
            raise ValueError('%s.%s: @route needs a URL' % (cls.__name__,
                                                             name))
        opts['name'] = name
        opts['n'] = order
        found.append(opts)
    found.sort(key=lambda opts: opts['n'])
    return found


def _remove_routes(app, endpoints):
    # rebuild the route table without ``endpoints``, order kept
    app.url_map = [r for r in app.url_map if r[2] not in endpoints]
    app.router = router = Router()
    for methods, pattern, handler, prefix, subapp in app.url_map:
        router.add(methods, pattern, handler, prefix, subapp)
