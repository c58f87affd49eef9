"""The app that tests/test_sse_e2e.py runs as a subprocess, under CPython
and under MicroPython, for an independent SSE client (httpx-sse).

    python tests/apps/sse_app.py PORT
    micropython tests/apps/sse_app.py PORT
"""
import asyncio
import sys


def _repo_root():
    path = globals().get('__file__') or sys.argv[0]
    for _ in range(3):  # .../tests/apps/sse_app.py -> the repository
        i = path.rfind('/')
        path = path[:i] if i > 0 else '.'
    return path


sys.path.insert(0, _repo_root() + '/microdot_src')

from microdot import Microdot  # noqa: E402
from microdot.sse import SSE, with_sse  # noqa: E402

SSE.keepalive_interval = 0.2
app = Microdot()
streams = {'open': 0, 'served': 0}


@app.route('/events')
@with_sse
async def events(request, sse):
    # resumes after the id the client last saw, as a browser reconnecting
    start = int(request.headers.get('Last-Event-ID', '-1')) + 1
    for i in range(start, start + 3):
        await sse.send({'n': i, 'runtime': sys.implementation.name},
                       event='count', event_id=i)
    await sse.send('two\nlines', event='text')
    await sse.send(b'bytes', retry=1.5)
    await sse.send('unnamed')


@app.route('/forever')
@with_sse
async def forever(request, sse):
    streams['open'] += 1
    try:
        i = 0
        while True:
            await sse.send(i)
            i += 1
            await asyncio.sleep(0.05)
    finally:
        streams['open'] -= 1
        streams['served'] += 1


@app.route('/streams')
async def stream_counts(request):
    return streams


if __name__ == '__main__':
    app.run(host='127.0.0.1', port=int(sys.argv[1]))
