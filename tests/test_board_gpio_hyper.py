"""board_examples/gpio_hyper in-process under CPython with the shims: the
actions, driven over HTTP by a real client, change the pins of the
``machine`` stand-in, and what the stand-in's inputs read (a pressed
button, an analog level) comes back in the page."""
RUNTIMES = ('cpython',)  # the shims exist for CPython only

import asyncio
import importlib.util
import os
import sys

import requests

from board_checks import T, hyper_call
from e2e_helpers import ROOT
from server_helpers import serve_app

EXAMPLE = os.path.join(ROOT, 'board_examples', 'gpio_hyper')
SHIMS = os.path.join(ROOT, 'cpython_shims')


def setup_module(module):
    sys.path.insert(0, SHIMS)
    global machine, mp_gaps, example
    import machine
    import mp_gaps
    spec = importlib.util.spec_from_file_location(
        'gpio_hyper_main', os.path.join(EXAMPLE, 'main.py'))
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)


def teardown_module(module):
    from microdot.template import Template
    Template.initialize()  # the example set its own template folder
    mp_gaps.uninstall()
    sys.path.remove(SHIMS)
    for name in ('machine', 'mp_gaps'):
        sys.modules.pop(name, None)


def _drive(base):
    s = requests.Session()
    assert '<b class="off">off</b>' in s.get(base + '/', timeout=T).text
    assert machine.Pin.levels[example.LED_PIN] == 0
    hyper_call(s, base, 'toggle_led')
    assert machine.Pin.levels[example.LED_PIN] == 1
    pwm = machine.PWM.active[example.PWM_PIN]
    assert pwm.freq() == 1000 and pwm.duty_u16() == 0
    hyper_call(s, base, 'set_duty', duty=40)
    assert pwm.duty_u16() == 40 * 65535 // 100
    s.post(base + '/', timeout=T, data={  # a form, without JavaScript
        '_action': 'set_duty', 'duty': '250',
        'csrf_token': s.cookies['csrf_token']})
    assert pwm.duty_u16() == 65535  # clamped to 100 %
    # refused without the CSRF token: the pin does not change
    assert requests.post(base + '/', timeout=T, headers={
        'X-Action': 'toggle_led'}, json={}).status_code == 403
    assert machine.Pin.levels[example.LED_PIN] == 1

    read = s.get(base + '/?_action=read', headers={'X-Action': 'read'},
                 timeout=T).text
    assert 'Button: <b>released</b>' in read and '<b>0</b> of 65535' in read
    machine.Pin.drive(example.BUTTON_PIN, 0)  # pressed
    machine.ADC.values[example.ADC_PIN] = 49151
    read = s.get(base + '/?_action=read', headers={'X-Action': 'read'},
                 timeout=T).text
    assert 'Button: <b>pressed</b>' in read
    assert '<b>49151</b> of 65535 (2.47 V)' in read
    machine.Pin.drive(example.BUTTON_PIN, 1)


def test_actions_drive_the_pins_and_the_page_reads_the_inputs():
    async def client(port):
        await asyncio.to_thread(_drive, 'http://127.0.0.1:%d' % port)
    serve_app(example.app, client)
