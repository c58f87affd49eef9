"""The client generator of microdot.actions (CPython only): Python type
strings to TypeScript, the generated ES module and .d.ts, the
`actions-client` command from an app and from a running server's schema
(CPython and MicroPython servers), and the example's client kept up to
date."""
import json
import os
import subprocess
import sys
import tempfile

from e2e_helpers import ROOT, free_port, interpreter, launch
from microdot.actions_client import generate, ts_type

RUNTIMES = ('cpython',)
APP = os.path.join(ROOT, 'tests', 'apps', 'actions_app.py')
DEMO = os.path.join(ROOT, 'board_examples', 'actions_demo')


def test_ts_types():
    types = {'Point': {}}
    for py, ts in (('str', 'string'), ('int', 'number'), ('float', 'number'),
                   ('bool', 'boolean'), ('None', 'null'), ('Any', 'unknown'),
                   ('list[int]', 'number[]'), ('list', 'unknown[]'),
                   ('list[str | None]', '(string | null)[]'),
                   ('dict[str, float]', 'Record<string, number>'),
                   ('dict', 'Record<string, unknown>'),
                   ('tuple[int, str]', '[number, string]'),
                   ('tuple[int, ...]', 'number[]'),
                   ('str | None', 'string | null'),
                   ('Optional[int]', 'number | null'),
                   ('typing.Optional[int]', 'number | null'),
                   ('Union[int, str]', 'number | string'),
                   ('Literal["a", "b"]', '"a" | "b"'),
                   ("Literal['x', 1, True]", '"x" | 1 | true'),
                   ('Point', 'Point'), ('list[Point]', 'Point[]'),
                   ('Unknown', 'unknown'), ('int | Any', 'unknown'),
                   ('list[', 'unknown'), ('', 'unknown')):
        assert ts_type(py, types) == ts, (py, ts_type(py, types))


SCHEMA = {'path': '/api', 'types': {'Pt': {
    'x': {'type': 'int', 'required': True},
    'my-y': {'type': 'int | None', 'required': False}}}, 'actions': [
    {'name': 'B.undeclared', 'class': 'B', 'method': 'undeclared',
     'params': None, 'returns': 'Any'},
    {'name': 'A.all', 'class': 'A', 'method': 'all', 'returns': 'Pt',
     'params': [
         {'name': 'new', 'type': 'int', 'required': True,
          'kind': 'positional'},
         {'name': 'b', 'type': 'str', 'required': False},
         {'name': 'rest', 'type': 'float', 'required': False,
          'kind': 'varargs'},
         {'name': 'k', 'type': 'bool', 'required': True, 'kind': 'keyword'},
         {'name': 'more', 'type': 'int', 'required': False,
          'kind': 'varkw'}]},
    {'name': 'A.kw', 'class': 'A', 'method': 'kw', 'returns': 'None',
     'params': [{'name': 'a', 'type': 'int', 'required': False},
                {'name': 'b', 'type': 'str', 'required': True}]}]}


def test_generated_code():
    js, dts = generate(SCHEMA, 'test')
    assert 'from test.' in js and 'export const ACTIONS_PATH = "/api";' in js
    assert js.index('A: {') < js.index('B: {')
    assert 'undeclared(...args) { return call("B.undeclared", trim(args)' \
        ', {}); }' in js
    assert 'all(new_, b, rest, kw) { return call("A.all", trim([new_, b, ' \
        '...(rest || [])]), {...(kw || {})}); }' in js
    assert 'kw(a, b) { return call("A.kw", trim([]), {a: a, b: b}); }' in js
    assert 'undeclared(...args: unknown[]): Promise<unknown>;' in dts
    assert 'all(new_: number, b?: string, rest?: number[], kw: {k: boolean}'\
        ' & Record<string, number>): Promise<Pt>;' in dts
    assert 'kw(a: number, b: string): Promise<null>;' in dts
    assert 'export interface Pt {\n  x: number;\n  "my-y"?: number | null;' \
        '\n}' in dts
    assert '/** A.all(new: int, b: str, rest: float, k: bool, more: int) ' \
        '-> Pt */' in dts


