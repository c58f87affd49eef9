"""A console over a WebSocket (microdot.websocket): the page sends a line,
the board runs the command and answers with a line. Commands: help, led
[on|off|toggle], mem, uptime, echo TEXT, bye.

    python -m microdot run board_examples/ws_console/main.py --port 8000
    MICROPYPATH=microdot_src:.frozen micropython -m microdot run \\
        board_examples/ws_console/main.py --port 8000

Routes:
    GET /      the console page
    GET /ws    the WebSocket: one text message per command, one answer each
"""
import gc
import sys

from microdot import Microdot, Response
from microdot.runtime import ticks_diff, ticks_ms
from microdot.websocket import WebSocket, with_websocket

LED_PIN = 2  # ESP32 DevKit: the blue on-board LED ('LED' on a Pico W)

try:
    from machine import Pin
except ImportError:  # the unix port has no GPIO: an LED that is only state
    class Pin:
        OUT = 1

        def __init__(self, id, mode, value=0):
            self.level = value

        def value(self, level=None):
            if level is None:
                return self.level
            self.level = int(level)

led = Pin(LED_PIN, Pin.OUT, value=0)
STARTED = ticks_ms()
# a command is a short line: refuse anything bigger (closes with 1009)
WebSocket.max_message_length = 256
app = Microdot()


def led_command(arg):
    if arg == 'toggle':
        led.value(not led.value())
    elif arg in ('on', 'off'):
        led.value(arg == 'on')
    elif arg:
        return 'error: led on, led off or led toggle'
    return 'led is ' + ('on' if led.value() else 'off')


def mem_command(arg):
    if not hasattr(gc, 'mem_free'):  # CPython
        return 'mem: only on MicroPython'
    gc.collect()
    return 'mem: %d bytes free, %d used' % (gc.mem_free(), gc.mem_alloc())


def uptime_command(arg):
    return 'up for %d s' % (ticks_diff(ticks_ms(), STARTED) // 1000)


COMMANDS = {
    'led': led_command,
    'mem': mem_command,
    'uptime': uptime_command,
    'echo': lambda arg: arg,
    'help': lambda arg: 'commands: ' + ', '.join(sorted(COMMANDS)) +
    ', bye',
}


def run(line):
    """The answer to one command line."""
    name, _, arg = line.strip().partition(' ')
    command = COMMANDS.get(name.lower())
    if command is None:
        return 'error: unknown command %r (try help)' % name
    return command(arg.strip())


PAGE = '''<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Console</title>
<style>
body { font: 15px/1.4 ui-monospace, monospace; max-width: 40em; margin: 2em auto; padding: 0 1em; }
#log { background: #111; color: #ddd; padding: .6em; height: 20em; overflow-y: auto; white-space: pre-wrap; }
#line { width: 100%; box-sizing: border-box; font: inherit; padding: .4em; }
</style></head><body>
<h1>Console</h1>
<div id="log"></div>
<form id="form"><input id="line" autocomplete="off" placeholder="help" autofocus></form>
<script>
const log = document.getElementById('log'), line = document.getElementById('line');
const show = text => { log.textContent += text + '\\n'; log.scrollTop = log.scrollHeight; };
const ws = new WebSocket((location.protocol == 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
ws.onopen = () => show('connected: type help');
ws.onmessage = e => show(e.data);
ws.onclose = e => show('closed (' + e.code + (e.reason ? ': ' + e.reason : '') + ')');
document.getElementById('form').onsubmit = e => {
  e.preventDefault();
  if (!line.value) return;
  show('> ' + line.value);
  ws.send(line.value);
  line.value = '';
};
</script></body></html>
'''


@app.get('/')
async def index(request):
    return Response(PAGE, headers={'Content-Type': 'text/html; charset=UTF-8'})


@app.route('/ws')
@with_websocket
async def console(request, ws):
    # the connection ends when the client leaves: receive() raises, and
    # the decorator closes the socket
    while True:
        line = await ws.receive()
        if not isinstance(line, str):
            await ws.send('error: send text')
        elif line.strip() == 'bye':
            await ws.close(1000, 'bye')
            return
        else:
            await ws.send(run(line))


# A board runs main.py as __main__; "microdot run" imports this file as the
# module "main", so the guard does not fire there.
if __name__ == '__main__':
    desktop = sys.platform in ('linux', 'darwin', 'win32', 'cygwin')
    app.run(port=8000 if desktop else 80, debug=True)
