"""A sensor dashboard: the board pushes its readings (temperature, light,
free memory) to the page over Server-Sent Events (microdot.sse), and the
page's EventSource shows each one as it arrives. No polling, no library
in the browser.

    python -m microdot run board_examples/sse_dashboard/main.py --port 8000
    MICROPYPATH=microdot_src:.frozen micropython -m microdot run \\
        board_examples/sse_dashboard/main.py --port 8000

Routes:
    GET /                      the dashboard (HTML + a few lines of script)
    GET /events                a "reading" event every INTERVAL_MS
    GET /events?n=3            three readings, then the end of the stream
    GET /api/reading           one reading, as JSON
"""
import asyncio
import gc
import sys

from microdot import Microdot, Response
from microdot.runtime import ticks_diff, ticks_ms
from microdot.sse import with_sse

# ESP32: a TMP36 temperature sensor on GPIO 35, a photoresistor divider on
# GPIO 34 (ADC1 pins: ADC2 is taken by the Wi-Fi radio)
TMP36_PIN, LIGHT_PIN = 35, 34
INTERVAL_MS = 1000

try:
    from machine import ADC, Pin
    thermometer, light = ADC(Pin(TMP36_PIN)), ADC(Pin(LIGHT_PIN))
except ImportError:  # the unix port has no ADC: readings that drift
    class Drift:
        def __init__(self, level):
            self.level = level

        def read_u16(self):
            return self.level + ticks_ms() // 100 % 1000

    thermometer, light = Drift(14000), Drift(30000)

STARTED = ticks_ms()
app = Microdot()


def reading():
    """One reading of every sensor, as a dict."""
    millivolts = thermometer.read_u16() * 3300 // 65535
    info = {'uptime_s': ticks_diff(ticks_ms(), STARTED) // 1000,
            # TMP36: 500 mV at 0 °C, 10 mV per degree
            'temperature': (millivolts - 500) / 10,
            'light': light.read_u16() * 100 // 65535,
            'mem_free': None}
    if hasattr(gc, 'mem_free'):  # MicroPython only
        gc.collect()
        info['mem_free'] = gc.mem_free()
    return info


PAGE = '''<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sensors</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 30em; margin: 2em auto; padding: 0 1em; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .3em 1em; }
dd { margin: 0; font-weight: bold; } #state { color: #888; }
</style></head><body>
<h1>Sensors</h1>
<dl><dt>Temperature</dt><dd><span id="temperature">?</span> &deg;C</dd>
<dt>Light</dt><dd><span id="light">?</span> %%</dd>
<dt>Free memory</dt><dd><span id="mem_free">?</span> bytes</dd>
<dt>Up for</dt><dd><span id="uptime_s">?</span> s</dd></dl>
<p id="state">connecting&hellip;</p>
<script>
const state = document.getElementById('state');
const source = new EventSource('/events');
source.addEventListener('reading', e => {
  const r = JSON.parse(e.data);
  for (const k in r) document.getElementById(k).textContent = r[k] ?? 'n/a';
  state.textContent = 'reading ' + e.lastEventId;
});
source.onerror = () => { state.textContent = 'reconnecting\\u2026'; };
</script>
<noscript>Without JavaScript: <a href="/api/reading">/api/reading</a>.</noscript>
<p>Every %d ms from the board.</p>
</body></html>
'''


@app.get('/')
async def index(request):
    return Response(PAGE % INTERVAL_MS,
                    headers={'Content-Type': 'text/html; charset=UTF-8'})


@app.get('/api/reading')
async def one_reading(request):
    return reading()


@app.get('/events')
@with_sse
async def events(request, sse):
    # a client that goes away cancels this loop at its next await
    count = int(request.args.get('n', 0)) or None
    i = 0
    while count is None or i < count:
        await sse.send(reading(), event='reading', event_id=i)
        i += 1
        if i != count:
            await asyncio.sleep_ms(INTERVAL_MS)


# A board runs main.py as __main__; "microdot run" imports this file as the
# module "main", so the guard does not fire there.
if __name__ == '__main__':
    desktop = sys.platform in ('linux', 'darwin', 'win32', 'cygwin')
    # each open dashboard holds a connection: bound them on a board
    app.run(port=8000 if desktop else 80, debug=True, max_connections=6)
