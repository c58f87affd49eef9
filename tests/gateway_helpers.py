"""Helpers for the ASGI/WSGI end-to-end tests (CPython only): serve
tests/apps/gateway_app.py with a real uvicorn or gunicorn on a free
127.0.0.1 port, as a subprocess that is always stopped afterwards."""
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time

from e2e_helpers import ROOT, T, free_port, wait_accepting

APPS = os.path.join(ROOT, 'tests', 'apps')


class Served:
    """A running server: ``url`` to talk to it, ``proc`` to stop it,
    ``output()`` for what it printed."""

    def __init__(self, proc, port, log):
        self.proc = proc
        self.port = port
        self.url = 'http://127.0.0.1:%d' % port
        self.log = log

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors='replace')

    def stop(self):
        """SIGTERM (a graceful stop); return the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(T)


@contextlib.contextmanager
def serve(argv, port, env=None):
    """Run ``argv`` (a server listening on ``port``); yield a Served once
    the port accepts connections."""
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, **(env or {})))
    served = Served(proc, port, log)
    try:
        wait_accepting(proc, port, log, ' '.join(argv))
        yield served
    finally:
        try:
            served.stop()
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(T)
        log.close()


class ModuleServer:
    """The one server the tests of a module share: ``start()`` it from
    ``setup_module``, ``stop()`` it from ``teardown_module``, and use its
    ``url`` in between."""

    def __init__(self, factory, *options):
        self.factory = factory
        self.options = options
        self.url = None
        self._stack = contextlib.ExitStack()

    def start(self):
        self.url = self._stack.enter_context(self.factory(*self.options)).url

    def stop(self):
        self._stack.close()


def uvicorn(*options, env=None):
    """uvicorn serving ``gateway_app:asgi_app``."""
    port = free_port()
    return serve([sys.executable, '-m', 'uvicorn', '--app-dir', APPS,
                  '--host', '127.0.0.1', '--port', str(port),
                  '--log-level', 'warning'] + list(options) +
                 ['gateway_app:asgi_app'], port, env)


_no_control_socket = []


def gunicorn(*options, env=None):
    """gunicorn serving ``gateway_app:wsgi_app`` (one worker process)."""
    if not _no_control_socket:
        # gunicorn 25+ opens a control socket at a fixed path, which two
        # servers at once would share: turn it off where it exists
        help_text = subprocess.run(
            [sys.executable, '-m', 'gunicorn', '--help'],
            capture_output=True, timeout=T).stdout
        _no_control_socket.append(
            ['--no-control-socket'] if b'--no-control-socket' in help_text
            else [])
    port = free_port()
    return serve([sys.executable, '-m', 'gunicorn', '--chdir', APPS,
                  '--bind', '127.0.0.1:%d' % port, '--workers', '1',
                  '--graceful-timeout', '5'] + _no_control_socket[0] +
                 list(options) + ['gateway_app:wsgi_app'], port, env)


def read_until(pieces, marker):
    """Read from an iterator of byte pieces until ``marker`` has arrived;
    return what was read."""
    got = b''
    for piece in pieces:
        got += piece
        if marker in got:
            return got
    raise AssertionError('%r never arrived, got %r' % (marker, got))


def wait_until(check, what):
    """Poll ``check()`` until it is true, for at most T seconds."""
    deadline = time.monotonic() + T
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for ' + what)
        time.sleep(0.05)
