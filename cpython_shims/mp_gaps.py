"""Fill the gaps between CPython's ``time``/``asyncio`` and MicroPython's, so
device code runs on a desktop: ``time.ticks_ms/us/cpu``, ``ticks_add``,
``ticks_diff``, ``sleep_ms``, ``sleep_us`` and ``asyncio.sleep_ms``.

Importing this module installs them (names CPython already has are left
alone; importing it twice changes nothing). ``python -m microdot run``
does it on CPython; so do the ``machine`` and ``network`` shims. Never on a
board: there the real functions are built in.

The ticks wrap around as on a 32-bit board (period 2**30), so that code
which subtracts ticks instead of calling ticks_diff fails on the desktop
too, not only after days on a device."""
import asyncio
import time

TICKS_PERIOD = 1 << 30
_MASK = TICKS_PERIOD - 1
_HALF = TICKS_PERIOD // 2


def ticks_ms():
    """A millisecond counter that wraps at TICKS_PERIOD."""
    return (time.monotonic_ns() // 1000000) & _MASK


def ticks_us():
    return (time.monotonic_ns() // 1000) & _MASK


def ticks_cpu():
    return time.perf_counter_ns() & _MASK


def ticks_add(ticks, delta):
    """``ticks`` moved by ``delta`` (either sign), wrapping."""
    return (ticks + delta) & _MASK


def ticks_diff(ticks1, ticks2):
    """Signed ``ticks1 - ticks2`` across a wrap-around."""
    return ((ticks1 - ticks2 + _HALF) & _MASK) - _HALF


def sleep_ms(ms):
    time.sleep(ms / 1000)


def sleep_us(us):
    time.sleep(us / 1000000)


async def _asyncio_sleep_ms(ms):
    """``asyncio.sleep_ms``: sleep ``ms`` milliseconds."""
    await asyncio.sleep(ms / 1000)


_installed = []


def install():
    """Add the missing names to ``time`` and ``asyncio``."""
    for name in ('ticks_ms', 'ticks_us', 'ticks_cpu', 'ticks_add',
                 'ticks_diff', 'sleep_ms', 'sleep_us'):
        if not hasattr(time, name):
            setattr(time, name, globals()[name])
            _installed.append((time, name))
    if not hasattr(asyncio, 'sleep_ms'):
        asyncio.sleep_ms = _asyncio_sleep_ms
        _installed.append((asyncio, 'sleep_ms'))


def uninstall():
    """Take the added names away again (for tests that share a process)."""
    while _installed:
        module, name = _installed.pop()
        delattr(module, name)


install()
