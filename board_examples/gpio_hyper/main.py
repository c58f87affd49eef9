"""A GPIO page with hypermedia actions (microdot.hyper): switch an LED, set
the duty cycle of a PWM output, read a button and an analog input. Every
control works with JavaScript (hyper.js swaps in the part of the page that
changed) and without it (a plain form post, then the page again).

    python -m microdot run board_examples/gpio_hyper/main.py --port 8000
    MICROPYPATH=microdot_src:.frozen micropython -m microdot run \\
        board_examples/gpio_hyper/main.py --port 8000

Routes:
    GET  /            the page (templates/gpio.html)
    POST /            an action: toggle_led(), set_duty(duty) (0..100 %),
                      with the CSRF token (X-CSRF-Token or csrf_token field)
    GET  /?_action=read   the inputs, again (a safe action: X-Action: read)
    GET  /_hyper.js   the browser runtime, gzipped
"""
import sys

from microdot import abort
from microdot import Microdot
from microdot.hyper import HyperView, action
from microdot.template import Template

try:
    from machine import ADC, PWM, Pin
except ImportError:  # the unix port has no GPIO: pins that keep a value
    class Pin:
        IN = OUT = PULL_UP = 0

        def __init__(self, id, mode=0, pull=0, value=1):
            self.level = value

        def value(self, level=None):
            if level is None:
                return self.level
            self.level = int(level)

    class PWM:
        def __init__(self, pin, freq=0, duty_u16=0):
            self.duty = duty_u16

        def duty_u16(self, duty=None):
            if duty is None:
                return self.duty
            self.duty = duty

    class ADC:
        def __init__(self, pin):
            pass

        def read_u16(self):
            return 32768

# ESP32 DevKit: the blue LED is on GPIO 2 and the BOOT button on GPIO 0;
# an LED (with a resistor) on GPIO 4, a potentiometer on GPIO 34
LED_PIN, PWM_PIN, BUTTON_PIN, ADC_PIN = 2, 4, 0, 34

led = Pin(LED_PIN, Pin.OUT, value=0)
dimmer = PWM(Pin(PWM_PIN), freq=1000, duty_u16=0)
button = Pin(BUTTON_PIN, Pin.IN, Pin.PULL_UP)  # reads 0 while pressed
sensor = ADC(Pin(ADC_PIN))


def _folder():
    path = globals().get('__file__') or ''
    i = path.rfind('/')
    return path[:i] if i > 0 else '.'


Template.initialize(_folder() + '/templates')


def state():
    """What the page shows: the template's context."""
    level = sensor.read_u16()
    return {'led': led.value(), 'duty': round(dimmer.duty_u16() * 100 / 65535),
            'pressed': not button.value(), 'level': level,
            'volts': '%.2f' % (level * 3.3 / 65535)}


class Gpio(HyperView):
    template = 'gpio.html'

    def get(self, request):
        return state()

    # each action returns the state: the template's block named after
    # the target (#led: {% block led %}) is rendered and swapped in
    @action(target='#led')
    def toggle_led(self, request):
        led.value(not led.value())
        return state()

    @action(target='#dimmer')
    def set_duty(self, request, duty=0):
        try:
            duty = min(100, max(0, int(duty)))
        except ValueError:
            abort(400, 'The duty cycle is a number from 0 to 100')
        dimmer.duty_u16(duty * 65535 // 100)
        return state()

    @action(safe=True, target='#inputs')
    def read(self, request):
        return state()


app = Microdot()
app.register(Gpio, '/')

# A board runs main.py as __main__; "microdot run" imports this file as the
# module "main", so the guard does not fire there.
if __name__ == '__main__':
    desktop = sys.platform in ('linux', 'darwin', 'win32', 'cygwin')
    app.run(port=8000 if desktop else 80, debug=True)
