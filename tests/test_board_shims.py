"""Board examples in-process under CPython with the shims, driven over HTTP
by real clients: gpio_hyper's actions change the pins of the ``machine``
stand-in, and what the stand-in's inputs read (a pressed button, an analog
level) comes back in gpio_hyper's page and in sse_dashboard's events."""
RUNTIMES = ('cpython',)  # the shims exist for CPython only

import asyncio
import importlib.util
import os
import sys

import requests

from board_checks import T, hyper_call, read_events
from e2e_helpers import ROOT
from server_helpers import serve_app

SHIMS = os.path.join(ROOT, 'cpython_shims')


def setup_module(module):
    sys.path.insert(0, SHIMS)
    global machine, mp_gaps
    import machine
    import mp_gaps


def _example(name):
    """board_examples/NAME/main.py, imported as the module board_NAME."""
    spec = importlib.util.spec_from_file_location(
        'board_' + name, os.path.join(ROOT, 'board_examples', name,
                                      'main.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def teardown_module(module):
    from microdot.template import Template
    Template.initialize()  # the example set its own template folder
    mp_gaps.uninstall()
    sys.path.remove(SHIMS)
    for name in ('machine', 'mp_gaps'):
        sys.modules.pop(name, None)


def _drive(base, example):
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


def _serve(example, drive):
    async def client(port):
        await asyncio.to_thread(drive, 'http://127.0.0.1:%d' % port, example)
    serve_app(example.app, client)


def test_gpio_actions_drive_the_pins_and_the_page_reads_the_inputs():
    _serve(_example('gpio_hyper'), _drive)


def _read_sensors(base, example):
    machine.ADC.values[example.TMP36_PIN] = 14895  # 750 mV: 25 degrees
    machine.ADC.values[example.LIGHT_PIN] = lambda: 32768
    (event,) = read_events(base + '/events', 1)
    assert event.json()['temperature'] == 25.0
    assert event.json()['light'] == 50
    machine.ADC.values[example.TMP36_PIN] = 10922  # 549 mV
    events = read_events(base + '/events?n=2', 5)
    assert [e.json()['temperature'] for e in events] == [4.9, 4.9]


def test_sse_dashboard_streams_what_the_adc_shim_reads():
    _serve(_example('sse_dashboard'), _read_sensors)
