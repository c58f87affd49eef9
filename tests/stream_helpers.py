"""Helpers for the stream tests (test_streams*.py), on both runtimes."""

from microdot.http11 import HTTPException
from microdot.bytesio import AsyncBytesIO


class Trickle:
    """A stream that returns at most 3 bytes per read, like a slow client."""

    def __init__(self, data):
        self.inner = AsyncBytesIO(data)
        self.reads = 0

    async def read(self, n=-1):
        self.reads += 1
        return await self.inner.read(3 if n < 0 else min(n, 3))


async def code(coro):
    """Await coro, which must raise HTTPException; return its status."""
    try:
        await coro
    except HTTPException as exc:
        return exc.status_code
    raise AssertionError('no HTTPException')


async def eof(coro):
    """Await coro, which must raise EOFError; return True."""
    try:
        await coro
    except EOFError:
        return True
    raise AssertionError('no EOFError')
