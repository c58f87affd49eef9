"""What a request for a static route loads: nothing more than ``import
microdot`` did. A module a device loads stays in its RAM for good, so the
code of the rarer paths (bodies, dynamic routes, 405 and OPTIONS, error
pages, reason phrases, forms...) lives in modules loaded on first use; a
browser's ``GET /favicon.ico`` (a 404) must not load any either. Each
runtime runs the snippet in a fresh process (the test process has loaded
everything already)."""
RUNTIMES = ('cpython',)  # drives a fresh interpreter of each runtime

import os
import subprocess

from e2e_helpers import ROOT, interpreter

SNIPPET = '''
import sys
import asyncio
from microdot import Microdot, Request
from microdot.http11 import parse_request_head

app = Microdot()


@app.get('/')
async def index(req):
    return {'hello': 'world'}


async def answer(target):
    head = ('GET %s HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' % target).encode()
    method, url, version, headers = parse_request_head(head)
    req = Request(app, ('127.0.0.1', 1), method, url, version, headers)
    res = await app.dispatch_request(req)
    return res.status_code, res.frame(version, False)


before = set(sys.modules)
results = [asyncio.run(answer(t)) for t in ('/', '/favicon.ico', '/?a=1')]
print([r[0] for r in results])
print(sorted(m for m in set(sys.modules) - before if 'microdot' in m))
'''


def _run(runtime):
    env = dict(os.environ, MICROPYPATH=os.path.join(ROOT, 'microdot_src') +
               ':.frozen', PYTHONPATH=os.path.join(ROOT, 'microdot_src'))
    out = subprocess.run([interpreter(runtime), '-c', SNIPPET], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_static_route_and_404_load_no_module():
    for runtime in ('cpython', 'micropython'):
        statuses, loaded = _run(runtime)
        assert statuses == '[200, 404, 200]', (runtime, statuses)
        assert loaded == '[]', (runtime, loaded)
