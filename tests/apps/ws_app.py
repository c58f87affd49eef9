"""A WebSocket echo server for the end-to-end and Autobahn (kosoku) tests,
run as a subprocess under CPython and under MicroPython:

    python tests/apps/ws_app.py PORT
    micropython tests/apps/ws_app.py PORT

``/echo`` sends every message back as it came (text as text, binary as
binary); ``/close`` closes at once with code 4000 and a reason; ``/mem``
(plain HTTP) answers the heap in use after a collection on MicroPython
(0 on CPython). It listens on 127.0.0.1 only.
"""
import sys

_here = globals().get('__file__') or sys.argv[0]
sys.path.insert(0, (_here.rsplit('/', 3)[0] if _here.count('/') > 2 else
                    '.') + '/microdot_src')

from microdot import Microdot  # noqa: E402
from microdot.websocket import WebSocket, with_websocket  # noqa: E402

# the Autobahn cases send messages of up to 256 KiB (9.x, not run, more)
WebSocket.max_message_length = 512 * 1024

app = Microdot()


@app.route('/echo')
@with_websocket
async def echo(request, ws):
    while True:
        await ws.send(await ws.receive())


@app.route('/close')
@with_websocket
async def close(request, ws):
    await ws.close(4000, 'bye from ' + sys.implementation.name)


@app.route('/mem')
async def mem(request):
    import gc
    gc.collect()
    return str(gc.mem_alloc() if hasattr(gc, 'mem_alloc') else 0)


if __name__ == '__main__':
    app.run(host='127.0.0.1', port=int(sys.argv[1]))
