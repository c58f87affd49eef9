"""Slowloris against a real server on each runtime, with slowhttptest
(Debian package): N connections that send their request head a few bytes
at a time and never finish it, while a normal client keeps asking for
``/``. Reports what the normal client got (every answer, the slowest, the
failures), how many connections the server held at most, and whether its
connections, open files and heap came back to their baseline afterwards.

    .venv/bin/python tools/slowloris.py [--duration 60] [--connections 100]
        [--runtime cpython|micropython] [SETTING=VALUE ...]

SETTINGs are server settings for tests/apps/hardening_app.py
(``header_timeout=10``, ``max_connections=50``...; the defaults by
default). slowhttptest sends a follow-up header every header_timeout / 2
seconds, so only a limit on the whole head, not one per read, drops its
connections; it stops once they are all dropped, and is started again
until the duration is over. tests/test_slow_clients.py runs a few seconds
of it."""
import argparse
import json
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests'))

from e2e_helpers import T, server  # noqa: E402
from hardening_helpers import HARDENING_APP, HEAP_SLACK, diag, fetch, \
    settled, warm_up  # noqa: E402

RUNTIMES = ('cpython', 'micropython')


def _setting(settings, name, default):
    for s in settings:
        if s.startswith(name + '='):
            return float(s.split('=')[1])
    return default


class Prober(threading.Thread):
    """The normal client: GET /diag on a new connection every ``pause``
    seconds (each with a T-second timeout) until stopped; its answers tell
    the most connections the server held meanwhile."""

    def __init__(self, port, pause=0.2):
        super().__init__(daemon=True)
        self.port = port
        self.pause = pause
        self.statuses = {}
        self.failures = []
        self.slowest = 0.0
        self.most = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                status, body = fetch(self.port, '/diag', timeout=T)
                self.slowest = max(self.slowest, time.monotonic() - start)
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status == 200:
                    self.most = max(self.most,
                                    json.loads(body)['connections'])
            except Exception as exc:
                self.failures.append('%s: %s' % (type(exc).__name__, exc))
            self.stop.wait(self.pause)


def slowhttptest(port, connections, interval, seconds):
    """One slowhttptest slowloris run; its exit status line."""
    out = subprocess.run(
        ['slowhttptest', '-H', '-c', str(connections), '-r',
         str(connections), '-i', str(interval), '-l', str(seconds),
         '-x', '10', '-p', str(T), '-u', 'http://127.0.0.1:%d/' % port],
        capture_output=True, text=True, timeout=seconds + 60)
    for line in out.stdout.splitlines():
        if 'Exit status' in line:
            return line.split(':', 1)[1].replace('\x1b[0m', '').replace(
                '\x1b[1;36m', '').strip()
    return 'exit code %d' % out.returncode


def attack(runtime, connections=100, duration=60, settings=()):
    """Slowloris for ``duration`` seconds against a fresh server on
    ``runtime``; returns the report (a dict)."""
    interval = max(1, int(_setting(settings, 'header_timeout', 10) / 2))
    with server(runtime, *settings, app=HARDENING_APP) as port:
        before = warm_up(port, connections)
        prober = Prober(port)
        prober.start()
        rounds = []
        end = time.monotonic() + duration
        while time.monotonic() < end - 1:
            left = int(end - time.monotonic()) or 1
            rounds.append(slowhttptest(port, connections, interval, left))
        prober.stop.set()
        prober.join(T + 5)
        try:
            after = settled(port, before['fds'],
                            before['heap'] + HEAP_SLACK[runtime])
            freed = True
        except AssertionError:
            after, freed = diag(port), False
    return {'runtime': runtime, 'duration': duration,
            'connections': connections, 'settings': list(settings),
            'rounds': rounds, 'answers': prober.statuses,
            'failures': prober.failures, 'slowest': prober.slowest,
            'most_connections': prober.most, 'before': before,
            'after': after, 'freed': freed}


def report(r):
    return ('%(runtime)s: %(connections)d slowloris connections for '
            '%(duration)d s (slowhttptest run %(rounds)s times, settings %(s)s): '
            'normal client answered %(answers)s, %(failed)d failed, slowest '
            'in %(ms)d ms; server held at most %(most)d connections; '
            'afterwards connections %(c0)d -> %(c1)d, open files %(f0)d -> '
            '%(f1)d, heap %(h0)d -> %(h1)d (%(freed)s)' % dict(
                r, rounds=len(r['rounds']), s=' '.join(r['settings']) or
                'defaults', failed=len(r['failures']),
                most=r['most_connections'], ms=r['slowest'] * 1000, c0=r['before']['connections'],
                c1=r['after']['connections'], f0=r['before']['fds'],
                f1=r['after']['fds'], h0=r['before']['heap'],
                h1=r['after']['heap'],
                freed='back to baseline' if r['freed'] else 'NOT FREED'))


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--duration', type=int, default=60)
    parser.add_argument('--connections', type=int, default=100)
    parser.add_argument('--runtime', choices=RUNTIMES, action='append')
    parser.add_argument('settings', nargs='*')
    args = parser.parse_args(argv)
    ok = True
    for runtime in args.runtime or RUNTIMES:
        r = attack(runtime, args.connections, args.duration, args.settings)
        print(report(r), flush=True)
        for failure in r['failures'][:5]:
            print('  ', failure)
        ok = ok and r['freed'] and not r['failures']
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
