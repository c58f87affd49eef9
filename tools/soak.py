"""Soak: ``wrk`` against a real server on each runtime for a while,
sampling the server's heap and resident set size as it goes, then
reporting wrk's errors and whether memory stayed flat.

    .venv/bin/python tools/soak.py [--duration 60] [--connections 10]
        [--runtime cpython|micropython] [--close] [SETTING=VALUE ...]

The server is tests/apps/hardening_app.py (SETTINGs are server settings,
``max_connections=8`` say) and its ``GET /diag`` is the probe: the heap
after a collection (``gc.mem_alloc()`` on MicroPython, allocated blocks on
CPython) and VmRSS. The baseline is taken after a warm-up (``connections``
held at once, then a second or two of wrk), so that what grows once to its
working size (buffers, tables, caches) is not counted as a leak; the final
figure after the load, once every connection is closed. Memory is flat
when the final heap is within the slack of tests/hardening_helpers.py of
the baseline and, on CPython, the RSS within RSS_SLACK kB. Exits non-zero
on an error or growth. tests/test_soak.py runs a few seconds of it;
docs/hardening.md records the last long run."""
import argparse
import os
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests'))

import bench  # noqa: E402
from e2e_helpers import server  # noqa: E402
from hardening_helpers import HARDENING_APP, HEAP_SLACK, diag, settled, \
    warm_up  # noqa: E402

RUNTIMES = ('cpython', 'micropython')
#: kB of RSS a CPython server may gain over the run (its allocator keeps
#: arenas; a leak of a few bytes per request is megabytes in 60 s)
RSS_SLACK = 2048


def soak(runtime, duration=60, connections=10, close=False, settings=(),
         every=None):
    """Load a fresh server on ``runtime``; returns the report (a dict)."""
    every = every or max(0.5, duration / 20.0)
    with server(runtime, *settings, app=HARDENING_APP) as port:
        warm_up(port, connections)
        bench.run_wrk(port, '/', connections, 2 if duration > 10 else 1,
                      close)
        base = settled(port)
        result = {}
        load = threading.Thread(target=lambda: result.update(
            bench.run_wrk(port, '/', connections, duration, close)))
        start = time.monotonic()
        load.start()
        samples = []
        while load.is_alive():
            load.join(every)
            if load.is_alive():
                d = diag(port)
                samples.append((round(time.monotonic() - start, 1),
                                d['heap'], d['rss']))
        # connections still closing are no longer counted but hold their
        # memory a moment: wait for the heap too, then take what it is
        try:
            after = settled(port, base['fds'],
                            base['heap'] + HEAP_SLACK[runtime])
        except AssertionError:
            after = settled(port, wait=30)
    heap_grew = after['heap'] - base['heap']
    rss_grew = after['rss'] - base['rss']
    flat = heap_grew <= HEAP_SLACK[runtime] and (
        runtime == 'micropython' or rss_grew <= RSS_SLACK)
    return {'runtime': runtime, 'duration': duration,
            'connections': connections, 'close': close,
            'settings': list(settings), 'requests': result.get('requests', 0),
            'rps': result.get('rps', 0.0), 'errors': result.get('errors', {}),
            'base': base, 'after': after, 'samples': samples,
            'heap_grew': heap_grew, 'rss_grew': rss_grew, 'flat': flat}


def report(r):
    heaps = [s[1] for s in r['samples']] or [0]
    rss = [s[2] for s in r['samples']] or [0]
    unit = 'bytes' if r['runtime'] == 'micropython' else 'blocks'
    return (
        '%(runtime)s: wrk %(conns)d connections%(mode)s for %(duration)d s: '
        '%(requests)d requests (%(rps).0f/s), errors %(errors)s; heap '
        '(%(unit)s) %(h0)d before, %(hmin)d-%(hmax)d under load, %(h1)d '
        'after (%(hg)+d); RSS %(r0)d kB before, %(rmax)d kB at most, '
        '%(r1)d kB after (%(rg)+d kB): %(verdict)s' % dict(
            r, conns=r['connections'], mode=' (Connection: close)'
            if r['close'] else '', errors=r['errors'] or 'none', unit=unit,
            h0=r['base']['heap'], h1=r['after']['heap'], hmin=min(heaps),
            hmax=max(heaps), hg=r['heap_grew'], r0=r['base']['rss'],
            r1=r['after']['rss'], rmax=max(rss), rg=r['rss_grew'],
            verdict='memory flat' if r['flat'] else 'MEMORY GREW'))


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--duration', type=int, default=60)
    parser.add_argument('--connections', type=int, default=10)
    parser.add_argument('--runtime', choices=RUNTIMES, action='append')
    parser.add_argument('--close', action='store_true',
                        help='every request with Connection: close')
    parser.add_argument('--samples', action='store_true',
                        help='print every sample (seconds, heap, RSS kB)')
    parser.add_argument('settings', nargs='*')
    args = parser.parse_args(argv)
    ok = True
    for runtime in args.runtime or RUNTIMES:
        r = soak(runtime, args.duration, args.connections, args.close,
                 args.settings)
        print(report(r), flush=True)
        if args.samples:
            for sample in r['samples']:
                print('  %6.1f s  heap %8d  RSS %7d kB' % sample)
        ok = ok and r['flat'] and not r['errors'] and r['requests'] > 0
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
