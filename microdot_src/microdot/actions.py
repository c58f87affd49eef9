"""RPC actions: methods of plain classes that a page (through a generated
JavaScript client) or a device calls with one JSON ``POST``, behind guards::

    from microdot.actions import ActionsModule, ActionsOption, action, \\
        OriginActionGuard, CsrfActionGuard

    class DemoActions:
        @action()
        async def hello(self, name: str) -> str:
            return 'Hello, ' + name

    module = ActionsModule.for_root(ActionsOption(path='/_actions', guards=[
        OriginActionGuard(), CsrfActionGuard()]))
    module.register(DemoActions)
    module.install(app)

A call is ``POST /_actions`` with ``{"action": "DemoActions.hello",
"args": [], "kwargs": {"name": "x"}}``; the answer is ``{"ok": true,
"data": ...}`` or ``{"ok": false, "error": {"type": ..., "message": ...}}``
with 400 (bad call), 403 (a guard said no), 404 (unknown action), 415 (not
JSON) or 500 (the action raised). ``GET /_actions/csrf`` gives a CSRF token,
``GET /_actions/schema`` describes every action.

MicroPython has no attributes on functions and no annotations: what the
decorators say is kept in a dict keyed by the function, and parameter types
are read from annotations on CPython (``microdot.actions_types``) or taken
from ``@action(params=..., returns=...)`` where declared. The guards live in
``microdot.action_guards`` and are loaded when first named.
"""
import json

from .response import Response
from .runtime import IS_MICROPYTHON, invoke_handler, print_exception

try:
    from os import getenv
except ImportError:  # a device
    getenv = None

_JSON = 'application/json; charset=UTF-8'
_GUARDS = ('OriginActionGuard', 'CsrfActionGuard', 'ActionSignatureGuard',
           'ActionPermissionGuard', 'MemoryNonceStore', 'preset_guards',
           'configure_from_flags')
__all__ = ('ActionsModule', 'ActionsOption', 'action', 'UseActionGuards',
           'ActionGuard', 'ActionContext', 'ActionError', 'ActionPermissions',
           'ActionAuth', 'configure') + _GUARDS[:4]
#: the name of the cookie that holds the CSRF token
CSRF_COOKIE = 'csrf_token'

# what the decorators said, keyed by the decorated function (or class)
_meta = {}
# the security presets set by configure() (or `microdot run --action-...`)
_presets = {}


def __getattr__(name):
    # the guards (and the presets) are loaded the first time one is named
    if name in _GUARDS:
        from . import action_guards
        return getattr(action_guards, name)
    raise AttributeError(name)


def _info(f):
    try:
        return _meta.get(f)
    except TypeError:  # an unhashable class attribute
        return None


def _entry(f):
    info = _meta.get(f)
    if info is None:
        info = _meta[f] = {'guards': [], 'permissions': []}
    return info


def action(name=None, params=None, returns=None, context=False):
    """Decorator that publishes a method of an actions class.

    :param name: the name callers use after the class name (the method's
                 name by default).
    :param params: the parameters, where annotations cannot be read
                   (MicroPython): a list whose items are ``'name'``,
                   ``'name: type'`` (``'name?: type'`` when it has a
                   default) or ``(name, type[, default])``. On CPython the
                   signature is read when this is not given.
    :param returns: the type of the result (``'str'``, ``'list[int]'``...),
                    where annotations cannot be read.
    :param context: ``True`` to receive the :class:`ActionContext` as the
                    first argument after ``self`` (not a parameter callers
                    send).

    Types are written as in Python annotations (``str``, ``int``,
    ``float``, ``bool``, ``list[str]``, ``dict[str, int]``, ``str | None``,
    ``Any``); the type of each argument is checked before the call."""
    def decorator(f):
        info = _entry(f)
        info['action'] = True
        info['name'] = name
        info['params'] = params
        info['returns'] = returns
        info['context'] = context
        return f
    return decorator


