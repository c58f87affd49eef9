"""Hello: the smallest useful app, on a board and on a desktop.

    python -m microdot run board_examples/hello/main.py --port 8000
    MICROPYPATH=microdot_src:.frozen micropython -m microdot run \\
        board_examples/hello/main.py --port 8000

(or ``bash tools/run_example.sh [--micropython]``). On a board, copy the
``microdot`` package and this file as ``main.py``; once ``boot.py`` has
joined the Wi-Fi network, the app serves on port 80.

Routes:
    GET  /                 an HTML greeting
    GET  /api/status       runtime, uptime and free memory, as JSON
    POST /api/echo         the JSON body sent, returned as is
    GET  /square/<int:n>   n and n*n, as JSON (404 if n is not an integer)
"""
import gc
import sys

from microdot import Microdot, Response
# time.ticks_ms on MicroPython, a stand-in on CPython
from microdot.runtime import ticks_ms, ticks_diff

STARTED = ticks_ms()
app = Microdot()

PAGE = '''<!doctype html>
<html><head><meta charset="utf-8"><title>Hello</title></head>
<body>
<h1>Hello from %s!</h1>
<p>Try <a href="/api/status">/api/status</a>
or <a href="/square/12">/square/12</a>.</p>
</body></html>
'''


@app.get('/')
async def index(request):
    return Response(PAGE % sys.implementation.name,
                    headers={'Content-Type': 'text/html; charset=UTF-8'})


@app.get('/api/status')
async def status(request):
    mem_free = None
    if hasattr(gc, 'mem_free'):  # MicroPython only
        gc.collect()
        mem_free = gc.mem_free()
    return {
        'runtime': sys.implementation.name,
        'platform': sys.platform,
        'uptime_ms': ticks_diff(ticks_ms(), STARTED),
        'mem_free': mem_free,
    }


@app.post('/api/echo')
async def echo(request):
    data = request.json  # None unless Content-Type is application/json
    if data is None:
        return {'error': 'send a JSON body'}, 415
    return data


@app.get('/square/<int:n>')
async def square(request, n):
    return {'n': n, 'square': n * n}


# A board runs main.py as __main__; "microdot run" imports this file as the
# module "main", so the guard does not fire there.
if __name__ == '__main__':
    # a board serves on port 80; a desktop (or the unix port) on 8000
    desktop = sys.platform in ('linux', 'darwin', 'win32', 'cygwin')
    app.run(port=8000 if desktop else 80, debug=True)
