"""A MicroPython-first web framework, API-compatible with Microdot 2.x, that
runs unchanged on microcontrollers, the unix MicroPython port and CPython."""
from .app import Microdot, abort, redirect, send_file  # noqa: F401
from .request import Request  # noqa: F401
from .response import Response  # noqa: F401
from .routing import URLPattern  # noqa: F401
from .runtime import iscoroutine  # noqa: F401

__version__ = '0.1.0'


def __getattr__(name):
    # loaded on first use: most apps never need an in-memory stream
    if name == 'AsyncBytesIO':
        from .bytesio import AsyncBytesIO
        return AsyncBytesIO
    raise AttributeError(name)
