"""A MicroPython "board" for CPython-driven tests: the unix port behind a
pseudo-terminal made by socat, driven with mpremote as a real board would be.

Its filesystem is the host's, so each board lives in a fresh temporary
directory (its current directory, i.e. its ``/``), with the module path of
a board: ``['', '.frozen', 'lib']``. mpremote must always ``resume``: a soft
reset ends the unix port. The board and the pty are killed on exit."""
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from e2e_helpers import ROOT, T, interpreter

MPREMOTE = os.path.join(os.path.dirname(sys.executable), 'mpremote')
if not os.path.exists(MPREMOTE):
    MPREMOTE = shutil.which('mpremote') or MPREMOTE


class PtyBoard:
    def __init__(self, directory, tty):
        self.dir = directory  # the board's filesystem root
        self.tty = tty        # the port to give mpremote (--port)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def mpremote(self, *args, timeout=60, cwd=ROOT):
        """Run ``mpremote connect TTY resume ARGS``; return its stdout."""
        out = subprocess.run([MPREMOTE, 'connect', self.tty, 'resume'] +
                             list(args), capture_output=True, text=True,
                             timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL)
        assert out.returncode == 0, (args, out.stdout[-3000:], out.stderr[-3000:])
        return out.stdout

    def start(self, code, port):
        """Run ``code`` on the board without waiting for it to end (a
        server), and wait until 127.0.0.1:port accepts connections."""
        self.mpremote('exec', '--no-follow', code)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(('127.0.0.1', port), 0.5).close()
                return
            except OSError:
                assert time.monotonic() < deadline, 'the board never listened'
                time.sleep(0.05)


@contextlib.contextmanager
def pty_board(heapsize=None):
    """Start the unix port on a pty in a fresh directory; yield a PtyBoard."""
    top = tempfile.mkdtemp(prefix='ptyboard-')
    directory = os.path.join(top, 'board')
    os.mkdir(directory)
    tty = os.path.join(top, 'tty')
    command = interpreter('micropython')
    if heapsize:
        command += ' -X heapsize=' + heapsize
    env = dict(os.environ, MICROPYPATH=':.frozen:lib')
    proc = subprocess.Popen(
        ['socat', 'PTY,link=%s,rawer' % tty,
         'EXEC:%s,pty,stderr,rawer' % command],
        cwd=directory, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    try:
        deadline = time.monotonic() + T
        while not os.path.exists(tty):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, 'socat made no pty'
            time.sleep(0.02)
        yield PtyBoard(directory, tty)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait(T)
        proc.stderr.close()
        shutil.rmtree(top, ignore_errors=True)
