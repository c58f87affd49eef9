"""The smallest MicroPython heap that serves a board example's pages, measured
on the unix port with the files a deploy puts on a board (the package as
.mpy in lib/microdot, the app's files at the root).

    python tools/example_heap.py board_examples/hello --page / --page /api/status
    python tools/example_heap.py board_examples/wifi_boot --page / --with sse

The example runs as a board would run it: boot.py (if any), then main.py's
``app`` served on 127.0.0.1. A heap "serves" when every page answers 200,
three rounds in a row. The search is a bisection in ``--step`` KB steps
between ``--min`` and ``--max``, then a check of the steps above the size
found (``--window`` KB): a fragmented heap can fail above a size that
serves (it happens with .py sources, compiled on the board), and the
figure given is the one from which every step in the window serves.
docs/devices.md lists the figures; the board examples' smoke tests run
each example with its figure plus a margin."""
import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import deploy  # noqa: E402

# Runs in the unix port from the staged board directory.
LAUNCH = '''import os
try:
    os.stat('boot.py')
    exec(open('boot.py').read())
except OSError:
    pass
import main
main.app.run(host='127.0.0.1', port=%d)
'''


def micropython():
    return deploy.find_tool('micropython')


def command(port, heapsize=None):
    """The unix-port command line that runs a staged example on ``port``;
    run it from the staged directory with ``env()``."""
    cmd = [micropython()]
    if heapsize:
        cmd += ['-X', 'heapsize=' + heapsize]
    return cmd + ['-c', LAUNCH % port]


def env():
    """The environment of a board: modules from '', .frozen and lib."""
    return dict(os.environ, MICROPYPATH=':.frozen:lib')


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def serves(directory, pages, heapsize, rounds=3):
    """True if the example staged in ``directory`` answers 200 for every
    page, ``rounds`` times, with a heap of ``heapsize``."""
    port = _free_port()
    proc = subprocess.Popen(command(port, heapsize), cwd=directory, env=env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                return False
            try:
                socket.create_connection(('127.0.0.1', port), 0.5).close()
                break
            except OSError:
                time.sleep(0.05)
        for _ in range(rounds):
            for page in pages:
                try:
                    with urllib.request.urlopen(
                            'http://127.0.0.1:%d%s' % (port, page),
                            timeout=10) as res:
                        res.read()
                        if res.status != 200:
                            return False
                except (OSError, http.client.HTTPException):
                    return False  # refused, reset, or cut short
        return proc.poll() is None
    finally:
        proc.kill()
        proc.wait(10)


def smallest_heap(directory, pages, low=8, high=256, step=2, window=32):
    """The smallest heap in KB (a multiple of ``step``) that serves, and
    from which every step up to ``window`` KB above also serves (a
    fragmented heap can fail above a size that serves); None if even
    ``high`` does not serve."""
    if not serves(directory, pages, '%dk' % high):
        return None
    lo, hi = low // step, high // step
    while lo < hi:  # bisection: the smallest size that serves
        mid = (lo + hi) // 2
        if serves(directory, pages, '%dk' % (mid * step)):
            hi = mid
        else:
            lo = mid + 1
    found = hi * step
    size = found + step
    while size <= min(high, found + window):
        if not serves(directory, pages, '%dk' % size):
            found = size + step
        size += step
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('example', help='the example directory')
    parser.add_argument('--page', action='append', dest='pages',
                        help='a path to fetch (repeatable; default /)')
    parser.add_argument('--with', dest='extensions', default='',
                        help='extension packages the example needs')
    parser.add_argument('--source', action='store_true',
                        help='run from .py sources instead of .mpy')
    parser.add_argument('--min', type=int, default=8, help='KB (8)')
    parser.add_argument('--max', type=int, default=256, help='KB (256)')
    parser.add_argument('--step', type=int, default=2, help='KB (2)')
    parser.add_argument('--window', type=int, default=32,
                        help='KB above the result that must serve too (32)')
    args = parser.parse_args(argv)
    extensions = [e for e in args.extensions.split(',') if e]
    directory = tempfile.mkdtemp(prefix='example-heap-')
    try:
        deploy.stage(directory, [args.example], extensions, args.source)
        found = smallest_heap(directory, args.pages or ['/'], args.min,
                              args.max, args.step, args.window)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    if found is None:
        print('%s: does not serve with %dk' % (args.example, args.max))
        return 1
    print('%s: smallest heap that serves %s: %dk' % (
        args.example, ', '.join(args.pages or ['/']), found))
    return 0


if __name__ == '__main__':
    sys.exit(main())
