"""A nonce store in Redis for :class:`microdot.action_guards.ActionSignatureGuard`,
so that several CPython processes (uvicorn or gunicorn workers, several
servers) refuse a signed call replayed to any of them (CPython only; needs
the ``redis`` package)::

    from microdot.action_guards import ActionSignatureGuard
    from microdot.actions_redis import RedisNonceStore

    guard = ActionSignatureGuard(SECRET, nonce_store=RedisNonceStore(
        'redis://127.0.0.1:6379/0'))

Each nonce is one key, set with ``SET key 1 NX EXAT expires``: atomic, so
two workers receiving the same call at once cannot both accept it, and
removed by Redis when the call's timestamp leaves the window, so the store
stays bounded by the calls of one window.
"""
import asyncio


class RedisNonceStore:
    """Nonces kept in Redis.

    :param url: the server (``redis://host:port/db``), when no ``client``
                is given.
    :param client: a ``redis.Redis`` client to use.
    :param prefix: the start of every key.

    A Redis that cannot be reached refuses the call (the error reaches the
    actions module, which answers 500): a replay is never let through
    because the store was down."""

    def __init__(self, url='redis://127.0.0.1:6379/0', client=None,
                 prefix='microdot:action-nonce:'):
        if client is None:
            import redis
            client = redis.Redis.from_url(url, socket_timeout=5)
        self.client = client
        self.prefix = prefix

    def add_sync(self, nonce, expires):
        """Record ``nonce`` until the Unix time ``expires``; False if it
        was there already (blocking)."""
        return bool(self.client.set(self.prefix + nonce, b'1', nx=True,
                                    exat=max(int(expires), 1)))

    async def add(self, nonce, expires):
        """:meth:`add_sync` in a worker thread, so the event loop goes on
        while Redis answers."""
        return await asyncio.get_running_loop().run_in_executor(
            None, self.add_sync, nonce, expires)
