"""Smoke tests of every board example: under CPython with the shims
(``python -m microdot run board_examples/NAME/main.py``, which puts
cpython_shims/ in place) and under the unix MicroPython port as a board
runs it (the package as .mpy in lib/, boot.py then main.py's app), in the
heap docs/devices.md gives for it plus a margin. A new example needs an
entry in EXAMPLES and a README with its deploy command."""
RUNTIMES = ('cpython',)  # drives subprocesses

import json
import os
import shutil
import sys
import tempfile

from e2e_helpers import ROOT, curl, free_port, launch

sys.path.insert(0, os.path.join(ROOT, 'tools'))
import deploy  # noqa: E402
import example_heap  # noqa: E402

EXAMPLES_DIR = os.path.join(ROOT, 'board_examples')
SHIMS = os.path.join(ROOT, 'cpython_shims')


def _check_hello(get, runtime):
    assert ('Hello from %s!' % runtime).encode() in get('/')
    assert json.loads(get('/api/status'))['runtime'] == runtime
    assert json.loads(get('/square/12')) == {'n': 12, 'square': 144}


def _check_wifi_boot(get, runtime):
    info = json.loads(get('/api/status'))
    assert info['runtime'].startswith(runtime + ' ')
    net = info['network']
    if runtime == 'cpython':  # the network shim joined wifi.json's network
        assert net == {'mode': 'station', 'ssid': 'YOUR-NETWORK',
                       'ip': '127.0.0.1', 'error': None}
        assert info['cpu_mhz'] == 160 and info['mem_free'] is None
    else:  # the unix port has no network module: the host's network
        assert net['mode'] == 'host' and net['error'] is None
        assert info['mem_free'] > 0
    page = get('/')
    assert b'<h1>Board status</h1>' in page
    assert ('<td>%s</td>' % net['mode']).encode() in page


def _check_rest_controller(get, runtime):
    leds = json.loads(get('/api/leds'))
    assert leds == {'blue': False, 'red': False, 'green': False}
    assert json.loads(get('/api/sensors'))['runtime'] == runtime
    assert get('/').count(b'name="csrf_token"') == 3


def _check_todo_hyper(get, runtime):
    page = get('/')
    assert b'<h1>Todos</h1>' in page and b'Water the plants' in page
    assert page.count(b'name="csrf_token"') == 6
    assert get('/_hyper.js')[:2] == b'\x1f\x8b'  # served gzipped


#: name: (extension packages, heap for the unix port, check(get, runtime))
EXAMPLES = {
    'hello': ((), '96k', _check_hello),
    'rest_controller': (('controllers',), '160k', _check_rest_controller),
    'wifi_boot': ((), '104k', _check_wifi_boot),
    'todo_hyper': (('hyper',), '176k', _check_todo_hyper),
}


def _getter(port):
    return lambda path: curl('http://127.0.0.1:%d%s' % (port, path))


def test_every_example_has_a_smoke_check_and_a_readme():
    names = sorted(n for n in os.listdir(EXAMPLES_DIR)
                   if os.path.isdir(os.path.join(EXAMPLES_DIR, n)))
    missing = sorted(set(names) - set(EXAMPLES))
    assert not missing, (
        'no smoke check for board_examples/%s: add it to EXAMPLES in '
        'tests/test_board_examples.py, with its heap from '
        'tools/example_heap.py plus a margin' % ', '.join(missing))
    assert sorted(EXAMPLES) == names, 'EXAMPLES names a missing example'
    for name in names:
        with open(os.path.join(EXAMPLES_DIR, name, 'README.md')) as f:
            readme = f.read()
        assert 'tools/deploy.py board_examples/%s' % name in readme, (
            'board_examples/%s/README.md: give the deploy command' % name)
        assert os.path.isfile(os.path.join(EXAMPLES_DIR, name, 'main.py'))


def test_examples_on_cpython_with_the_shims():
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, 'microdot_src'))
    for name, (_, _, check) in sorted(EXAMPLES.items()):
        port = free_port()
        cmd = [sys.executable, '-m', 'microdot', 'run',
               'board_examples/%s/main.py' % name, '--port', str(port)]
        with launch(cmd, port, 'cpython ' + name, env=env):
            check(_getter(port), 'cpython')


def test_examples_on_the_unix_port_from_mpy_in_their_heap():
    for name, (extensions, heap, check) in sorted(EXAMPLES.items()):
        board = tempfile.mkdtemp(prefix='example-')
        try:
            placed = deploy.stage(board, [os.path.join(EXAMPLES_DIR, name)],
                                  extensions)
            assert 'lib/microdot/app.mpy' in placed and 'main.py' in placed
            port = free_port()
            with launch(example_heap.command(port, heap), port,
                        'micropython ' + name, env=example_heap.env(),
                        cwd=board):
                check(_getter(port), 'micropython')
        finally:
            shutil.rmtree(board)


def _wifi_connect(access_points, config):
    """wifi.connect() of the example, fresh, over the network shim."""
    sys.path[:0] = [SHIMS, os.path.join(EXAMPLES_DIR, 'wifi_boot')]
    try:
        import mp_gaps
        import network
        network.reset()
        network.ACCESS_POINTS.update(access_points)
        import wifi
        state = wifi.connect(config, timeout_ms=2000)
        return state, network.WLAN(network.STA_IF), network.WLAN(network.AP_IF)
    finally:
        network.reset()
        mp_gaps.uninstall()
        del sys.path[:2]
        for module in ('wifi', 'network', 'mp_gaps'):
            sys.modules.pop(module, None)


def test_wifi_boot_joins_or_falls_back_to_an_access_point():
    config = {'ssid': 'home', 'password': 'secret', 'ap_essid': 'setup',
              'ap_password': '12345678'}
    state, sta, ap = _wifi_connect({'home': 'secret'}, config)
    assert state == {'mode': 'station', 'ssid': 'home', 'ip': '127.0.0.1',
                     'error': None}
    assert sta.isconnected() and not ap.active()

    state, sta, ap = _wifi_connect({'home': 'other'}, config)
    assert state == {'mode': 'access point', 'ssid': 'setup',
                     'ip': '192.168.4.1', 'error': 'wrong password'}
    assert not sta.active() and ap.active()
    assert ap.config('essid') == 'setup' and ap.config('key') == '12345678'

    state, _, ap = _wifi_connect({}, {})
    assert state['mode'] == 'access point' and state['ssid'] == 'microdot-setup'
    assert state['error'] == 'no ssid in wifi.json'
