"""RPC actions on a device: a page that switches LEDs and says hello through
the generated JavaScript client, and a path for other devices, whose calls
are signed.

    python -m microdot run board_examples/actions_demo/main.py --port 8000
    MICROPYPATH=microdot_src micropython -m microdot run \\
        board_examples/actions_demo/main.py --port 8000

then open http://127.0.0.1:8000/. After changing the actions, write the
client again (the page loads it from static/):

    python -m microdot actions-client board_examples/actions_demo/main.py \\
        --path /_actions -o board_examples/actions_demo/static/actions.client.js

The types are declared in ``@action(params=..., returns=...)``, so the
schema a board serves has them too (MicroPython keeps no annotations).
"""
import gc
import sys

from microdot import Microdot, send_file
from microdot.actions import ActionError, ActionsModule, ActionsOption, \
    action
from microdot.action_guards import ActionSignatureGuard, \
    CsrfActionGuard, OriginActionGuard
from microdot.runtime import ticks_diff, ticks_ms

try:
    from machine import Pin
except ImportError:  # the unix port
    Pin = None

#: GPIO of each LED on a board
LED_PINS = {'blue': 2, 'red': 4}
#: the key other devices sign their calls with: on a real device, read it
#: from a file that is not in your source tree; never send it to a page
DEVICE_SECRET = 'change-me: 32 random bytes shared with the other devices'
HERE = __file__.rpartition('/')[0] or '.'
STARTED = ticks_ms()

app = Microdot()


class Leds:
    """The LEDs: state in memory, and the pins where there are some."""

    def __init__(self):
        self.state = {}
        self.pins = {}
        for name in LED_PINS:
            self.state[name] = False
            if Pin is not None:
                self.pins[name] = Pin(LED_PINS[name], Pin.OUT, value=0)

    @action(params=[], returns='dict[str, bool]')
    def all(self):
        return self.state

    @action(params=['name: str', 'on: bool'], returns='dict[str, bool]')
    def switch(self, name, on):
        if name not in self.state:
            raise ActionError('no LED named ' + name)
        self.state[name] = on
        if name in self.pins:
            self.pins[name].value(1 if on else 0)
        return self.state


class Greeter:
    @action(params=['name: str', 'excited?: bool'], returns='str')
    async def hello(self, name, excited=False):
        return 'Hello, %s%s' % (name, '!' if excited else '.')


class Status:
    @action(params=[], returns='dict[str, Any]')
    def read(self):
        if hasattr(gc, 'mem_free'):  # MicroPython
            gc.collect()
        return {'runtime': sys.implementation.name,
                'uptime_ms': ticks_diff(ticks_ms(), STARTED),
                'mem_free': gc.mem_free() if hasattr(gc, 'mem_free')
                else None}


# the page's actions: only from this origin, with a CSRF token
page_actions = ActionsModule.for_root(ActionsOption(
    path='/_actions', guards=[OriginActionGuard(), CsrfActionGuard()]))
leds = page_actions.register(Leds)
page_actions.register(Greeter)
page_actions.install(app)

# other devices: signed calls only (microdot.action_signing.call_action)
device_actions = ActionsModule.for_root(ActionsOption(
    path='/_device', guards=[ActionSignatureGuard(DEVICE_SECRET)]))
device_actions.register(leds)
device_actions.register(Status)
device_actions.install(app)


@app.get('/')
async def index(request):
    return send_file(HERE + '/static/index.html', max_age=0)


@app.get('/static/<name>')
async def static(request, name):
    if name not in ('actions.client.js', 'actions.client.d.ts'):
        return 'Not found', 404
    return send_file(HERE + '/static/' + name, max_age=0)


if __name__ == '__main__':
    desktop = sys.platform in ('linux', 'darwin', 'win32', 'cygwin')
    app.run(port=8000 if desktop else 80)
