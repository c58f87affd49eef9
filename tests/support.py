"""Helpers shared by the test suite on both runtimes.

This module must import and work on CPython (under pytest) and on the
MicroPython unix port (under tools/mp_runner.py), so it sticks to the shared
subset: no typing, functools, inspect, os.path or f-string '=' specifiers.
"""

import sys
import asyncio

IS_MICROPYTHON = sys.implementation.name == 'micropython'
RUNTIME = 'micropython' if IS_MICROPYTHON else 'cpython'


class SkipTest(Exception):
    """Raised by skip() on MicroPython; tools/mp_runner.py counts it as a skip."""
    pass


def skip(reason=''):
    """Skip the current test (or, at import time, the whole module)."""
    if IS_MICROPYTHON:
        raise SkipTest(reason)
    import pytest
    pytest.skip(reason, allow_module_level=True)


def run(coro):
    """Run a coroutine to completion on a fresh event loop; return its result.

    Each call starts from a clean state, so it can be called any number of
    times in one process.
    """
    if IS_MICROPYTHON:
        # new_event_loop() drops any tasks left over from a previous run
        asyncio.new_event_loop()
    return asyncio.run(coro)


def raises(exc_class, fn, *args, **kwargs):
    """Call fn(*args, **kwargs), which must raise exc_class; return the exception.

    A portable stand-in for pytest.raises, which MicroPython does not have.
    Any other exception propagates unchanged.
    """
    try:
        fn(*args, **kwargs)
    except exc_class as exc:
        return exc
    name = getattr(exc_class, '__name__', repr(exc_class))
    raise AssertionError('%s not raised by %r' % (name, fn))


def tmp_base(os):
    """The folder temporary directories go in, for the ``os`` module given:
    $TMPDIR, else /tmp; on a board, whose firmware has neither
    ``os.getenv`` nor /tmp (an ESP32's), ``tmp`` in the current directory
    (the one tools/board_test.py runs the tests in), made when missing."""
    getenv = getattr(os, 'getenv', None)
    for base in (getenv and getenv('TMPDIR'), '/tmp'):
        if base:
            if base.endswith('/') and len(base) > 1:
                base = base[:-1]
            try:
                os.stat(base)
                return base
            except OSError:
                pass
    try:
        os.mkdir('tmp')
    except OSError:  # it exists (EEXIST)
        pass
    return 'tmp'


def _mp_tmpdir(os=None):
    if os is None:
        import os
    import random
    import time
    base = tmp_base(os)
    ticks = getattr(time, 'ticks_us', None)  # not on CPython
    for _ in range(100):
        token = random.getrandbits(30) ^ (ticks() if ticks else 0)
        path = '%s/mdtest-%08x' % (base, token & 0x3fffffff)
        try:
            os.mkdir(path)
        except OSError as exc:
            if exc.args and exc.args[0] == 17:  # EEXIST: try another name
                continue
            raise
        return path
    raise OSError('could not create a temporary directory under ' + base)


def tmpdir():
    """Create a fresh, empty temporary directory and return its path."""
    if IS_MICROPYTHON:
        return _mp_tmpdir()
    import tempfile
    return tempfile.mkdtemp(prefix='mdtest-')
