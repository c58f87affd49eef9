"""The app the slow- and broken-client tests and tools/soak.py run as a
subprocess, under CPython and under MicroPython:

    python tests/apps/hardening_app.py PORT [SETTING=VALUE ...]
    micropython tests/apps/hardening_app.py PORT [SETTING=VALUE ...]

Each SETTING=VALUE is a server setting (``header_timeout=1``...), so a test
can shorten the timeouts it waits for. ``GET /diag`` tells what a leak
would show: the connections the server holds (the one asking included) and
the heap after a collection (``gc.mem_alloc()`` on MicroPython, allocated
blocks on CPython), the open file descriptors (a socket the server
stopped counting but never closed shows there) and the resident set size
in kB. It listens on 127.0.0.1 only.
"""
import asyncio
import gc
import os
import sys


def _repo_root():
    path = globals().get('__file__') or sys.argv[0]
    for _ in range(3):  # .../tests/apps/hardening_app.py -> the repository
        i = path.rfind('/')
        path = path[:i] if i > 0 else '.'
    return path


sys.path.insert(0, _repo_root() + '/microdot_src')

from microdot import Microdot, Response  # noqa: E402
from microdot.sse import with_sse  # noqa: E402
from microdot.websocket import with_websocket  # noqa: E402

app = Microdot()
PIECE = b'x' * 16384


@app.route('/')
async def index(req):
    return 'hello'


@app.route('/echo', methods=['POST'])
async def echo(req):
    return req.body


@app.route('/drip')
async def drip(req):
    # a streamed body that never ends, a piece every 20 ms
    async def gen():
        while True:
            yield b'drip\n'
            await asyncio.sleep(0.02)
    return Response(gen())


@app.route('/flood')
async def flood(req):
    # a streamed body that never ends, as fast as the client takes it
    async def gen():
        while True:
            yield PIECE
    return Response(gen())


@app.route('/big')
async def big(req):
    # one body, not streamed, of ?n= bytes
    return b'x' * int(req.args.get('n', '1048576'))


@app.route('/events')
@with_sse
async def events(req, sse):
    i = 0
    while True:
        await sse.send(i)
        i += 1
        await asyncio.sleep(0.02)


@app.route('/ws')
@with_websocket
async def ws(req, ws):
    while True:
        await ws.send(await ws.receive())


def _rss():
    # kB, from /proc/self/status
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])


@app.route('/diag')
async def diag(req):
    gc.collect()
    heap = gc.mem_alloc() if hasattr(gc, 'mem_alloc') else \
        sys.getallocatedblocks()
    return {'connections': len(req.app.server.connections), 'heap': heap,
            'fds': len(os.listdir('/proc/self/fd')), 'rss': _rss(),
            'runtime': sys.implementation.name}


def main():
    options = {}
    for arg in sys.argv[2:]:
        name, _, value = arg.partition('=')
        options[name] = float(value) if '.' in value else int(value)
    app.run(host='127.0.0.1', port=int(sys.argv[1]), **options)


if __name__ == '__main__':
    main()
