"""Compatibility module: the names Microdot 2.x apps import from
``microdot.microdot``."""
from .app import Microdot, abort, redirect, send_file, make_response  # noqa
from .http11 import HTTPException  # noqa: F401
from .request import Request  # noqa: F401
from .response import Response  # noqa: F401
from .routing import URLPattern  # noqa: F401
from .helpers import iscoroutine  # noqa: F401
from .runtime import invoke_handler, print_exception  # noqa: F401
from .bytesio import AsyncBytesIO  # noqa: F401
from .structures import NoCaseDict  # noqa: F401
from .urlencoding import MultiDict, urlencode, urldecode, urldecode_str, \
    urldecode_bytes  # noqa: F401

MUTED_SOCKET_ERRORS = [32, 54, 104, 128]
