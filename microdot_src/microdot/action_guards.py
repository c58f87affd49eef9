"""The guards of :mod:`microdot.actions` (importable from there too):
origin, CSRF token, signed calls with a bounded nonce store, permissions;
and the guards the security presets ask for.

Each refusal raises :class:`microdot.actions.ActionError` with status 403
and a message that says which check failed."""
from .actions import ActionError, ActionGuard, _presets, check_permissions, \
    configure, getenv
from .csrf import request_origin, url_origin
from .runtime import IS_MICROPYTHON

_DIGITS = '0123456789'
_NONCE_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_' + \
    _DIGITS


def _only(s, chars):
    for c in s:
        if c not in chars:
            return False
    return True


def _refuse(message, type_='Forbidden'):
    raise ActionError(message, 403, type_)


class OriginActionGuard(ActionGuard):
    """Only calls from the app's own pages (and the origins listed) pass.

    :param allowed_origins: other origins trusted (``'https://app.example'``,
                            ``'http://localhost:5173'``).
    :param allow_missing_origin: let calls with neither ``Origin`` nor
                                 ``Referer`` through (scripts, devices);
                                 refused by default.

    The ``Origin`` header (else the origin of ``Referer``) must equal the
    request's own ``scheme://Host`` (default ports left out) or one of the
    allowed origins. ``Origin: null`` (sandboxed frames, ``file:`` pages,
    some redirects) is always cross-origin."""

    def __init__(self, allowed_origins=(), allow_missing_origin=False):
        self.allowed_origins = []
        for origin in allowed_origins:
            normalized = url_origin(origin)
            if normalized is None:
                raise ValueError('not an origin: %r (give scheme://host'
                                 '[:port])' % origin)
            self.allowed_origins.append(normalized)
        self.allow_missing_origin = allow_missing_origin

    def can_activate(self, ctx):
        origin = ctx.headers.get('Origin')
        if origin is None:
            origin = ctx.headers.get('Referer')
            if not origin:
                if self.allow_missing_origin:
                    return True
                _refuse('the request has no Origin header')
        origin = url_origin(origin)  # None for 'null' and anything else
        if origin is None or (origin != request_origin(ctx.request) and
                              origin not in self.allowed_origins):
            _refuse('cross-origin call refused')
        return True


class CsrfActionGuard(ActionGuard):
    """The ``X-CSRF-Token`` header must equal the ``csrf_token`` cookie, and
    be a valid token from ``GET {path}/csrf`` (signed with the module's key,
    bound to the session when the app has one, not expired). Refusals have
    the type ``InvalidCsrfToken``: the generated client then fetches a new
    token and tries once more."""

    header = 'X-CSRF-Token'

    def can_activate(self, ctx):
        from .actions import CSRF_COOKIE
        from .csrf import verify_token
        from .hmac import compare_digest
        token = ctx.headers.get(self.header)
        cookie = ctx.request.cookies.get(CSRF_COOKIE)
        if token and cookie and compare_digest(token, cookie):
            secret, sid = ctx.module.csrf_key(ctx.request, False)
            if sid is not None and verify_token(secret, sid, token):
                return True
        _refuse('missing or invalid CSRF token', 'InvalidCsrfToken')


class MemoryNonceStore:
    """The nonces of signed calls seen recently, in a ring of fixed size
    (no allocation per call but the nonce itself).

    :param capacity: how many nonces are kept at once (128 on MicroPython,
                     4096 on CPython by default).

    A nonce is kept until its call's timestamp leaves the accepted window;
    then its slot is reused. A live nonce is never evicted: when every slot
    holds one, calls are refused (429) until one expires, as forgetting a
    nonce early would let its call be replayed. One process only: workers
    that share calls need a shared store (``microdot.actions_redis``)."""

    def __init__(self, capacity=None):
        capacity = capacity or (128 if IS_MICROPYTHON else 4096)
        self.nonces = [None] * capacity
        self.expires = [0] * capacity
        self.next = 0

    def add(self, nonce, expires):
        """Record ``nonce``, to be kept until the Unix time ``expires``;
        False if it is already there (a replay)."""
        from .action_signing import unix_time
        now = unix_time()
        try:
            i = self.nonces.index(nonce)
        except ValueError:
            i = -1
        if i >= 0:
            if self.expires[i] >= now:
                return False
        else:
            i = self.next
            if self.expires[i] >= now:  # live: look for an expired slot
                i = -1
                for j in range(len(self.expires)):
                    if self.expires[j] < now:
                        i = j
                        break
                if i < 0:
                    raise ActionError('too many signed calls, try again '
                                      'later', 429)
            self.next = (i + 1) % len(self.nonces)
        self.nonces[i] = nonce
        self.expires[i] = expires
        return True


