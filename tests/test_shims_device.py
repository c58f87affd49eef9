"""The machine, network and time/asyncio stand-ins in cpython_shims/: state a
test can read and set, and ``python -m microdot run`` putting them in place
for an app that uses them."""
RUNTIMES = ('cpython',)  # the shims exist for CPython only

import asyncio
import os
import sys
import threading
import time

from e2e_helpers import ROOT, curl, free_port, launch

SHIMS = os.path.join(ROOT, 'cpython_shims')


def setup_module(module):
    sys.path.insert(0, SHIMS)
    global machine, network, mp_gaps
    import machine
    import mp_gaps
    import network


def teardown_module(module):
    mp_gaps.uninstall()
    sys.path.remove(SHIMS)
    for name in ('machine', 'network', 'mp_gaps'):
        sys.modules.pop(name, None)


def test_ticks_wrap_like_a_board_and_sleep_ms_exists():
    assert time.ticks_diff(time.ticks_add(time.ticks_ms(), 5),
                           time.ticks_ms()) in (4, 5)
    top = mp_gaps.TICKS_PERIOD - 1
    assert time.ticks_add(top, 2) == 1
    assert time.ticks_diff(1, top) == 2 and time.ticks_diff(top, 1) == -2
    time.sleep_ms(1)
    time.sleep_us(1)
    asyncio.run(asyncio.sleep_ms(1))


def test_pins_share_levels_and_call_irq_handlers_on_edges():
    led = machine.Pin(2, machine.Pin.OUT, value=0)
    led.on()
    assert machine.Pin.levels[2] == 1 and machine.Pin(2).value() == 1
    led.toggle()
    assert led() == 0
    button = machine.Pin(0, machine.Pin.IN, machine.Pin.PULL_UP)
    assert button.value() == 1
    button.value(0)  # writing an input changes nothing
    assert button.value() == 1
    seen = []
    button.irq(seen.append, machine.Pin.IRQ_FALLING)
    machine.Pin.drive(0, 0)
    machine.Pin.drive(0, 0)  # no edge
    machine.Pin.drive(0, 1)  # rising: not asked for
    assert seen == [button] and button.value() == 1
    button.irq(None)
    machine.Pin.drive(0, 0)
    assert seen == [button]


def test_adc_readings_and_pwm_settings_are_module_state():
    adc = machine.ADC(machine.Pin(34), atten=machine.ADC.ATTN_11DB)
    assert adc.read_u16() == 0
    machine.ADC.values[34] = 40000
    assert adc.read_u16() == 40000 and adc.read() == 2500
    readings = iter([100, 200])
    machine.ADC.values[34] = lambda: next(readings)
    assert [adc.read_u16(), adc.read_u16()] == [100, 200]
    pwm = machine.PWM(machine.Pin(5), freq=1000, duty_u16=16384)
    assert machine.PWM.active[5] is pwm and pwm.freq() == 1000
    pwm.duty(1023)
    assert pwm.duty_u16() == 65535 and pwm.duty_ns() == 1000000
    pwm.deinit()
    assert 5 not in machine.PWM.active


def test_timers_call_back_on_a_thread_or_on_the_event_loop():
    fired = threading.Event()
    timer = machine.Timer(-1, mode=machine.Timer.ONE_SHOT, period=1,
                          callback=lambda t: fired.set())
    assert fired.wait(10)
    assert timer not in machine.Timer.active

    async def periodic():
        ticks = []
        done = asyncio.Event()

        def tick(t):
            ticks.append(threading.get_ident())
            if len(ticks) == 3:
                t.deinit()
                done.set()
        machine.Timer(1, period=1, callback=tick)
        await asyncio.wait_for(done.wait(), 10)
        return ticks
    assert asyncio.run(periodic()) == [threading.get_ident()] * 3
    assert machine.Timer.active == []


def test_reset_is_recorded_and_stops_the_program():
    try:
        machine.reset()
    except SystemExit:
        pass
    else:
        raise AssertionError('machine.reset() returned')
    assert machine.RESETS[-1] == 'hard'
    del machine.RESETS[:]
    assert len(machine.unique_id()) == 6 and machine.freq() == 160000000


def test_wlan_station_joins_the_simulated_networks():
    network.reset()
    network.ACCESS_POINTS.update({'home': 'secret', 'cafe': None})
    sta = network.WLAN(network.STA_IF)
    assert network.WLAN(network.STA_IF) is sta
    assert not sta.active() and not sta.isconnected()
    try:
        sta.connect('home', 'secret')
        raise AssertionError('connect() on an inactive interface')
    except OSError:
        pass
    sta.active(True)
    assert [n[0] for n in sta.scan()] == [b'cafe', b'home']
    sta.connect('home', 'wrong')
    assert sta.status() == network.STAT_WRONG_PASSWORD
    sta.connect('elsewhere', 'x')
    assert sta.status() == network.STAT_NO_AP_FOUND
    assert sta.ifconfig()[0] == '0.0.0.0'
    network.CONNECT_DELAY_MS = 20
    sta.connect('home', 'secret')
    assert sta.status() == network.STAT_CONNECTING
    deadline = time.monotonic() + 10
    while not sta.isconnected():
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert sta.ifconfig() == network.STA_IFCONFIG
    assert sta.config('essid') == 'home' and sta.status('rssi') < 0
    sta.config(hostname='board')
    assert network.hostname() == 'board'
    sta.disconnect()
    assert not sta.isconnected()
    network.reset()


def test_wlan_access_point():
    network.reset()
    ap = network.WLAN(network.AP_IF)
    assert ap is not network.WLAN(network.STA_IF)
    ap.active(True)
    ap.config(essid='microdot', password='12345678',
              authmode=network.AUTH_WPA2_PSK)
    assert ap.config('essid') == 'microdot' and ap.config('key') == '12345678'
    assert ap.ifconfig()[0] == '192.168.4.1'
    assert not ap.isconnected()
    ap.stations.append((b'\x01' * 6,))
    assert ap.isconnected() and ap.status('stations') == [(b'\x01' * 6,)]
    network.reset()


APP = '''import time
import asyncio
import machine
import network
from microdot import Microdot

app = Microdot()
led = machine.Pin(2, machine.Pin.OUT)
wlan = network.WLAN(network.STA_IF)
wlan.active(True)
wlan.connect('home', 'pw')


@app.get('/')
async def index(request):
    led.toggle()
    await asyncio.sleep_ms(1)
    return {'led': led.value(), 'ip': wlan.ifconfig()[0],
            'ticks': time.ticks_diff(time.ticks_ms(), 0) >= 0}
'''


def test_microdot_run_puts_the_shims_in_place_on_cpython():
    folder = os.path.join(ROOT, 'build', 'shim-app-%d' % os.getpid())
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, 'device_app.py')
    with open(path, 'w') as f:
        f.write(APP)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, 'microdot_src'))
    try:
        with launch([sys.executable, '-m', 'microdot', 'run', path,
                     '--port', str(port)], port, 'shim app', env=env):
            url = 'http://127.0.0.1:%d/' % port
            assert curl(url) == b'{"led": 1, "ip": "127.0.0.1", "ticks": true}'
            assert curl(url).startswith(b'{"led": 0,')
    finally:
        os.remove(path)
        os.rmdir(folder)
