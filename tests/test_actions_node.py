"""The generated JavaScript client run by Node against live servers (CPython
and MicroPython): CSRF token, cookie, Origin, results, errors and the
retry with a fresh token; and its .d.ts checked by the TypeScript compiler
(installed by npx from the npm registry; skipped when that fails)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import support
from e2e_helpers import ROOT, free_port, interpreter, launch

RUNTIMES = ('cpython',)
APP = os.path.join(ROOT, 'tests', 'apps', 'actions_app.py')

SCRIPT = r'''
import { createActions, fetchCsrfToken, ActionError } from './actions.client.js';

const base = process.argv[2];
const jar = {};
async function fetchWithCookies(url, init = {}) {
  const headers = {...(init.headers || {})};
  const cookie = Object.entries(jar).map(([k, v]) => k + '=' + v).join('; ');
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(url, {...init, headers});
  for (const c of res.headers.getSetCookie()) {
    const kv = c.split(';')[0];
    jar[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  }
  return res;
}
async function error(promise) {
  try { await promise; return 'no error'; } catch (e) {
    return [e instanceof ActionError, e.status, e.type, e.message];
  }
}
const options = {baseUrl: base, fetch: fetchWithCookies, headers: {Origin: base}};
const actions = createActions(options);
const out = {};
out.hello = await actions.Shapes.hello('node');
out.cookie = typeof jar.csrf_token;
out.add = [await actions.Shapes.add(1), await actions.Shapes.add(1, 5)];
out.centroid = await actions.Shapes.centroid([{x: 0, y: 0}, {x: 2, y: 4}]);
out.tag = await actions.Shapes.tag('a', {strict: true});
out.fail = await error(actions.Shapes.fail());
jar.csrf_token = 'stale';  // another tab, or an expired cookie
out.retry = await actions.Shapes.hello('again');
out.token = (await fetchCsrfToken(options)) === jar.csrf_token;
out.noOrigin = await error(createActions({baseUrl: base, fetch: fetchWithCookies}).Shapes.hello('x'));
out.foreign = await error(createActions({...options, headers: {Origin: 'http://evil.example'}}).Shapes.hello('x'));
out.noCsrf = await error(createActions({...options, csrf: false}).Shapes.hello('x'));
console.log(JSON.stringify(out));
'''

USE_TS = '''
import { createActions, ActionError, Point } from './actions.client.js';
const a = createActions({baseUrl: 'http://127.0.0.1'});
export async function main(): Promise<void> {
  const s: string = await a.Shapes.hello('x');
  const n: number = await a.Shapes.add(1) + await a.Shapes.add(1, 2);
  const p: Point = await a.Shapes.centroid([{x: 1, y: 2, label: null}]);
  const t: Record<string, boolean> = await a.Shapes.tag('b', {strict: true});
  const f: null = await a.Shapes.fail();
  const e = new ActionError(403, 'Forbidden', 'no');
  console.log(s, n, p.x, t, f, e.status, e.type);
}
'''
BAD_TS = [
    "a.Shapes.hello(1);",
    "a.Shapes.add('1');",
    "a.Shapes.tag('c');",
    "a.Shapes.centroid([{x: 1}]);",
    "a.Shapes.nope();",
    "const s: number = await a.Shapes.hello('x');",
]


def client_in(folder):
    res = subprocess.run([sys.executable, '-m', 'microdot', 'actions-client',
                          APP, '-o', os.path.join(folder,
                                                  'actions.client.js')],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    with open(os.path.join(folder, 'package.json'), 'w') as f:
        f.write('{"type": "module"}\n')


def test_node_calls_actions_on_live_servers():
    if not shutil.which('node'):
        support.skip('node is not installed')
    folder = tempfile.mkdtemp()
    client_in(folder)
    with open(os.path.join(folder, 'calls.js'), 'w') as f:
        f.write(SCRIPT)
    for runtime in ('cpython', 'micropython'):
        port = free_port()
        with launch([interpreter(runtime), APP, str(port)], port, runtime):
            res = subprocess.run(['node', 'calls.js', 'http://127.0.0.1:%d'
                                  % port], cwd=folder, capture_output=True,
                                 text=True, timeout=60)
        assert res.returncode == 0, (runtime, res.stdout, res.stderr)
        out = json.loads(res.stdout.strip().splitlines()[-1])
        assert out == {
            'hello': 'Hello, node', 'cookie': 'string', 'add': [3, 6],
            'centroid': {'x': 1, 'y': 2, 'label': None},
            'tag': {'a': True},
            'fail': [True, 409, 'Conflict', 'not today'],
            'retry': 'Hello, again', 'token': True,
            'noOrigin': [True, 403, 'Forbidden',
                         'the request has no Origin header'],
            'foreign': [True, 403, 'Forbidden', 'cross-origin call refused'],
            'noCsrf': [True, 403, 'InvalidCsrfToken',
                       'missing or invalid CSRF token']}, (runtime, out)


def tsc(folder, *files):
    return subprocess.run(
        ['npx', '--yes', '-p', 'typescript@5', 'tsc', '--noEmit', '--strict',
         '--target', 'es2022', '--module', 'es2022', '--moduleResolution',
         'bundler', '--lib', 'es2022,dom'] + list(files), cwd=folder,
        capture_output=True, text=True, timeout=300)


def test_typescript_declarations():
    if not shutil.which('npx'):
        support.skip('npx is not installed')
    folder = tempfile.mkdtemp()
    client_in(folder)
    try:
        version = tsc(folder, '--version')
    except subprocess.TimeoutExpired:
        version = None
    if version is None or version.returncode != 0 or \
            'Version 5' not in version.stdout:
        support.skip('typescript@5 could not be installed by npx')
    res = tsc(folder, 'actions.client.d.ts')
    assert res.returncode == 0, res.stdout + res.stderr
    with open(os.path.join(folder, 'use.ts'), 'w') as f:
        f.write(USE_TS)
    res = tsc(folder, 'use.ts')
    assert res.returncode == 0, res.stdout + res.stderr
    with open(os.path.join(folder, 'bad.ts'), 'w') as f:
        f.write(USE_TS.split('export async')[0] + 'export async function '
                'bad(): Promise<void> {\n')
        for i, line in enumerate(BAD_TS):
            f.write('  // line %d\n  %s\n' % (i, line))
        f.write('}\n')
    res = tsc(folder, 'bad.ts')
    assert res.returncode != 0
    errors = [line for line in res.stdout.splitlines() if 'error TS' in line]
    assert len(errors) == len(BAD_TS), res.stdout