class ActionSignatureGuard(ActionGuard):
    """Calls must be signed with a shared secret, for callers that are not
    browsers (devices, scripts): see :mod:`microdot.action_signing`.

    :param secret: the shared key (str or bytes). It must never reach a
                   browser: pages use the origin and CSRF guards.
    :param max_skew: how many seconds the caller's clock may differ from
                     ours (300).
    :param nonce_store: where nonces are remembered, an object with
                        ``add(nonce, expires)`` (sync or async) that returns
                        False for a nonce seen before (a
                        :class:`MemoryNonceStore` by default).

    Headers: ``X-Action-Timestamp`` (Unix seconds), ``X-Action-Nonce``
    (1 to 64 characters among ``A-Z a-z 0-9 - _``) and
    ``X-Action-Signature``, the hex HMAC-SHA256 of ``timestamp + "." +
    nonce + "." + body`` over the raw body bytes as received. The
    signature is compared in constant time before the nonce is recorded,
    so forged calls cannot fill the store."""

    def __init__(self, secret, max_skew=300, nonce_store=None):
        if not secret:
            raise ValueError('ActionSignatureGuard needs a secret')
        self.secret = secret
        self.max_skew = max_skew
        self.nonce_store = nonce_store or MemoryNonceStore()

    async def can_activate(self, ctx):
        from .action_signing import signature, unix_time
        from .hmac import compare_digest
        h = ctx.headers
        ts = h.get('X-Action-Timestamp')
        nonce = h.get('X-Action-Nonce')
        sig = h.get('X-Action-Signature')
        if not ts or not nonce or not sig:
            _refuse('the call is not signed')
        if len(ts) > 12 or len(nonce) > 64 or not _only(ts, _DIGITS) or \
                not _only(nonce, _NONCE_CHARS):
            _refuse('malformed signature headers')
        if abs(unix_time() - int(ts)) > self.max_skew:
            _refuse('the timestamp is outside the accepted window')
        if not compare_digest(signature(self.secret, ts, nonce, ctx.body),
                              sig.lower()):
            _refuse('bad signature')
        added = self.nonce_store.add(nonce, int(ts) + self.max_skew)
        if type(added).__name__ in ('coroutine', 'generator'):
            added = await added
        if not added:
            _refuse('replayed call (nonce already used)')
        return True


class ActionPermissionGuard(ActionGuard):
    """The user must have every permission the action declares with
    ``@ActionPermissions`` (or ``@ActionAuth``).

    :param get_permissions: a function that returns the permissions of a
                            user (default: the module's, else the user's
                            ``permissions`` attribute or key)."""

    def __init__(self, get_permissions=None):
        self.get_permissions = get_permissions

    def can_activate(self, ctx):
        check_permissions(ctx, self.get_permissions)
        return True


_FLAGS = {'security': 'SECURITY', 'origins': 'ALLOWED_ORIGINS',
          'allowed_origins': 'ALLOWED_ORIGINS', 'csrf': 'CSRF',
          'allow_missing_origin': 'ALLOW_MISSING_ORIGIN',
          'permissions': 'PERMISSIONS'}


def configure_from_flags(flags):
    """:func:`microdot.actions.configure` from the ``--action-...``
    options of ``microdot run`` (a dict: ``{'action_security': True,
    'action_origins': 'http://a,http://b'}``); ValueError for an unknown
    one."""
    config = {}
    for name in flags:
        key = _FLAGS.get(name[7:]) if name.startswith('action_') else None
        if key is None:
            raise ValueError('unknown option --' + name.replace('_', '-'))
        config['MICRODOT_ACTION_' + key] = flags[name]
    configure(config)


def _setting(config, name):
    name = 'MICRODOT_ACTION_' + name
    if config is not None:
        return config.get(name)
    value = _presets.get(name)
    if value is None and getenv is not None:
        value = getenv(name)
    return value


def _on(value):
    if value is None or value is False:
        return False
    return value is True or str(value).strip().lower() in (
        '1', 'true', 'yes', 'on')


def preset_guards(config=None):
    """The guards the security presets ask for (see
    :func:`microdot.actions.configure`): from ``config`` when given, else
    from ``configure`` and the environment."""
    guards = []
    security = _on(_setting(config, 'SECURITY'))
    origins = _setting(config, 'ALLOWED_ORIGINS')
    if isinstance(origins, str):
        origins = [o.strip() for o in origins.split(',') if o.strip()]
    if security or origins:
        guards.append(OriginActionGuard(origins or (), _on(_setting(
            config, 'ALLOW_MISSING_ORIGIN'))))
    if security or _on(_setting(config, 'CSRF')):
        guards.append(CsrfActionGuard())
    secret = _setting(config, 'SIGNATURE_SECRET')
    if secret:
        guards.append(ActionSignatureGuard(secret))
    if _on(_setting(config, 'PERMISSIONS')):
        guards.append(ActionPermissionGuard())
    return guards
