"""The one place that asks which runtime the framework runs on.

Everything that differs between MicroPython and CPython is decided here once, at
import time, so the rest of the code base never branches on the runtime. The
CPython side lives in ``runtime_cpython``: a module's whole bytecode and names
are loaded into RAM even where a branch never runs, so a device must not load
the code it cannot use."""
import sys

IS_MICROPYTHON = sys.implementation.name == 'micropython'


if IS_MICROPYTHON:
    from json import dumps as json_dumps  # noqa: F401
    from sys import print_exception  # noqa: F401
    from time import ticks_ms, ticks_diff  # noqa: F401 (wrap-safe ms clock)
    ticks = ticks_ms  # the timeouts' clock (CPython's counts nanoseconds)
    TICKS_PER_S = 1000

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

    def call_handler(handler, *args, **kwargs):
        """What to await for a handler's result: the coroutine of an
        ``async def`` handler itself (one coroutine less per request, 192 B
        of garbage on the unix port), else invoke_handler's."""
        if type(handler).__name__ == 'function':
            return invoke_handler(handler, *args, **kwargs)  # plain def
        ret = handler(*args, **kwargs)
        if type(ret).__name__ == 'generator':
            return ret
        return invoke_handler(_value, ret)

    def _value(ret):
        return ret
else:
    from .runtime_cpython import (  # noqa: F401
        TICKS_PER_S, call_handler, invoke_handler, json_dumps,
        print_exception, ticks, ticks_diff, ticks_ms)
