"""Turning an exception raised while handling a request into a response, and
refusing a request that cannot be read. Loaded the first time a request
fails, not at start-up."""
import asyncio

from .app import make_response
from .http11 import HTTPException
from .response import Response, reason_phrase
from .runtime import invoke_handler, print_exception, ticks

try:
    import gc
except ImportError:  # pragma: no cover
    gc = None


def class_chain(cls):
    """``cls`` and its ancestors along the first base of each class
    (MicroPython has no ``__mro__``)."""
    while cls is not None:
        yield cls
        bases = getattr(cls, '__bases__', ())
        cls = bases[0] if bases else None


def find_exception_handler(app, req, exc):
    """The error handler registered for the exception's class or its
    nearest ancestor (the sub-app's before the app's), or None."""
    tables = [app.error_handlers]
    if req is not None and req.subapp is not None:
        tables.insert(0, req.subapp.error_handlers)
    for cls in class_chain(type(exc)):
        for table in tables:
            if cls in table:
                return table[cls]
    return None


async def status_response(app, req, status_code, reason):
    """``app.error_response`` that never raises: an error handler that
    fails gives a plain 500."""
    try:
        return await app.error_response(req, status_code, reason)
    except HTTPException as exc:
        return Response(exc.reason or reason_phrase(exc.status_code),
                        exc.status_code)
    except Exception as exc:
        print_exception(exc)
        return Response(reason_phrase(500), 500)


async def exception_response(app, req, exc):
    """The response for ``exc``: see Microdot.handle_exception."""
    if isinstance(exc, HTTPException):
        return await status_response(app, req, exc.status_code, exc.reason)
    if isinstance(exc, MemoryError) and gc is not None:
        gc.collect()
    handler = find_exception_handler(app, req, exc)
    if handler is not None:
        try:
            return make_response(await invoke_handler(handler, req, exc))
        except HTTPException as exc2:
            return await status_response(app, req, exc2.status_code,
                                         exc2.reason)
        except Exception as exc2:
            exc = exc2
    if isinstance(exc, MemoryError):
        return Response(reason_phrase(503), 503)
    print_exception(exc)
    if app.debug:
        print('(debug) while handling', req.method if req else '', req.path
              if req else '')
    return await status_response(app, req, 500, None)


async def refuse(server, stream, writer, req, status_code, reason):
    """Answer a request that could not be read or sent; the connection is
    then closed (its framing can no longer be trusted)."""
    state = server.connections.get(asyncio.current_task())
    if state:
        state[0] = 4  # writing: the watchdog's write timeout applies
        state[1] = ticks()
    res = await status_response(server.app, req, status_code, reason)
    try:
        await res.write(writer, '1.1', True)
    except Exception:
        return
    await linger(server, stream)


async def linger(server, stream):
    """Read and drop, briefly, what the client is still sending (a body
    that was refused) before the connection closes: closing a socket with
    unread data resets it, and the reset can destroy the answer before
    the client has read it."""
    total = 0
    try:
        while total < server.drain_limit:
            data = await asyncio.wait_for(stream.stream.read(4096), 0.25)
            if not data:
                return
            total += len(data)
    except Exception:
        pass
