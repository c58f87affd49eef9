"""The CPython side of ``runtime``: a millisecond clock, print_exception, and
sync handlers run in a thread pool. Never imported on MicroPython."""
import asyncio
import contextvars
import functools
import time
import traceback


def ticks_ms():
    return int(time.monotonic() * 1000)


# the timeouts' clock: nanoseconds, read by a C function (the server reads
# it four times per request)
ticks = time.monotonic_ns
TICKS_PER_S = 1000000000


def ticks_diff(a, b):
    return a - b


def _json_dumps():
    # json.dumps makes a new C encoder on every call (a third of what a
    # JSON response costs to build); this one is made once, with the same
    # options (a circular value raises RecursionError, not ValueError)
    from json import dumps, encoder
    make = getattr(encoder, 'c_make_encoder', None)
    if make is None:  # no C accelerator
        return dumps
    encode = make(None, _refuse, encoder.encode_basestring_ascii, None,
                  ': ', ', ', False, False, True)

    def json_dumps(obj):
        """json.dumps(obj) with the default options."""
        return ''.join(encode(obj, 0))
    return json_dumps


def _refuse(obj):
    raise TypeError('Object of type %s is not JSON serializable'
                    % type(obj).__name__)


json_dumps = _json_dumps()


def print_exception(exc, file=None):
    traceback.print_exception(type(exc), exc, exc.__traceback__, file=file)


def call_handler(handler, *args, **kwargs):
    """What to await for a handler's result: its own coroutine when it is
    ``async def`` (one coroutine less per request than invoke_handler),
    else the run in a worker thread."""
    if _is_async(handler):
        return handler(*args, **kwargs)
    return _in_thread(handler, args, kwargs)


async def invoke_handler(handler, *args, **kwargs):
    """Call a handler that may be ``async def`` or plain ``def``.

    A plain ``def`` runs in a worker thread (with the caller's context
    variables) so that a slow handler cannot stall the event loop and
    every other connection with it."""
    if _is_async(handler):
        return await handler(*args, **kwargs)
    return await _in_thread(handler, args, kwargs)


async def _in_thread(handler, args, kwargs):
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
