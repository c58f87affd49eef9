"""A short coverage-guided fuzz run of every parser target (the multipart parser's too) (tools/fuzz.py,
atheris); the long run is the same command with its default 1,000,000
inputs per target (see docs/hardening.md)."""
RUNTIMES = ('cpython',)  # atheris is CPython-only

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_short_atheris_run_finds_nothing():
    out = subprocess.run([sys.executable, os.path.join(ROOT, 'tools',
                                                       'fuzz.py'),
                          '--runs', '3000'], capture_output=True,
                         timeout=300)
    log = out.stdout.decode(errors='replace') + \
        out.stderr.decode(errors='replace')
    assert out.returncode == 0, log[-3000:]
    assert log.count('Done 3000 runs') == 5, log[-3000:]
