"""A small REST + JSON-RPC API for a device, written with controllers.

    python -m microdot run board_examples/rest_controller/main.py --port 8000
    MICROPYPATH=microdot_src:.frozen micropython -m microdot run \\
        board_examples/rest_controller/main.py --port 8000

The LEDs and the sensor are kept in memory; on a board with ``machine``,
the LEDs also drive their GPIO pins (see ``LED_PINS``). ``Leds`` holds the
routes; ``BoardLeds`` extends it the way an add-on module would, and is
the one registered.

Routes:
    GET  /                       an HTML page with a button per LED
    POST /leds/<name>/toggle     the page's buttons (form with csrf_token)
    GET  /api/leds               every LED, as JSON
    GET  /api/leds/<name>        one LED (404 if there is no such LED)
    PUT  /api/leds/<name>        switch it: form or query field on=1|0,
                                 with the X-CSRF-Token header
    GET  /api/csrf               a CSRF token for scripts
    GET  /api/sensors            the readings, as JSON
    POST /rpc                    JSON-RPC 2.0: get_leds(), set_led(name, on),
                                 read_sensors()
"""
import gc
import sys

from microdot import Microdot, abort, redirect
from microdot.controllers import Controller, ControllerConfig, route, \
    request
from microdot.runtime import ticks_diff, ticks_ms
from microdot.session import Session

try:
    from machine import Pin
except ImportError:  # a desktop, or the unix port
    Pin = None

#: GPIO of each LED on a board (ESP32 DevKit: 2 is the blue on-board LED)
LED_PINS = {'blue': 2, 'red': 4, 'green': 5}
STARTED = ticks_ms()

app = Microdot()
# CSRF tokens are bound to the session and signed with its key: on a real
# device, read the key from a file that is not in your source tree
Session(app, secret_key='change-me: 32 random bytes from a file')
# every route here is auth='public' or 'none': no login on this device
ControllerConfig(app)

PAGE = '''<!doctype html>
<html><head><meta charset="utf-8"><title>LEDs</title></head><body>
<h1>LEDs</h1>
%s
<p><a href="/api/leds">/api/leds</a> &middot;
<a href="/api/sensors">/api/sensors</a></p>
</body></html>
'''
BUTTON = '''<form method="post" action="/leds/%s/toggle">
<input type="hidden" name="csrf_token" value="%s">
<button>%s is %s: switch it %s</button></form>
'''


def _flag(value):
    # '1', 'true', 'on' -> True; a JSON boolean stays as it is
    if isinstance(value, str):
        return value.lower() in ('1', 'true', 'on', 'yes')
    return bool(value)


class Leds(Controller):
    """The LED state and its routes, hardware-free."""
    state = {}

    def __init__(self):
        for name in LED_PINS:
            self.state[name] = False

    def switch(self, name, on):
        if name not in self.state:
            raise ValueError('no LED named ' + name)
        self.state[name] = on
        return {'name': name, 'on': on}

    @route('/', auth='public')
    def page(self):
        token = request.csrf_token()
        buttons = ''.join([BUTTON % (name, token, name,
                                     'on' if on else 'off',
                                     'off' if on else 'on')
                           for name, on in sorted(self.state.items())])
        return PAGE % buttons

    @route('/leds/<name>/toggle', auth='public', methods=['POST'])
    def toggle(self, name):
        if name not in self.state:
            abort(404)
        self.switch(name, not self.state[name])
        return redirect('/', 303)

    @route('/api/leds', auth='none', methods=['GET'])
    def leds(self):
        return self.state

    @route('/api/leds/<name>', auth='public', methods=['GET', 'PUT'])
    def led(self, name, on=None):
        if name not in self.state:
            abort(404)
        if request.method == 'PUT':
            return self.switch(name, _flag(on))
        return {'name': name, 'on': self.state[name]}

    @route('/api/csrf', auth='public')
    def csrf(self):
        return {'csrf_token': request.csrf_token()}

    @route('/api/sensors', auth='none', cors='*')
    def sensors(self):
        return sensor_readings()

    # JSON-RPC: three methods on one URL, chosen by the call's "method"
    @route('/rpc', type='json', auth='public')
    def get_leds(self):
        return self.state

    @route('/rpc', type='json', auth='public')
    def set_led(self, name, on):
        return self.switch(name, _flag(on))

    @route('/rpc', type='json', auth='public')
    def read_sensors(self):
        return sensor_readings()


class BoardLeds(Leds):
    """What an add-on module would write: the same routes, plus the pins."""
    pins = {}

    def __init__(self):
        super().__init__()
        if Pin is not None:
            for name in LED_PINS:
                self.pins[name] = Pin(LED_PINS[name], Pin.OUT, value=0)

    def switch(self, name, on):
        result = super().switch(name, on)
        if name in self.pins:
            self.pins[name].value(1 if on else 0)
        return result

    @route(cors='*')  # same URL and options as Leds.leds, plus CORS
    def leds(self):
        return super().leds()


def sensor_readings():
    mem_free = None
    if hasattr(gc, 'mem_free'):  # MicroPython
        gc.collect()
        mem_free = gc.mem_free()
    uptime = ticks_diff(ticks_ms(), STARTED)
    return {'runtime': sys.implementation.name, 'uptime_ms': uptime,
            'mem_free': mem_free,
            # a stand-in sensor: replace with your ADC or I2C reading
            'temperature': 20 + (uptime // 1000) % 10}


app.register(BoardLeds)

if __name__ == '__main__':  # a board runs main.py as __main__
    desktop = sys.platform in ('linux', 'darwin', 'win32', 'cygwin')
    app.run(port=8000 if desktop else 80, debug=True)
