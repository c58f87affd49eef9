"""The Autobahn WebSocket conformance cases (kosoku) against the echo server
tests/apps/ws_app.py under CPython and under MicroPython: every case outside
9.x (performance), 12.x and 13.x (compression) must pass. This runs
tools/autobahn.py, which prints the verdicts (about 7 s per runtime)."""
import os
import subprocess
import sys

from e2e_helpers import ROOT

RUNTIMES = ('cpython',)


def test_autobahn_cases_pass_on_both_runtimes():
    out = subprocess.run([sys.executable, os.path.join('tools', 'autobahn.py')],
                         cwd=ROOT, capture_output=True, timeout=300)
    text = out.stdout.decode(errors='replace')
    print(text, out.stderr.decode(errors='replace')[-4000:])
    assert out.returncode == 0, text
    for runtime in ('cpython', 'micropython'):
        assert '%s: 247 cases, 247 passed' % runtime in text, text
