"""``python -m microdot run`` and ``micropython -m microdot run`` serve the
same app file (the CLI is the same code on both runtimes)."""
RUNTIMES = ('cpython',)  # drives subprocesses

import os

from e2e_helpers import ROOT, curl, free_port, interpreter, launch

HELLO = os.path.join(ROOT, 'board_examples', 'hello', 'main.py')


def _env(runtime):
    env = dict(os.environ)
    if runtime == 'micropython':
        env['MICROPYPATH'] = os.path.join(ROOT, 'microdot_src') + ':.frozen'
    else:
        env['PYTHONPATH'] = os.path.join(ROOT, 'microdot_src')
    return env


def test_run_module_colon_app_and_file_path_on_both_runtimes():
    for runtime in ('cpython', 'micropython'):
        for target, cwd in (('main:app', os.path.dirname(HELLO)),
                            (HELLO, ROOT)):
            port = free_port()
            cmd = [interpreter(runtime), '-m', 'microdot', 'run', target,
                   '--host', '127.0.0.1', '--port', str(port)]
            with launch(cmd, port, runtime + ' ' + target, env=_env(runtime),
                        cwd=cwd):
                body = curl('http://127.0.0.1:%d/square/7' % port)
                assert b'49' in body, (runtime, target, body)
