"""The one place that asks which runtime the framework runs on.

Everything that differs between MicroPython and CPython is decided here once, at
import time, so the rest of the code base never branches on the runtime.
"""
import sys
import asyncio

IS_MICROPYTHON = sys.implementation.name == 'micropython'

try:
    from time import ticks_ms, ticks_diff  # MicroPython: wrap-safe ms clock
except ImportError:  # CPython
    import time as _time

    def ticks_ms():
        return int(_time.monotonic() * 1000)

    def ticks_diff(a, b):
        return a - b

try:
    from sys import print_exception  # MicroPython
except ImportError:  # CPython
    import traceback as _tb

    def print_exception(exc, file=None):
        _tb.print_exception(type(exc), exc, exc.__traceback__, file=file)


def iscoroutine(obj):
    """True if ``obj`` is a coroutine object. On MicroPython coroutines are
    generator objects, so a generator counts as one there."""
    return type(obj).__name__ in ('coroutine', 'generator')


if IS_MICROPYTHON:
    async def invoke_handler(handler, *args, **kwargs):
        """Call a handler that may be ``async def`` or plain ``def``.

        There is no thread pool on a device: sync handlers run inline. An
        ``async def`` function has the type name 'generator' on MicroPython
        and a plain one 'function', so their results are told apart; a
        bound method or closure cannot be inspected, so a generator it
        returns is taken as its coroutine (return ``Response(gen())`` from
        such a handler to stream a generator body)."""
        ret = handler(*args, **kwargs)
        if type(ret).__name__ == 'generator' and \
                type(handler).__name__ != 'function':
            ret = await ret
        return ret
else:
    import contextvars
    import functools

    async def invoke_handler(handler, *args, **kwargs):
        """Call a handler that may be ``async def`` or plain ``def``.

        A plain ``def`` runs in a worker thread (with the caller's context
        variables) so that a slow handler cannot stall the event loop and
        every other connection with it."""
        if _is_async(handler):
            return await handler(*args, **kwargs)
        ctx = contextvars.copy_context()
        ret = await asyncio.get_running_loop().run_in_executor(
            None, functools.partial(ctx.run, handler, *args, **kwargs))
        if type(ret).__name__ == 'coroutine':  # not a generator body
            ret = await ret
        return ret

    _async_cache = {}
    _function = type(invoke_handler)

    def _is_async(f):
        # only plain functions are cached: bound methods are new objects on
        # every attribute access and would grow the cache without bound
        if type(f) is not _function:
            return _detect_async(f)
        try:
            return _async_cache[f]
        except KeyError:
            ret = _async_cache[f] = _detect_async(f)
            return ret

    def _detect_async(f):
        while isinstance(f, functools.partial):
            f = f.func
        return asyncio.iscoroutinefunction(f) or (
            not isinstance(f, type) and hasattr(f, '__call__') and
            asyncio.iscoroutinefunction(f.__call__))
