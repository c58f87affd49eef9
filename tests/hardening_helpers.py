"""Helpers for the slow- and broken-client tests (CPython drivers of
tests/apps/hardening_app.py under each runtime): raw-socket requests, the
server's own account of its connections and heap, and the check that a
kind of client leaves nothing behind."""
import json
import os
import socket
import time

from e2e_helpers import ROOT, T, each_runtime

HARDENING_APP = os.path.join(ROOT, 'tests', 'apps', 'hardening_app.py')


def each_server(check, *settings, heap=None):
    """Call ``check(port)`` against the hardening app on each runtime,
    started with the server ``settings`` ('header_timeout=1', ...) and, on
    MicroPython, ``heap``."""
    each_runtime(check, *settings, app=HARDENING_APP, heap=heap)


def connect(port, rcvbuf=None):
    s = socket.socket()
    if rcvbuf:  # before connecting, so the advertised window stays small
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(T)
    s.connect(('127.0.0.1', port))
    return s


def read_all(s):
    """Everything the server sends until it closes."""
    data = b''
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk


def fetch(port, path='/', timeout=T):
    """GET ``path`` on a new connection: (status, body)."""
    s = connect(port)
    try:
        s.settimeout(timeout)
        s.sendall(b'GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
                  % path.encode())
        head, _, body = read_all(s).partition(b'\r\n\r\n')
        return int(head.split(b' ')[1]), body
    finally:
        s.close()


def diag(port):
    """The server's connections (this request's included) and heap."""
    status, body = fetch(port, '/diag')
    assert status == 200, (status, body)
    return json.loads(body)


def settled(port, fds=None, heap=None, wait=10):
    """The diag once the server holds no connection but the asking one and,
    if given, no more than ``fds`` open files and ``heap`` heap (what a
    closed connection leaves, a cancelled task say, may take a moment to
    go). Waits up to ``wait`` seconds, then fails."""
    deadline = time.monotonic() + wait
    while True:
        d = diag(port)
        if d['connections'] == 1 and (fds is None or d['fds'] <= fds) and \
                (heap is None or d['heap'] <= heap):
            return d
        assert time.monotonic() < deadline, 'not freed: %r (fds %s, ' \
            'heap %s)' % (d, fds, heap)
        time.sleep(0.1)


def warm_up(port, n):
    """Open ``n`` connections at once (each with half a request head) and
    wait until the server holds them all, or is full and refuses the diag
    with 503; then close them and wait until the server let them go. The
    tables that grew to hold them (the server's, asyncio's) do not shrink,
    so the baseline of a test of ``n`` connections is taken after this."""
    socks = []
    try:
        for _ in range(n):
            socks.append(connect(port))
            socks[-1].sendall(b'GET / HTTP/1.1\r\n')
        deadline = time.monotonic() + T
        while time.monotonic() < deadline:
            status, body = fetch(port, '/diag')
            if status != 200 or json.loads(body)['connections'] > n:
                break
            time.sleep(0.05)
    finally:
        for s in socks:
            s.close()
    return settled(port)


#: heap growth allowed after the measured rounds. On MicroPython the heap
#: after a collection varies by up to 3 KB between identical bursts (measured:
#: 30 bursts of ten clients gone mid-stream, after the warm-up, gave
#: 89,056-92,128 B, down as well as up, in 1.4-1.5 KB steps; streamed
#: responses read to their end do it too; what holds the step was not
#: pinned down). A leaked connection holds a task, its buffers and a
#: request (over 1 KB on MicroPython, hundreds of blocks on CPython), and
#: the measured rounds are twice ``rounds``, so a leak exceeds the slack.
HEAP_SLACK = {'micropython': 4096, 'cpython': 400}
ROUNDS = 10


def leaves_nothing(port, client, rounds=ROUNDS):
    """Run ``client(port)`` ``rounds`` times to warm up, then twice as many
    times more: afterwards the server must hold no connection but the
    asking one, its heap must be back to what it was after the warm-up
    (within HEAP_SLACK), and it must still answer. Returns (before, after)
    diags.

    The warm-up is the same burst as the measured rounds, not one client:
    besides the modules loaded on first use, a burst of connections leaves
    the heap larger on MicroPython (its dicts, such as asyncio's poll map,
    never shrink), bounded by the burst, not a leak. A leak grows with
    every round."""
    for _ in range(rounds):
        client(port)
    before = settled(port)
    for _ in range(2 * rounds):
        client(port)
    after = settled(port, before['fds'],
                    before['heap'] + HEAP_SLACK[before['runtime']])
    assert fetch(port) == (200, b'hello')
    return before, after
