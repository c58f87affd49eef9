"""Helpers for CPython-driven end-to-end tests: run tests/apps/e2e_app.py (or
another app) as a subprocess under CPython or MicroPython on 127.0.0.1, wait
until it accepts, and always kill it afterwards; curl with a bound timeout."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, 'tests', 'apps', 'e2e_app.py')
T = 10  # seconds for any one client operation


def interpreter(runtime):
    if runtime == 'cpython':
        return sys.executable
    for path in (os.path.join(ROOT, '.venv', 'bin', 'micropython'),
                 shutil.which('micropython')):
        if path and os.access(path, os.X_OK):
            return path
    raise AssertionError('micropython not found: run tools/setup.sh')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(runtime, *args, app=APP, heap=None):
    """Run the e2e app (or ``app``) under ``runtime`` (MicroPython with
    ``heap``, '32m' say, if given); yield its port once it accepts."""
    port = free_port()
    cmd = [interpreter(runtime)]
    if heap and runtime == 'micropython':
        cmd += ['-X', 'heapsize=' + heap]
    with launch(cmd + [app, str(port)] + list(args), port,
                runtime) as port:
        yield port


def wait_accepting(proc, port, log, label):
    """Wait (at most 20 s) until the server process ``proc`` accepts
    connections on ``port``; if it exits or times out first, fail with
    what it wrote to ``log`` (a file)."""
    deadline = time.monotonic() + 20
    while True:
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise AssertionError('%s server did not start:\n%s' % (
                label, log.read().decode(errors='replace')))
        try:
            socket.create_connection(('127.0.0.1', port), 0.5).close()
            return
        except OSError:
            time.sleep(0.05)


@contextlib.contextmanager
def launch(cmd, port, label, env=None, cwd=ROOT):
    """Run ``cmd`` (a server that will listen on ``port``); yield the port
    once it accepts connections; kill the process afterwards. Its output is
    shown if it fails to start."""
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_accepting(proc, port, log, label)
        yield port
    finally:
        proc.kill()
        proc.wait(T)
        log.close()


def each_runtime(check, *args, app=APP, heap=None):
    """Call ``check(port)`` against a fresh server (of the e2e app, or
    ``app``; MicroPython's heap ``heap``) on each runtime."""
    for runtime in ('cpython', 'micropython'):
        with server(runtime, *args, app=app, heap=heap) as port:
            try:
                check(port)
            except Exception as exc:
                raise AssertionError('[%s] %s: %s' % (
                    runtime, type(exc).__name__, exc)) from exc


def curl(*args, stdin=b''):
    out = subprocess.run(['curl', '-sS', '--max-time', str(T)] + list(args),
                         input=stdin, capture_output=True, timeout=T + 5)
    assert out.returncode == 0, out.stderr
    return out.stdout


def head_of(raw):
    """(status line, headers (lower-case names), body) of curl -i."""
    head, _, body = raw.partition(b'\r\n\r\n')
    lines = head.decode().split('\r\n')
    return lines[0], dict((k.strip().lower(), v.strip()) for k, _, v in
                          (line.partition(':') for line in lines[1:])), body
