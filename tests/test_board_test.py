"""tools/board_test.py runs shared test files on a "board" (the unix port
behind a pty, driven by mpremote) with CI's runner, tools/mp_runner.py:
the same results as on the unix port, failures reported as failures, and
a second run copies nothing."""
RUNTIMES = ('cpython',)  # drives socat, mpremote and micropython

import os
import re
import subprocess
import sys

from board_helpers import pty_board
from e2e_helpers import ROOT, interpreter

FILES = ['tests/test_structures.py', 'tests/test_routing.py']
FAILING = '''import support


def test_passes():
    assert support.RUNTIME == 'micropython'


def test_fails():
    assert 1 == 2, 'failed on purpose'


def test_skips():
    support.skip('skipped on purpose')
'''


def _board_test(board, *args):
    out = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'tools', 'board_test.py'),
         '--port', board.tty] + list(args),
        capture_output=True, text=True, timeout=180, cwd=ROOT)
    return out.returncode, out.stdout + out.stderr


def _counts(line):
    m = re.search(r'(\d+) passed, (\d+) failed, (\d+) skipped', line)
    assert m, line
    return tuple(int(g) for g in m.groups())


def _unix_port_counts(path):
    out = subprocess.run([interpreter('micropython'), 'tools/mp_runner.py',
                          path], capture_output=True, text=True, timeout=120,
                         cwd=ROOT,
                         env=dict(os.environ, MICROPYPATH='.frozen'))
    m = re.search(r'RESULT passed=(\d+) failed=(\d+) skipped=(\d+)', out.stdout)
    assert m, out.stdout + out.stderr
    return tuple(int(g) for g in m.groups())


def test_shared_files_pass_on_the_board_as_on_the_unix_port():
    with pty_board() as board:
        rc, out = _board_test(board, *FILES)
        assert rc == 0, out
        lines = out.splitlines()
        assert lines[0].startswith('copied ') and '0 unchanged' in lines[0]
        assert lines[-1].startswith('board: ')
        expected = [_unix_port_counts(f) for f in FILES]
        assert _counts(lines[-1]) == tuple(map(sum, zip(*expected)))
        assert expected[0][0] > 10
        # the package came from the board's copy, compiled
        names = os.listdir(board.path('mdtest', 'microdot_src', 'microdot'))
        assert 'app.mpy' in names and 'app.py' not in names

        rc, out = _board_test(board, *FILES)
        assert rc == 0 and out.startswith('copied 0 files'), out


def test_a_failing_test_fails_the_run():
    tmp = os.path.join(ROOT, 'build')
    os.makedirs(tmp, exist_ok=True)
    path = os.path.join(tmp, 'test_board_failing_%d.py' % os.getpid())
    with open(path, 'w') as f:
        f.write(FAILING)
    try:
        with pty_board() as board:
            rc, out = _board_test(board, path)
    finally:
        os.remove(path)
    assert rc == 1, out
    assert _counts(out.splitlines()[-1]) == (1, 1, 1), out
    assert 'failed on purpose' in out
    assert 'FAIL tests/test_board_failing_' in out
