"""A MicroPython-first web framework, API-compatible with Microdot 2.x, that
runs unchanged on microcontrollers, the unix MicroPython port and CPython."""
from .app import Microdot, abort, redirect, send_file  # noqa: F401
from .request import Request  # noqa: F401
from .response import Response  # noqa: F401
from .routing import URLPattern  # noqa: F401

__version__ = '0.1.0'


def __getattr__(name):
    # AsyncBytesIO and iscoroutine are loaded on first use: most apps never
    # need them
    if name == 'AsyncBytesIO':
        from .bytesio import AsyncBytesIO
        return AsyncBytesIO
    if name == 'iscoroutine':
        from .helpers import iscoroutine
        return iscoroutine
    # on MicroPython a module __getattr__ also receives the names of
    # submodules (``from microdot import jwt``): import them here
    if name[:1] != '_':
        try:
            __import__('microdot.' + name)
        except ImportError:
            raise AttributeError(name)
        return globals()[name]
    raise AttributeError(name)
