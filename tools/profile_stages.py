"""Where one request's time and memory go: the profile behind the figures of
tools/bench.py and tools/memreport.py.

The same hello request (``GET /`` -> ``{"hello": "world"}``, the head wrk
sends) is driven through each stage of the framework in-process, with no
socket, many times over: finding the end of the head, parsing it, building
the Request, dispatching it (route, handler, Response) and writing the
response (head and body into one buffer). For each stage it reports the
bytes allocated (MicroPython: ``gc.mem_alloc()`` with the collector off) and
the microseconds taken, on MicroPython and on CPython; then, on CPython, the
functions that take the most time in the real server under ``wrk``
(cProfile).

    python tools/profile_stages.py [--runs 3000] [--wrk-seconds 4]
                                   [--doc docs/benchmarks.md | --no-doc]

This file is also the in-process probe: ``micropython tools/profile_stages.py
--probe`` (or ``python ... --probe``) prints one JSON line of figures. Times
are from a shared, noisy machine: they show proportions, not a budget.
Never asserts anything."""
import gc
import json
import sys
import time

try:
    from time import ticks_us, ticks_diff
except ImportError:  # CPython
    def ticks_us():
        return int(time.perf_counter() * 1000000)

    def ticks_diff(a, b):
        return a - b

HEAD = b'GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n'
STAGES = ('find_head_end', 'parse_request_head', 'Request()',
          'dispatch_request', 'response.write', 'whole request')


class _Sink:
    # the writer of a connection, minus the socket
    def write(self, data):
        pass

    async def drain(self):
        pass


def _run(coro):
    # drive a coroutine that never really waits (no event loop needed)
    try:
        coro.send(None)
    except StopIteration as exc:
        return exc.value
    raise RuntimeError('the coroutine waited')


def probe(runs):
    """{stage: [bytes allocated, microseconds]} for one request."""
    from microdot import Microdot
    from microdot.http11 import find_head_end, parse_request_head
    from microdot.request import Request

    app = Microdot()

    @app.get('/')
    async def index(request):
        return {'hello': 'world'}

    sink = _Sink()
    peer = ('127.0.0.1', 40000)

    def parsed():
        return parse_request_head(HEAD)

    head = parsed()

    def request():
        return Request(app, peer, *head)

    def whole():
        head = HEAD[:find_head_end(HEAD, 2048, 64)]
        req = Request(app, peer, *parse_request_head(head))
        _run(_run(app.dispatch_request(req)).write(sink, '1.1', False))

    req = request()
    res = _run(app.dispatch_request(req))
    steps = {
        'find_head_end': lambda: find_head_end(HEAD, 2048, 64),
        'parse_request_head': parsed,
        'Request()': request,
        'dispatch_request': lambda: _run(app.dispatch_request(req)),
        'response.write': lambda: _run(res.write(sink, '1.1', False)),
        'whole request': whole,
    }
    out = {}
    for name in STAGES:
        step = steps[name]
        step()  # warm: lazily made values, caches
        allocated = None
        if hasattr(gc, 'mem_alloc'):  # MicroPython
            gc.collect()
            gc.disable()
            before = gc.mem_alloc()
            for _ in range(10):
                step()
            allocated = (gc.mem_alloc() - before) // 10
            gc.enable()
        gc.collect()
        start = ticks_us()
        for _ in range(runs):
            step()
        out[name] = [allocated, ticks_diff(ticks_us(), start) / runs]
    return out


