"""tools/build_mpy.py and tools/deploy.py with ``--no-lines``: the .mpy
files without line-number tables are smaller, take less RAM once
imported, and the MicroPython unix port serves from them; a traceback then
names line 1 in every frame of a module. (The heap figures are in docs/devices.md.)"""
RUNTIMES = ('cpython',)  # drives mpy-cross and micropython

import os
import subprocess
import sys
import urllib.request

import support
from e2e_helpers import ROOT, T, free_port, interpreter, launch

sys.path.insert(0, os.path.join(ROOT, 'tools'))
import build_mpy  # noqa: E402
import deploy  # noqa: E402

_HEAP = '''import gc
gc.collect()
before = gc.mem_alloc()
import microdot
gc.collect()
print(gc.mem_alloc() - before)
try:
    microdot.Response.send_file(None)
except Exception as exc:
    import sys
    sys.print_exception(exc)
'''


def _imported(build):
    out = subprocess.run([interpreter('micropython'), '-c', _HEAP],
                         env=dict(os.environ, MICROPYPATH=build + ':.frozen'),
                         capture_output=True, text=True, timeout=T, cwd=ROOT)
    lines = out.stdout.splitlines()
    assert out.returncode == 0 and lines, out.stdout + out.stderr
    return int(lines[0]), '\n'.join(lines[1:])


def test_no_lines_build_is_smaller_and_serves():
    with_lines, without = support.tmpdir(), support.tmpdir()
    big = build_mpy.build(with_lines, list(build_mpy.CORE))
    small = build_mpy.build(without, list(build_mpy.CORE), lines=False)
    assert sorted(big) == sorted(small)
    assert sum(small.values()) < sum(big.values()) * 0.97, (small, big)
    ram_big, trace_big = _imported(with_lines)
    ram_small, trace_small = _imported(without)
    assert ram_small < ram_big, (ram_small, ram_big)
    # without the tables every frame of a module says line 1
    assert 'response.py", line 1,' not in trace_big, trace_big
    assert 'response.py", line 1,' in trace_small, trace_small
    port = free_port()
    cmd = [interpreter('micropython'), '-X', 'heapsize=64k',
           os.path.join(ROOT, 'tests', 'apps', 'hello_app.py'), str(port)]
    env = dict(os.environ, MICROPYPATH=without + ':.frozen')
    with launch(cmd, port, 'micropython, no lines', env=env):
        with urllib.request.urlopen('http://127.0.0.1:%d/' % port,
                                    timeout=T) as res:
            assert res.read() == b'{"hello": "world"}'


def test_deploy_build_honours_no_lines():
    files = ['app.py', 'request.py']
    a = dict((n, os.path.getsize(p)) for p, n in
             deploy.build(files, support.tmpdir()))
    b = dict((n, os.path.getsize(p)) for p, n in
             deploy.build(files, support.tmpdir(), lines=False))
    assert sorted(a) == sorted(b) == ['app.mpy', 'request.mpy']
    for name in a:
        assert b[name] < a[name], (name, a, b)
