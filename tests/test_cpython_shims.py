"""The CPython stand-ins in cpython_shims/ let device code run on a desktop
(issue 7 adds machine and network)."""
RUNTIMES = ('cpython',)  # the shims exist for CPython only

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_micropython_shim():
    sys.path.insert(0, os.path.join(ROOT, 'cpython_shims'))
    try:
        import micropython
        from micropython import const
        assert const(42) == 42

        @micropython.native
        def f(x):
            return x + 1

        @micropython.viper
        def g(x):
            return x * 2
        assert f(1) == 2 and g(2) == 4
        seen = []
        micropython.schedule(seen.append, 5)
        assert seen == [5]
        micropython.mem_info()
        micropython.alloc_emergency_exception_buf(100)
    finally:
        sys.path.remove(os.path.join(ROOT, 'cpython_shims'))
        sys.modules.pop('micropython', None)
