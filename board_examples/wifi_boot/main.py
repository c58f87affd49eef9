"""Wi-Fi boot: a board joins its network at power-up (boot.py, wifi.py,
wifi.json) and serves a status page.

    python -m microdot run board_examples/wifi_boot/main.py --port 8000
    MICROPYPATH=microdot_src:.frozen micropython -m microdot run \\
        board_examples/wifi_boot/main.py --port 8000

On CPython, ``microdot run`` puts cpython_shims/ in place: the ``network``
stand-in "joins" the network of wifi.json at once. The unix port has no
``network`` module: wifi.py then uses the host's network as it is. On a
board (``python tools/deploy.py board_examples/wifi_boot --port PORT
--reset``), boot.py joins the network and this file, run as __main__,
serves on wifi.json's host and port (0.0.0.0:80).

Routes:
    GET /             the status page (HTML)
    GET /api/status   the same, as JSON
"""
import gc
import sys

from microdot import Microdot, Response
from microdot.runtime import ticks_diff, ticks_ms

import wifi

try:
    import machine
except ImportError:  # CPython without the shims
    machine = None

STARTED = ticks_ms()
CONFIG = wifi.load_config()
wifi.connect(CONFIG)  # at once when boot.py has already connected
app = Microdot()


def status():
    """What the board knows about itself, as a dict."""
    info = {
        'runtime': '%s %s' % (sys.implementation.name, '.'.join(
            str(v) for v in sys.implementation.version[:3])),
        'platform': sys.platform,
        'network': dict(wifi.state),
        'uptime_s': ticks_diff(ticks_ms(), STARTED) // 1000,
        'mem_free': None,
        'cpu_mhz': None,
    }
    if hasattr(gc, 'mem_free'):  # MicroPython only
        gc.collect()
        info['mem_free'] = gc.mem_free()
    if hasattr(machine, 'freq'):  # not on the unix port
        info['cpu_mhz'] = machine.freq() // 1000000
    return info


def _escape(value):
    return str(value).replace('&', '&amp;').replace('<', '&lt;').replace(
        '>', '&gt;')


@app.get('/')
async def index(request):
    info = status()
    net = info.pop('network')
    rows = [('network', net['mode']), ('network name', net['ssid']),
            ('address', net['ip'])]
    if net['error']:
        rows.append(('Wi-Fi error', net['error']))
    rows += sorted(info.items())
    body = ''.join('<tr><th>%s</th><td>%s</td></tr>' % (
        _escape(k), _escape('-' if v is None else v)) for k, v in rows)
    return Response(
        '<!doctype html><html><head><meta charset="utf-8">'
        '<title>Board status</title></head><body><h1>Board status</h1>'
        '<table>%s</table><p><a href="/api/status">as JSON</a></p>'
        '</body></html>' % body,
        headers={'Content-Type': 'text/html; charset=UTF-8'})


@app.get('/api/status')
async def api_status(request):
    return status()


if __name__ == '__main__':  # a board runs main.py as __main__
    app.run(host=CONFIG.get('host', '0.0.0.0'), port=CONFIG.get('port', 80),
            max_connections=4)
