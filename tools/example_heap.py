"""The smallest MicroPython heap that serves a board example's pages, measured
on the unix port with the files a deploy puts on a board (the package as
.mpy in lib/microdot, the app's files at the root).

    python tools/example_heap.py board_examples/hello --page / --page /api/status
    python tools/example_heap.py board_examples/wifi_boot --page / --with sse
    python tools/example_heap.py board_examples/login_page   # its VISITS
    python tools/example_heap.py --all      # every example in VISITS, a table

A page is a path to GET, ``POST PATH FIELDS`` (a form; ``{csrf_token}`` in
FIELDS is replaced by the ``csrf_token`` field of the last page that had
one) or ``WS PATH MESSAGE`` (a WebSocket: send MESSAGE, read one answer);
cookies are kept from one page to the next of a round, so a round can log
in. ``--all`` measures every example of ``VISITS`` (or those named) from
.mpy and from .py, with the extension packages its code imports
(``needs``), and prints the table of docs/devices.md.

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
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import deploy  # noqa: E402
import mip_packages  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(TOOLS), 'board_examples')
#: the pages of one round of each example (what its figure is measured
#: doing): its pages, one call of each kind, its streams read to the end
VISITS = {
    'hello': ['/', '/api/status', '/square/12'],
    'wifi_boot': ['/', '/api/status'],
    'rest_controller': ['/', 'POST /leds/red/toggle csrf_token={csrf_token}',
                        '/api/sensors'],
    'todo_hyper': ['/', '/_hyper.js',
                   'POST / _action=toggle&id=1&csrf_token={csrf_token}'],
    'actions_demo': ['/', '/_actions/schema', '/static/actions.client.js'],
    'gpio_hyper': ['/', '/_hyper.js',
                   'POST / _action=toggle_led&csrf_token={csrf_token}',
                   '/?_action=read'],
    'sse_dashboard': ['/', '/events?n=3', '/api/reading'],
    'ws_console': ['/', 'WS /ws help', 'WS /ws led toggle'],
    'login_page': ['/login?next=/settings', 'POST /login?next=/settings '
                   'username=admin&password=microdot', '/', 'POST /logout '],
}

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


def needs(example):
    """The extension packages (tools/mip_packages.py) the code of the
    example directory imports: those not brought by another one."""
    source = ''
    for name in sorted(os.listdir(example)):
        if name.endswith('.py'):
            with open(os.path.join(example, name)) as f:
                source += f.read()
    packages = mip_packages.packages()
    wanted = mip_packages.imports_in(source) - set(deploy.build_mpy.CORE)
    kept, covered = [], set()
    # the widest first; of equal ones, the shortest name (actions, not
    # action_guards, which brings the same files)
    for m in sorted(wanted, key=lambda m: (-len(packages[m]), len(m), m)):
        if m + '.py' not in covered:
            kept.append(m)
            covered.update(packages[m])
    return sorted(kept)


_TOKEN = re.compile(rb'name="csrf_token" value="([^"]*)"')


def visit(opener, last, base, page):
    """Make the request ``page`` stands for; True if it was answered.
    ``last`` holds the CSRF field of the last page that had one."""
    method, _, rest = page.partition(' ') if ' ' in page else ('GET', '',
                                                                   page)
    path, _, data = rest.partition(' ')
    if method == 'WS':
        from websockets.sync.client import connect
        with connect('ws' + base[4:] + path, open_timeout=10,
                     close_timeout=2) as ws:
            ws.send(data)
            ws.recv(10)
        return True
    body = None
    if method == 'POST':
        body = data.replace('{csrf_token}', urllib.parse.quote(
            last[0].decode())).encode()
    with opener.open(base + path, body, timeout=10) as res:
        token = _TOKEN.search(res.read())
        if token:
            last[0] = token.group(1)
        return res.status == 200


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
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(
                    http.cookiejar.CookieJar()))
            last = [b'']
            for page in pages:
                try:
                    if not visit(opener, last, 'http://127.0.0.1:%d' % port,
                                 page):
                        return False
                except (OSError, EOFError, http.client.HTTPException):
                    return False  # refused, reset, or cut short
                except Exception as exc:  # the WebSocket client's errors
                    if type(exc).__module__.startswith('websockets'):
                        return False
                    raise
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


def measure(example, pages, extensions=(), source=False, **search):
    """The smallest heap in KB that serves ``pages`` of ``example`` staged
    as a deploy would stage it (None: not even the maximum)."""
    directory = tempfile.mkdtemp(prefix='example-heap-')
    try:
        deploy.stage(directory, [example], extensions, source)
        return smallest_heap(directory, pages, **search)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def table(names=None, **search):
    """Measure the examples of VISITS (or ``names``); print and return
    the rows of docs/devices.md's table: the example, the extension
    packages it needs (``deploy.py --with`` names, and mip's
    ``microdot_src/<name>.json``), what they bring, and the heap."""
    rows = []
    packages = mip_packages.packages()
    for name in names or VISITS:
        example = os.path.join(EXAMPLES, name)
        extensions = needs(example)
        sizes = ['%d KB' % found if found else 'over %d KB' % search.get(
            'high', 256) for found in (
                measure(example, VISITS[name], extensions, source, **search)
                for source in (False, True))]
        brings = sorted(set(f[:-3] for e in extensions for f in packages[e]
                            if f.endswith('.py')) - set(extensions))
        rows.append('| [%s](../board_examples/%s/) | %s | %s | %s | %s |' % (
            name, name, ', '.join('`%s`' % e for e in extensions) or '-',
            ', '.join(brings) or '-', sizes[0], sizes[1]))
        print(rows[-1], flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('examples', nargs='*', metavar='example',
                        help='the example directory')
    parser.add_argument('--all', action='store_true',
                        help='every example of VISITS (or those named), '
                        'from .mpy and .py: the table of docs/devices.md')
    parser.add_argument('--page', action='append', dest='pages',
                        help='a page to visit (repeatable; default /)')
    parser.add_argument('--with', dest='extensions', default=None,
                        help='extension packages the example needs '
                        '(default: those its code imports)')
    parser.add_argument('--source', action='store_true',
                        help='run from .py sources instead of .mpy')
    parser.add_argument('--min', type=int, default=8, help='KB (8)')
    parser.add_argument('--max', type=int, default=256, help='KB (256)')
    parser.add_argument('--step', type=int, default=2, help='KB (2)')
    parser.add_argument('--window', type=int, default=32,
                        help='KB above the result that must serve too (32)')
    args = parser.parse_args(argv)
    search = dict(low=args.min, high=args.max, step=args.step,
                  window=args.window)
    if args.all or len(args.examples) != 1:
        table([os.path.basename(e.rstrip('/')) for e in args.examples],
              **search)
        return 0
    args.example = args.examples[0]
    if args.extensions is None:
        extensions = needs(args.example)
    else:
        extensions = [e for e in args.extensions.split(',') if e]
    pages = args.pages or VISITS.get(
        os.path.basename(args.example.rstrip('/')), ['/'])
    found = measure(args.example, pages, extensions, args.source, **search)
    if found is None:
        print('%s: does not serve with %dk' % (args.example, args.max))
        return 1
    print('%s: smallest heap that serves %s: %dk' % (
        args.example, ', '.join(pages), found))
    return 0


if __name__ == '__main__':
    sys.exit(main())