def _host(argv):
    import argparse
    import os
    import subprocess

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import benchlib

    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--runs', type=int, default=3000)
    parser.add_argument('--wrk-seconds', type=float, default=4)
    parser.add_argument('--heap', default='256k',
                        help='micropython -X heapsize (a device-like heap: '
                        'the collector sweeps the whole heap, so a large '
                        'one makes every allocation dearer)')
    parser.add_argument('--doc', default=benchlib.DOC)
    parser.add_argument('--no-doc', action='store_true')
    args = parser.parse_args(argv)
    me = os.path.abspath(__file__)
    runtimes = {}
    for name, argv, env in (
            ('micropython', [benchlib.micropython(), '-X',
                             'heapsize=' + args.heap],
             benchlib.clean_env(MICROPYPATH=benchlib.SRC + ':.frozen')),
            ('cpython', [benchlib.project_python()],
             benchlib.clean_env(PYTHONPATH=benchlib.SRC))):
        if not argv[0]:
            benchlib.log('profile_stages: no %s, skipped' % name)
            continue
        proc = subprocess.run(argv + [me, '--probe', str(args.runs)],
                              env=env, capture_output=True, timeout=600)
        if proc.returncode:
            raise SystemExit(proc.stderr.decode(errors='replace'))
        runtimes[name] = json.loads(proc.stdout.decode().splitlines()[-1])
    rows = []
    for stage in STAGES:
        row = [stage]
        for name in ('micropython', 'cpython'):
            figures = runtimes.get(name, {}).get(stage)
            if figures is None:
                row += ['', '']
                continue
            row += ['%s B' % format(figures[0], ',')
                    if figures[0] is not None else 'n/a',
                    '%.1f' % figures[1]]
        rows.append(row)
    parts = [
        '## Where one request goes (`tools/profile_stages.py`)\n',
        '%s, commit %s.\n' % (time.strftime('%Y-%m-%d'),
                              benchlib.git_revision()),
        benchlib.table(['stage', 'MicroPython: allocated', 'MicroPython: us',
                        'CPython: allocated', 'CPython: us'], rows) + '\n',
        'The hello request (the head wrk sends) driven in-process through '
        'each stage, %d times (no socket, no event loop; MicroPython with '
        '`-X heapsize=%s`); allocated: bytes per request with the collector '
        'off (MicroPython only); us: '
        'microseconds per request on this shared machine, for proportions. '
        'dispatch_request includes the route, the handler and building the '
        'Response (its JSON); response.write fills in the length and builds '
        'the head.\n' % (args.runs, args.heap)]
    profile = _cprofile_server(args.wrk_seconds, benchlib)
    if profile:
        parts += ['### CPython: the server under wrk (cProfile)\n',
                  'The functions with the most time of their own while wrk '
                  '(10 connections, keep-alive) loads the hello app for '
                  '%g s in this process:\n' % args.wrk_seconds,
                  '```\n' + profile + '\n```\n']
    benchlib.publish('profile_stages.py', parts, None, doc=args.doc,
                     write=not args.no_doc)


def _cprofile_server(seconds, benchlib):
    """The top of a cProfile of this framework's server under wrk."""
    import cProfile
    import io
    import os
    import pstats
    import shutil
    import subprocess
    import threading

    if not shutil.which('wrk'):
        return None
    sys.path.insert(0, benchlib.SRC)
    from microdot import Microdot

    app = Microdot()

    @app.get('/')
    async def index(request):
        return {'hello': 'world'}

    port = benchlib.free_port()

    def load():
        time.sleep(0.5)
        subprocess.run(['wrk', '-t1', '-c10', '-d%gs' % seconds,
                        'http://127.0.0.1:%d/' % port], capture_output=True)
        app.shutdown()

    threading.Thread(target=load, daemon=True).start()
    profiler = cProfile.Profile()
    profiler.enable()
    app.run(host='127.0.0.1', port=port)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats('tottime').print_stats(15)
    lines = [line.replace(os.path.dirname(benchlib.SRC) + os.sep, '')
             for line in out.getvalue().splitlines() if line.strip()]
    return '\n'.join(lines)


if __name__ == '__main__':
    if sys.argv[1:2] == ['--probe']:
        print(json.dumps(probe(int(sys.argv[2]) if len(sys.argv) > 2
                               else 3000)))
    else:
        _host(sys.argv[1:])
