"""microdot.websocket end to end: tests/apps/ws_app.py runs as a subprocess
under CPython and under MicroPython, and the `websockets` library (an
independent client) talks to it."""
import asyncio
import os

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from e2e_helpers import ROOT, curl, free_port, interpreter, launch

RUNTIMES = ('cpython',)
APP = os.path.join(ROOT, 'tests', 'apps', 'ws_app.py')
T = 10


def each_runtime(check):
    """Run the coroutine function ``check(url)`` against ws_app on each
    runtime (``url`` is ``ws://127.0.0.1:PORT``)."""
    for runtime in ('cpython', 'micropython'):
        port = free_port()
        with launch([interpreter(runtime), APP, str(port)], port, runtime):
            try:
                asyncio.run(asyncio.wait_for(
                    check('ws://127.0.0.1:%d' % port, runtime), 60))
            except Exception as exc:
                raise AssertionError('[%s] %s: %s' % (
                    runtime, type(exc).__name__, exc)) from exc


def test_echo_text_binary_and_large():
    async def check(url, runtime):
        async with connect(url + '/echo', open_timeout=T,
                           max_size=None) as ws:
            for msg in ('hello', 'κόσμε 𝄞', b'\x00\xff' * 100, '',
                        'x' * 125, 'y' * 126, b'z' * 65535, b'w' * 70000,
                        'long ' * 30000, 'κόσμε 𝄞' * 5000):
                await ws.send(msg)
                assert await asyncio.wait_for(ws.recv(), T) == msg
            # a fragmented message from the client side
            await ws.send(['frag', 'mented ', 'text'])
            assert await asyncio.wait_for(ws.recv(), T) == 'fragmented text'
            pong = await ws.ping(b'are you there')
            await asyncio.wait_for(pong, T)
        assert ws.close_code == 1000
    each_runtime(check)


def test_server_closes_with_code_and_reason():
    async def check(url, runtime):
        async with connect(url + '/close', open_timeout=T) as ws:
            try:
                await asyncio.wait_for(ws.recv(), T)
                raise AssertionError('no close')
            except ConnectionClosed as exc:
                assert exc.rcvd.code == 4000
                assert exc.rcvd.reason == 'bye from ' + runtime
    each_runtime(check)


def test_many_clients_at_once():
    async def one(url, n):
        async with connect(url + '/echo', open_timeout=T) as ws:
            for i in range(20):
                await ws.send('client %d message %d' % (n, i))
                assert await asyncio.wait_for(ws.recv(), T) == \
                    'client %d message %d' % (n, i)

    async def check(url, runtime):
        await asyncio.gather(*[one(url, n) for n in range(8)])
    each_runtime(check)


def test_no_heap_growth_over_many_connections():
    async def session(url):
        async with connect(url + '/echo', open_timeout=T) as ws:
            await ws.send('m' * 20000)
            assert await asyncio.wait_for(ws.recv(), T) == 'm' * 20000

    async def check(url, runtime):
        mem = 'http://127.0.0.1:%s/mem' % url.rsplit(':', 1)[1]
        for _ in range(10):
            await session(url)
        before = int(curl(mem))
        for _ in range(40):
            await session(url)
        grown = int(curl(mem)) - before
        print(runtime, 'heap growth over 40 connections:', grown)
        assert grown < 16 * 1024, grown  # one 20 KB message each
    each_runtime(check)


def test_refused_handshake_and_plain_http():
    async def check(url, runtime):
        try:
            async with connect(url + '/nowhere', open_timeout=T):
                pass
            raise AssertionError('connected to a missing route')
        except InvalidStatus as exc:
            assert exc.response.status_code == 404
        port = url.rsplit(':', 1)[1]
        out = curl('-i', 'http://127.0.0.1:%s/echo' % port)
        assert out.startswith(b'HTTP/1.1 400 '), out
    each_runtime(check)