def _instance(guard):
    return guard() if isinstance(guard, type) else guard


def UseActionGuards(*guards):
    """Decorator that adds guards (classes or instances) to an action, or to
    every action of a class. They run after the app-wide guards, in the
    order they are written (top to bottom)."""
    guards = [_instance(g) for g in guards]

    def decorator(f):
        info = _entry(f)
        info['guards'] = guards + info['guards']
        return f
    return decorator


def ActionPermissions(*permissions):
    """Decorator: the user must have every one of these permissions (see
    :class:`ActionsOption`'s ``get_permissions``). Declared permissions are
    always enforced, with or without an ``ActionPermissionGuard``."""
    def decorator(f):
        info = _entry(f)
        info['permissions'] = list(permissions) + info['permissions']
        return f
    return decorator


def ActionAuth(*permissions, guards=()):
    """Decorator: a logged-in user is required, with these permissions,
    and these guards must agree too."""
    guards = [_instance(g) for g in guards]

    def decorator(f):
        info = _entry(f)
        info['auth'] = True
        info['permissions'] = list(permissions) + info['permissions']
        info['guards'] = guards + info['guards']
        return f
    return decorator


class ActionError(Exception):
    """Raise it from an action or a guard to answer with this status and
    error: ``{"ok": false, "error": {"type": type, "message": message}}``.

    :param message: what the caller is told.
    :param status: the HTTP status (400).
    :param type: the error type (by default from the status:
                 ``BadRequest``, ``Forbidden``, ``NotFound``...)."""

    def __init__(self, message, status=400, type=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.type = type or _TYPES.get(status, 'Error')


_TYPES = {400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden',
          404: 'NotFound', 409: 'Conflict', 415: 'UnsupportedMediaType',
          429: 'TooManyRequests', 500: 'InternalError'}


class ActionContext:
    """What a guard (and an action declared with ``context=True``) knows of
    a call: ``request``, ``action`` (the name called), ``args``,
    ``kwargs``, ``user`` (None when nobody is logged in), ``headers``,
    ``body`` (the raw bytes received), ``permissions`` (those the action
    requires) and ``module`` (the :class:`ActionsModule`)."""

    def __init__(self, request, action, args, kwargs, user, body, module):
        self.request = request
        self.action = action
        self.args = args
        self.kwargs = kwargs
        self.user = user
        self.headers = request.headers
        self.body = body
        self.module = module
        self.permissions = ()


class ActionGuard:
    """Base class of guards. ``can_activate(ctx)`` (sync or ``async``)
    returns True to let the call through; False answers 403, and raising
    :class:`ActionError` answers with that error."""

    def can_activate(self, ctx):
        return True


def user_permissions(user):
    """The permissions of ``user``: its ``permissions`` attribute, or key
    for a dict (an empty tuple when it has none)."""
    if isinstance(user, dict):
        return user.get('permissions') or ()
    return getattr(user, 'permissions', None) or ()


def check_permissions(ctx, get_permissions=None):
    """Raise a 403 :class:`ActionError` unless ``ctx.user`` has every
    permission the action requires."""
    if not ctx.permissions:
        return
    if ctx.user is None:
        raise ActionError('a logged-in user is required', 403)
    have = (get_permissions or ctx.module.options.get_permissions or
            user_permissions)(ctx.user)
    for p in ctx.permissions:
        if p not in have:
            raise ActionError('permission denied', 403)


class ActionsOption:
    """The options of an :class:`ActionsModule`.

    :param path: where the actions are served (``'/_actions'``); the CSRF
                 token is at ``path + '/csrf'``, the schema at
                 ``path + '/schema'``.
    :param guards: app-wide guards (classes or instances), run before the
                   guards of each action; the first that says no ends the
                   call.
    :param get_user: a function (sync or async) that returns the user of a
                     request, or None (default: ``request.g.current_user``;
                     ``login.get_current_user`` of :mod:`microdot.login`
                     fits).
    :param get_permissions: a function that returns the permissions of a
                            user (default: :func:`user_permissions`).
    :param csrf_secret: the key CSRF tokens are signed with (default: the
                        session's secret key, else the process's random
                        key from ``csrf.default_secret``, shared with
                        hyper views but not with other processes).
    :param csrf_max_age: how many seconds a CSRF token is valid.
    :param schema: ``False`` to leave ``path + '/schema'`` unserved.
    :param config: a dict of security presets (``MICRODOT_ACTION_...``
                   names) used instead of :func:`configure` and the
                   environment.
    """

    def __init__(self, path='/_actions', guards=None, get_user=None,
                 get_permissions=None, csrf_secret=None, csrf_max_age=3600,
                 schema=True, config=None):
        self.path = path
        self.guards = guards or []
        self.get_user = get_user
        self.get_permissions = get_permissions
        self.csrf_secret = csrf_secret
        self.csrf_max_age = csrf_max_age
        self.schema = schema
        self.config = config


def configure(config):
    """Set the security presets of this process from a dict (a device's
    configuration): the keys are the names of the environment variables
    read on CPython, and win over them. Modules created afterwards apply
    them:

    - ``MICRODOT_ACTION_SECURITY``: origin and CSRF guards on;
    - ``MICRODOT_ACTION_ALLOWED_ORIGINS``: other origins trusted (a list,
      or a comma-separated string); turns the origin guard on;
    - ``MICRODOT_ACTION_ALLOW_MISSING_ORIGIN``: calls without ``Origin``
      or ``Referer`` (not from a browser) pass the origin guard;
    - ``MICRODOT_ACTION_CSRF``: CSRF guard on;
    - ``MICRODOT_ACTION_SIGNATURE_SECRET``: signed calls required, with
      this key;
    - ``MICRODOT_ACTION_PERMISSIONS``: permission guard on."""
    _presets.clear()
    _presets.update(config)


async def _resolve(value):
    # the result of a function that may be sync or async
    if type(value).__name__ in ('coroutine', 'generator'):
        value = await value
    return value


if IS_MICROPYTHON:
    def _is_async(f):
        return type(f).__name__ == 'generator'

    async def _call(method, is_async, args, kwargs):
        # no signatures here: a TypeError raised by the call itself (for an
        # async def, before any of its code ran) is a bad call
        try:
            ret = method(*args, **kwargs)
        except TypeError as exc:
            m = str(exc)
            if is_async or 'positional argument' in m or \
                    'keyword argument' in m or 'multiple values' in m or \
                    m.startswith('function missing') or 'num/types' in m:
                raise ActionError(m)
            raise
        if is_async:
            ret = await ret
        return ret
else:
    from asyncio import iscoroutinefunction as _is_async

    async def _call(method, is_async, args, kwargs):
        # the arguments were checked against the signature: a plain def
        # runs in a worker thread
        return await invoke_handler(method, *args, **kwargs)


def _parse_params(params):
    # declared parameters -> [(name, type, required, kind)]
    out = []
    for p in params:
        if isinstance(p, str):
            name, _, type_ = p.partition(':')
            name = name.strip()
            required = not name.endswith('?')
            p = (name.rstrip('?'), type_.strip() or 'Any', required, '')
        else:
            p = (p[0], p[1] if len(p) > 1 else 'Any', len(p) < 3, '')
        out.append(p)
    return out


def _split_union(t):
    # 'int | list[str | None]' -> ['int', 'list[str | None]']
    parts = []
    depth = start = 0
    for i in range(len(t)):
        c = t[i]
        if c == '[':
            depth += 1
        elif c == ']':
            depth -= 1
        elif c == '|' and not depth:
            parts.append(t[start:i].strip())
            start = i + 1
    parts.append(t[start:].strip())
    return parts


def type_matches(value, t):
    """Tell whether a JSON value fits the type ``t`` (a type string of the
    schema). Only the outer type is checked (``list[int]`` takes any list);
    names it does not know take anything."""
    for part in _split_union(t or 'Any'):
        base, _, inner = part.partition('[')
        if base == 'Optional':
            if value is None or type_matches(value, inner[:-1]):
                return True
        elif base == 'None':
            if value is None:
                return True
        elif base == 'str':
            if isinstance(value, str):
                return True
        elif base == 'bool':
            if value is True or value is False:
                return True
        elif base == 'int' or base == 'float':
            if value is not True and value is not False and (
                    isinstance(value, int) or
                    base == 'float' and isinstance(value, float)):
                return True
        elif base in ('list', 'tuple', 'set', 'frozenset', 'List', 'Tuple',
                      'Sequence'):
            if isinstance(value, list):
                return True
        elif base in ('dict', 'Dict', 'Mapping'):
            if isinstance(value, dict):
                return True
        else:  # Any, a TypedDict, a Literal...: not checked here
            return True
    return False


def bad_arguments(params, args, kwargs):
    """Why ``args`` and ``kwargs`` do not fit ``params`` (the
    ``(name, type, required, kind)`` tuples of an action), or None."""
    i = 0
    used = []
    rest = None
    for name, type_, required, kind in params:
        if kind == 'varargs':
            values = args[i:]
            i = len(args)
        elif kind == 'varkw':
            rest = type_
            continue
        elif kind != 'keyword' and i < len(args):
            if kind != 'positional' and name in kwargs:
                return "got multiple values for argument '%s'" % name
            values = (args[i],)
            i += 1
        elif kind != 'positional' and name in kwargs:
            values = (kwargs[name],)
            used.append(name)
        elif required:
            return "missing argument '%s'" % name
        else:
            values = ()
        for v in values:
            if not type_matches(v, type_):
                return "argument '%s' must be %s" % (name, type_)
    if i < len(args):
        return 'takes %d positional arguments but %d were given' % (
            i, len(args))
    for key in kwargs:
        if key not in used:
            if rest is None:
                return "unexpected keyword argument '%s'" % key
            if not type_matches(kwargs[key], rest):
                return "argument '%s' must be %s" % (key, rest)
    return None


def _answer(status, body):
    from .strictjson import dumps  # an error, not bad JSON, on MicroPython
    return Response(dumps(body), status, {
        'Content-Type': _JSON, 'Cache-Control': 'no-store'})


def _error(status, type_, message):
    return _answer(status, {'ok': False, 'error': {'type': type_,
                                                   'message': message}})


class ActionsModule:
    """The actions of an app: register classes with :meth:`register`,
    serve them with :meth:`install`. Create it with :meth:`for_root`."""

    def __init__(self, options=None):
        options = options or ActionsOption()
        self.options = options
        self.path = options.path.rstrip('/')
        given = [_instance(g) for g in options.guards]
        presets = []
        if options.config or _presets or getenv is not None:
            from .action_guards import preset_guards
            presets = preset_guards(options.config)
        #: the app-wide guards: the presets' (those of a kind not given),
        #: then those given
        self.guards = [g for g in presets if not [
            x for x in given if type(x) is type(g)]] + given
        #: name -> (bound method, is async, info, guards, params, returns)
        self.actions = {}
        self.types = {}
        self._schema = None

    @classmethod
    def for_root(cls, options=None):
        """A module for the app, with these :class:`ActionsOption`."""
        return cls(options)

    def register(self, cls, name=None):
        """Publish the ``@action`` methods of ``cls`` (a class, created
        with no arguments, or an instance), inherited ones included, as
        ``ClassName.method`` (or ``name.method``). An inherited action
        overridden without ``@action`` is not published. Returns the
        instance."""
        if isinstance(cls, type):
            obj = cls()
        else:
            obj, cls = cls, type(cls)
        chain = []
        c = cls
        while c is not None and c is not object:
            chain.insert(0, c)  # ancestors first
            c = c.__bases__[0] if c.__bases__ else None
        class_guards = []
        names = []
        for c in chain:
            info = _info(c)
            if info is not None:
                class_guards = class_guards + info['guards']
            for attr in c.__dict__:
                if attr not in names:
                    names.append(attr)
        prefix = name or cls.__name__
        for attr in names:
            f = getattr(cls, attr, None)
            info = _info(f)
            if info is None or not info.get('action'):
                continue
            full = prefix + '.' + (info['name'] or attr)
            if full in self.actions:
                raise ValueError('two actions are named ' + full)
            method = getattr(obj, attr)
            params, returns = None, info['returns']
            if info['params'] is not None:
                params = _parse_params(info['params'])
            else:
                try:  # CPython only: loaded by name, not copied to boards
                    describe = __import__('microdot.actions_types', None,
                                          None, ['x']).describe
                except ImportError:  # MicroPython: nothing to read
                    describe = None
                if describe is not None:
                    params, ret, types = describe(method, info['context'])
                    returns = returns or ret
                    self.types.update(types)
            self.actions[full] = (method, _is_async(f), info,
                                  class_guards + info['guards'], params,
                                  returns or 'Any')
        self._schema = None
        return obj

    def install(self, app):
        """Add the routes to ``app``: ``POST path`` (calls),
        ``GET path/csrf`` and ``GET path/schema``."""
        app.add_route(self.path or '/', ['POST'], self.handle_call)
        app.add_route(self.path + '/csrf', ['GET'], self.handle_csrf)
        if self.options.schema:
            app.add_route(self.path + '/schema', ['GET'], self.handle_schema)
        modules = getattr(app, 'actions_modules', None)
        if modules is None:
            modules = app.actions_modules = []
        modules.append(self)
        return self

    async def handle_call(self, request):
        """The handler of ``POST path``: one call, answered as JSON."""
        ctype = (request.content_type or '').partition(';')[0]
        if ctype.strip().lower() != 'application/json':
            # a cross-site form cannot send this type
            return _error(415, 'UnsupportedMediaType',
                          'Content-Type must be application/json')
        body = request.body
        if not body and request.content_length:  # over max_body_length
            body = await request.stream.readexactly(request.content_length)
        try:
            call = json.loads(body.decode())
            name = call['action']
            args = call.get('args', [])
            kwargs = call.get('kwargs', {})
            valid = isinstance(name, str) and isinstance(args, list) and \
                isinstance(kwargs, dict)
        except Exception:  # bad JSON or UTF-8, not an object, no action
            valid = False
        if not valid:
            return _error(400, 'BadRequest', 'the body must be {"action": '
                          'name, "args": [...], "kwargs": {...}}')
        try:
            get_user = self.options.get_user
            user = await _resolve(get_user(request)) if get_user else \
                getattr(request.g, 'current_user', None)
            ctx = ActionContext(request, name, args, kwargs, user, body,
                                self)
            entry = self.actions.get(name)
            if entry is not None:
                ctx.permissions = entry[2]['permissions']
            # the app-wide guards first: callers they refuse learn nothing,
            # not even which actions exist
            await self._check(self.guards, ctx)
            if entry is None:
                return _error(404, 'NotFound', 'unknown action: ' + name)
            method, is_async, info, guards, params, _ = entry
            if info.get('auth') and user is None:
                raise ActionError('a logged-in user is required', 403)
            check_permissions(ctx)
            await self._check(guards, ctx)
            if params is not None:
                why = bad_arguments(params, args, kwargs)
                if why:
                    raise ActionError(why)
            if info['context']:
                args = [ctx] + args
            result = await _call(method, is_async, args, kwargs)
        except ActionError as exc:
            return _error(exc.status, exc.type, exc.message)
        except Exception as exc:
            print_exception(exc)
            message = 'the action failed'
            if request.app.debug:
                message = '%s: %s' % (type(exc).__name__, exc)
            return _error(500, 'InternalError', message)
        try:
            return _answer(200, {'ok': True, 'data': result})
        except Exception as exc:  # a result that JSON cannot carry
            print_exception(exc)
            return _error(500, 'InternalError',
                          'the result cannot be sent as JSON')

    async def _check(self, guards, ctx):
        for guard in guards:
            if not await _resolve(guard.can_activate(ctx)):
                raise ActionError('refused by ' + type(guard).__name__, 403)

    def csrf_key(self, request, create):
        """``(secret, id)``: the key CSRF tokens are signed with and the id
        (kept in the session, when the app has one) they are bound to;
        the id is None when ``create`` is false and the session has none
        yet."""
        import sys
        secret = self.options.csrf_secret
        manager = None
        session = sys.modules.get('microdot.session')  # loaded if used
        if session is not None:
            try:
                manager = session.session_manager(request)
            except ValueError:  # no Session on this app
                pass
            if manager is not None and not manager.secret_key:
                manager = None
        from .csrf import default_secret, session_csrf_id
        if not secret:
            secret = manager.secret_key if manager is not None else \
                default_secret()
        if manager is None:
            return secret, ''
        return secret, session_csrf_id(manager, request, create) or None

    async def handle_csrf(self, request):
        """The handler of ``GET path/csrf``: ``{"csrf": token}`` and the
        same token in the ``csrf_token`` cookie (``SameSite=Lax``,
        ``Path=/``). A valid token the client already has is given again
        until half its life is over, so several tabs share one."""
        from .csrf import make_token, verify_token
        from time import time
        secret, sid = self.csrf_key(request, True)
        max_age = self.options.csrf_max_age
        token = request.cookies.get(CSRF_COOKIE)
        try:
            fresh = int(token.split('.')[1]) - time() > max_age // 2
        except (AttributeError, IndexError, ValueError):
            fresh = False
        if not fresh or not verify_token(secret, sid, token):
            token = make_token(secret, sid, max_age)
        res = _answer(200, {'csrf': token})
        res.set_cookie(CSRF_COOKIE, token, path='/', max_age=max_age,
                       same_site='Lax', secure=request.scheme == 'https')
        return res

    def schema(self):
        """The description of every action (what ``GET path/schema``
        sends), as a dict: ``path``, ``actions`` (sorted by name, each with
        ``name``, ``class``, ``method``, ``params`` — a list of ``name``,
        ``type``, ``required`` and, for other than plain parameters,
        ``kind`` — or None when unknown, and ``returns``) and ``types``
        (the fields of the TypedDicts used)."""
        actions = []
        for name in sorted(self.actions):
            entry = self.actions[name]
            params = None
            if entry[4] is not None:
                params = []
                for p in entry[4]:
                    d = {'name': p[0], 'type': p[1], 'required': p[2]}
                    if p[3]:
                        d['kind'] = p[3]
                    params.append(d)
            cls, _, method = name.rpartition('.')
            actions.append({'name': name, 'class': cls, 'method': method,
                            'params': params, 'returns': entry[5]})
        return {'path': self.path, 'actions': actions, 'types': self.types}

    async def handle_schema(self, request):
        """The handler of ``GET path/schema``, with an ``ETag``: a request
        whose ``If-None-Match`` holds it is answered 304."""
        if self._schema is None:
            from binascii import hexlify
            from hashlib import sha256
            text = json.dumps(self.schema())
            self._schema = (text, '"%s"' % hexlify(
                sha256(text.encode()).digest()[:12]).decode())
        text, etag = self._schema
        headers = {'ETag': etag, 'Cache-Control': 'no-cache'}
        match = request.headers.get('If-None-Match')
        if match:
            for tag in match.split(','):
                tag = tag.strip()
                if tag == '*' or tag == etag or tag[2:] == etag:  # W/"..."
                    return Response(b'', 304, headers)
        headers['Content-Type'] = _JSON
        return Response(text, 200, headers)