def run_cli(*args):
    return subprocess.run([sys.executable, '-m', 'microdot',
                           'actions-client'] + list(args), cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def read(path):
    with open(path) as f:
        return f.read()


def test_cli_from_the_app():
    sys.path.insert(0, os.path.dirname(APP))
    try:
        import actions_app
    finally:
        sys.path.remove(os.path.dirname(APP))
    out = os.path.join(tempfile.mkdtemp(), 'web', 'actions.client.js')
    res = run_cli(APP, '-o', out)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.split() == ['wrote', out, 'wrote',
                                  out[:-3] + '.d.ts']
    js, dts = generate(actions_app.module.schema(), APP)
    assert read(out) == js and read(out[:-3] + '.d.ts') == dts
    assert 'centroid(points: Point[]): Promise<Point>;' in dts
    assert 'tag(kind: "a" | "b", kw?: {strict?: boolean}): ' \
        'Promise<Record<string, boolean>>;' in dts
    assert 'label: string | null;' in dts
    res = run_cli(APP, '--output', out[:-3] + '.mjs', '--no-dts')
    assert res.returncode == 0 and not os.path.exists(out[:-3] + '.d.mts')


def test_cli_usage_errors():
    for args in ((), (APP,), ('-o', 'x.js'), (APP, '-o'),
                 (APP, '--url', 'http://x', '-o', 'x.js'),
                 ('nope_module:app', '-o', '/tmp/x.js'),
                 (APP, '--path', '/other', '-o', '/tmp/x.js'),
                 ('--url', 'http://127.0.0.1:9/', '-o', '/tmp/x.js')):
        res = run_cli(*args)
        assert res.returncode == 2, (args, res.stdout, res.stderr)
        assert res.stdout.strip()


def test_cli_from_a_running_server():
    folder = tempfile.mkdtemp()
    for runtime in ('cpython', 'micropython'):
        port = free_port()
        with launch([interpreter(runtime), APP, str(port)], port, runtime):
            base = 'http://127.0.0.1:%d' % port
            for url in (base, base + '/_actions', base + '/_actions/schema'):
                out = os.path.join(folder, runtime + '.js')
                res = run_cli('--url', url, '-o', out)
                assert res.returncode == 0, res.stdout + res.stderr
                assert ('from %s.' % url) in read(out)
        dts = read(out[:-3] + '.d.ts')
        if runtime == 'cpython':  # full signatures
            assert 'add(a: number, b?: number): Promise<number>;' in dts
        else:  # annotations are gone on MicroPython: nothing declared
            assert 'add(...args: unknown[]): Promise<unknown>;' in dts


def test_the_example_client_is_up_to_date():
    out = os.path.join(tempfile.mkdtemp(), 'actions.client.js')
    res = run_cli(os.path.join(DEMO, 'main.py'), '--path', '/_actions',
                  '-o', out)
    assert res.returncode == 0, res.stdout + res.stderr
    for name in ('actions.client.js', 'actions.client.d.ts'):
        generated = read(os.path.join(os.path.dirname(out), name))
        committed = read(os.path.join(DEMO, 'static', name))
        # the header names the source given on the command line
        assert generated.split('\n', 1)[1] == committed.split('\n', 1)[1], \
            'run: python -m microdot actions-client board_examples/' \
            'actions_demo/main.py --path /_actions -o board_examples/' \
            'actions_demo/static/actions.client.js'


PRESET_APP = '''from microdot import Microdot
from microdot.actions import ActionsModule, action

class Demo:
    @action(params=[])
    def ping(self):
        return 'pong'

app = Microdot()
module = ActionsModule.for_root()
module.register(Demo)
module.install(app)
'''


def test_run_with_action_flags():
    import urllib.error
    import urllib.request
    folder = tempfile.mkdtemp()
    app = os.path.join(folder, 'preset_app.py')
    with open(app, 'w') as f:
        f.write(PRESET_APP)
    env = dict(os.environ, MICROPYPATH=os.path.join(ROOT, 'microdot_src') +
               ':.frozen')

    def call(port, origin=None):
        headers = {'Content-Type': 'application/json'}
        if origin:
            headers['Origin'] = origin
        req = urllib.request.Request('http://127.0.0.1:%d/_actions' % port,
                                     b'{"action": "Demo.ping"}', headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                return res.status, json.loads(res.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())['error']['message']
    for runtime in ('cpython', 'micropython'):
        for flags, origin, expected in (
                ((), None, (200, {'ok': True, 'data': 'pong'})),
                (('--action-security',), None,
                 (403, 'the request has no Origin header')),
                (('--action-security',), 'http://127.0.0.1:%d',
                 (403, 'missing or invalid CSRF token')),
                (('--action-origins', 'http://a.example'), 'http://a.example',
                 (200, {'ok': True, 'data': 'pong'})),
                (('--action-origins', 'http://a.example'), 'http://b.example',
                 (403, 'cross-origin call refused'))):
            port = free_port()
            cmd = [interpreter(runtime), '-m', 'microdot', 'run', app] + \
                list(flags) + ['--port', str(port)]
            with launch(cmd, port, runtime, env=env):
                got = call(port, origin and origin.replace('%d', str(port)))
            assert got == expected, (runtime, flags, got)
