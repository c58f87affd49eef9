"""Throughput benchmark: the same hello-world JSON app (``GET /`` ->
``{"hello": "world"}``, tools/bench_apps/) on this framework, on Microdot 2.x
and on a bare asyncio responder (the floor), each on CPython and on the
MicroPython unix port; on CPython also this framework's ASGI app and
Starlette, both under uvicorn with uvloop + httptools. Every server is loaded
with ``wrk`` on 127.0.0.1, with keep-alive and with ``Connection: close``, at
1, 10 and 50 connections; the runs are interleaved across servers (server A,
B, C, A, B, C, ...) and each cell is the median of ``--repeats`` runs. Then
the routing cost: this framework with 200 routes against 1.

    python tools/bench.py [--duration 3] [--repeats 3] [--connections 1,10,50]
                          [--modes keep-alive,close] [--servers ID,ID,...]
                          [--routes 200] [--skip-routing] [--skip-throughput]
                          [--doc docs/benchmarks.md | --no-doc]

Server ids: this-cpython, microdot2-cpython, bare-cpython, this-asgi-cpython,
starlette-cpython, this-micropython, microdot2-micropython, bare-micropython.
Prints the tables and writes them into the ``bench.py`` section of
docs/benchmarks.md. Microdot 2.x is installed on first use into
.bench/microdot2 (its own virtual environment). Never asserts a timing."""
import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys

import benchlib
from benchlib import APPS, SRC, ServerProcess, clean_env, log, median

HELLO = os.path.join(APPS, 'hello.py')
ALL_SERVERS = ('this-cpython', 'microdot2-cpython', 'bare-cpython',
               'this-asgi-cpython', 'starlette-cpython', 'this-micropython',
               'microdot2-micropython', 'bare-micropython')
LABELS = {'this': 'this framework', 'microdot2': 'Microdot 2.x',
          'bare': 'bare asyncio', 'this-asgi': 'this framework, ASGI',
          'starlette': 'Starlette'}
MODES = ('keep-alive', 'close')


class Spec:
    """A server to measure: its id, how to start it, or why it cannot be."""

    def __init__(self, ident, argv=None, env=None, extra=(), missing=None):
        self.ident = ident
        self.kind, self.runtime = ident.rsplit('-', 1)
        self.argv = argv
        self.env = env
        self.extra = list(extra)
        self.missing = missing

    @property
    def label(self):
        label = LABELS[self.kind]
        if self.kind in ('this-asgi', 'starlette'):
            label += ' (uvicorn + uvloop + httptools)'
        return label


def _has_modules(python, names):
    code = 'import importlib.util, sys; sys.exit(0 if all(' \
        'importlib.util.find_spec(n) for n in %r) else 1)' % (names,)
    try:
        return subprocess.run([python, '-c', code], timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def make_specs(wanted):
    """A Spec for each wanted server id (with ``missing`` set when it
    cannot run here)."""
    py = benchlib.project_python()
    mp = benchlib.micropython()
    this_cp = clean_env(PYTHONPATH=SRC)
    md2 = None
    md2_missing = None
    if any(w.startswith('microdot2-') for w in wanted):
        try:
            md2 = benchlib.ensure_microdot2()
        except RuntimeError as exc:
            md2_missing = str(exc)
    uvicorn_missing = None
    if not _has_modules(py, ('uvicorn', 'uvloop', 'httptools')):
        uvicorn_missing = 'uvicorn, uvloop or httptools not installed'
    specs = []
    for ident in wanted:
        spec = Spec(ident)
        if ident.endswith('-micropython'):
            if not mp:
                spec.missing = 'micropython not installed'
                specs.append(spec)
                continue
            path = {'this': SRC, 'microdot2': benchlib.MICRODOT2_MP,
                    'bare': None}[spec.kind]
            spec.env = clean_env(MICROPYPATH=(path + ':' if path else '') +
                                 '.frozen')
            spec.argv = [mp, HELLO if spec.kind != 'bare'
                         else os.path.join(APPS, 'bare.py')]
            if spec.kind == 'microdot2' and md2_missing:
                spec.missing = md2_missing
        elif spec.kind == 'this':
            spec.argv, spec.env = [py, HELLO], this_cp
        elif spec.kind == 'bare':
            spec.argv, spec.env = [py, os.path.join(APPS, 'bare.py')], \
                clean_env()
        elif spec.kind == 'microdot2':
            spec.argv, spec.env, spec.missing = [md2, HELLO], clean_env(), \
                md2_missing
        elif spec.kind == 'this-asgi':
            spec.argv, spec.env, spec.extra = [py, HELLO], this_cp, ['--asgi']
            spec.missing = uvicorn_missing
            if not os.path.exists(os.path.join(SRC, 'microdot', 'asgi.py')):
                spec.missing = 'microdot/asgi.py does not exist yet'
        elif spec.kind == 'starlette':
            spec.argv, spec.env = [py, os.path.join(APPS, 'starlette_app.py')
                                   ], clean_env()
            spec.missing = uvicorn_missing
            if not _has_modules(py, ('starlette',)):
                spec.missing = 'starlette not installed'
        specs.append(spec)
    return specs


# ---- wrk --------------------------------------------------------------------

_UNITS = {'us': 0.001, 'ms': 1.0, 's': 1000.0, 'm': 60000.0}


def _ms(text):
    found = re.match(r'([\d.]+)(us|ms|s|m)$', text)
    return float(found.group(1)) * _UNITS[found.group(2)] if found else None


def parse_wrk(out):
    """req/s, p50 and p99 latency (ms), requests and errors from the output
    of ``wrk --latency``."""
    result = {'rps': 0.0, 'p50': None, 'p99': None, 'requests': 0,
              'errors': {}}
    found = re.search(r'Requests/sec:\s*([\d.]+)', out)
    if found:
        result['rps'] = float(found.group(1))
    for pct, key in (('50', 'p50'), ('99', 'p99')):
        found = re.search(r'^\s*%s%%\s+(\S+)' % pct, out, re.M)
        if found:
            result[key] = _ms(found.group(1))
    found = re.search(r'(\d+) requests in', out)
    if found:
        result['requests'] = int(found.group(1))
    found = re.search(r'Socket errors: connect (\d+), read (\d+), '
                      r'write (\d+), timeout (\d+)', out)
    if found:
        for name, n in zip(('connect', 'read', 'write', 'timeout'),
                           found.groups()):
            if int(n):
                result['errors'][name] = int(n)
    found = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    if found and int(found.group(1)):
        result['errors']['non-2xx'] = int(found.group(1))
    return result


def run_wrk(port, path, connections, duration, close, threads=1):
    argv = ['wrk', '-t', str(min(threads, connections)), '-c',
            str(connections), '-d', '%ds' % duration, '--timeout', '5s',
            '--latency']
    if close:
        argv += ['-H', 'Connection: close']
    argv.append('http://127.0.0.1:%d%s' % (port, path))
    try:
        out = subprocess.run(argv, capture_output=True, text=True,
                             timeout=duration + 60)
    except subprocess.TimeoutExpired:
        return {'rps': 0.0, 'p50': None, 'p99': None, 'requests': 0,
                'errors': {'wrk hung': 1}}
    result = parse_wrk(out.stdout)
    if out.returncode != 0 and not result['requests']:
        result['errors']['wrk failed'] = 1
    return result


def summarize(runs):
    """The median of several wrk runs; errors are summed over the runs."""
    errors = {}
    for run in runs:
        for name, n in run['errors'].items():
            errors[name] = errors.get(name, 0) + n
    p50 = [r['p50'] for r in runs if r['p50'] is not None]
    p99 = [r['p99'] for r in runs if r['p99'] is not None]
    rps = [r['rps'] for r in runs]
    mid = median(rps)
    return {'rps': mid, 'p50': median(p50), 'p99': median(p99),
            'errors': errors, 'runs': len(runs),
            'spread': (max(rps) - min(rps)) / mid if mid else None}


def start_all(servers, logname='bench'):
    """Start every server (they idle while the others are loaded); the ones
    that fail to start get ``missing`` set. Returns the started ones."""
    started = []
    for spec, proc in servers:
        if spec.missing:
            continue
        try:
            proc.start(spec.extra)
            proc.wait_ready(getattr(proc, 'path', '/'))
            started.append((spec, proc))
        except (OSError, RuntimeError) as exc:
            spec.missing = 'did not start: ' + str(exc).splitlines()[0]
            log('%s: %s' % (logname, exc))
    return started


def load_round_robin(started, modes, connections, repeats, duration,
                     threads, results, path_of=lambda proc: '/'):
    """For each mode and connection count, ``repeats`` rounds of one wrk
    run per server; results[(ident, mode, conns)] collects the runs."""
    for mode in modes:
        for conns in connections:
            for rep in range(repeats):
                for spec, proc in started:
                    key = (proc.name, mode, conns)
                    if not proc.alive():
                        results.setdefault(key, []).append(
                            {'rps': 0.0, 'p50': None, 'p99': None,
                             'requests': 0, 'errors': {'server died': 1}})
                        continue
                    run = run_wrk(proc.port, path_of(proc), conns, duration,
                                  mode == 'close', threads)
                    results.setdefault(key, []).append(run)
                    log('bench: %-22s %-10s c=%-3d run %d/%d: %8.0f req/s%s'
                        % (proc.name, mode, conns, rep + 1, repeats,
                           run['rps'], '  errors %r' % run['errors']
                           if run['errors'] else ''))


# ---- the report ---------------------------------------------------------------

def _fmt_rps(v):
    return 'n/a' if v is None else '{:,.0f}'.format(v)


def _fmt_ms(v):
    return 'n/a' if v is None else ('%.2f' % v if v < 10 else '%.1f' % v)


def _fmt_errors(errors):
    return ', '.join('%s %d' % kv for kv in sorted(errors.items())) or '0'


def _ratio(value, floor):
    if value is None or not floor:
        return None
    return value / floor


def _fmt_ratio(r):
    return 'n/a' if r is None else '%.2f' % r


def throughput_tables(specs, cells, modes, connections):
    """The summary (req/s and ratio per mode and connection count) and the
    detailed table."""
    columns = [(m, c) for m in modes for c in connections]
    header = ['server', 'runtime'] + ['%s, %d conn' % (m, c)
                                      for m, c in columns]
    summary, detail = [], []
    for spec in specs:
        row = [spec.label, spec.runtime]
        for mode, conns in columns:
            cell = cells.get((spec.ident, mode, conns))
            if spec.missing or cell is None:
                row.append('n/a')
                continue
            floor = cells.get(('bare-' + spec.runtime, mode, conns))
            ratio = _ratio(cell['rps'], floor and floor['rps'])
            row.append('%s (%s)' % (_fmt_rps(cell['rps']), _fmt_ratio(ratio))
                       + ('' if not cell['errors'] else ' !'))
            detail.append([spec.label, spec.runtime, mode, conns,
                           _fmt_rps(cell['rps']), _fmt_ratio(ratio),
                           _fmt_ms(cell['p50']), _fmt_ms(cell['p99']),
                           _fmt_errors(cell['errors']),
                           'n/a' if cell['spread'] is None
                           else '%.0f%%' % (cell['spread'] * 100)])
        summary.append(row)
    return (benchlib.table(header, summary),
            benchlib.table(['server', 'runtime', 'connection', 'conns',
                            'req/s', 'ratio to bare', 'p50 ms', 'p99 ms',
                            'errors', 'spread'], detail))


def budget_rows(cells, routing):
    """The lines of the issue 8 budget that this run measured."""
    rows = []

    def ratio(ident, mode, conns, floor_ident=None):
        cell = cells.get((ident, mode, conns))
        runtime = ident.rsplit('-', 1)[1]
        floor = cells.get((floor_ident or 'bare-' + runtime, mode, conns))
        if cell and floor:
            return _ratio(cell['rps'], floor['rps'])
        return None

    def add(line, budget, value, shown, met):
        if value is not None:
            rows.append([line, budget, shown, 'yes' if met else '**no**'])

    r = ratio('this-micropython', 'keep-alive', 10)
    add('MicroPython, keep-alive, 10 conn: ratio to bare', '>= 0.60',
        r, _fmt_ratio(r), r is not None and r >= 0.60)
    r = ratio('this-micropython', 'close', 10)
    add('MicroPython, Connection: close, 10 conn: ratio to bare', '>= 0.60',
        r, _fmt_ratio(r), r is not None and r >= 0.60)
    errs = [cells[k]['errors'] for k in cells
            if k[0] == 'this-micropython' and k[2] == 50]
    if errs:
        total = {}
        for e in errs:
            for name, n in e.items():
                total[name] = total.get(name, 0) + n
        add('MicroPython, 50 conn: errors (every mode run)', '0', total,
            _fmt_errors(total), not total)
    r = ratio('this-cpython', 'keep-alive', 10)
    add('CPython built-in server, keep-alive, 10 conn: ratio to bare',
        '>= 0.40', r, _fmt_ratio(r), r is not None and r >= 0.40)
    r = ratio('this-cpython', 'keep-alive', 10, 'starlette-cpython')
    if r is not None:
        add('CPython built-in server against Starlette/uvicorn, keep-alive, '
            '10 conn (ratio of req/s)', '> 1', r, '%.3f (%s against %s req/s)'
            % (r, _fmt_rps(cells[('this-cpython', 'keep-alive', 10)]['rps']),
               _fmt_rps(cells[('starlette-cpython', 'keep-alive', 10)]
                        ['rps'])), r > 1.0)
    for runtime, target, routes, cost in routing:
        add('routing, %s, %s route: throughput lost with %d routes '
            'against 1' % (runtime, target, routes), '< 10%', cost,
            '%.1f%%' % (cost * 100), cost < 0.10)
    return rows


# ---- main -------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--duration', type=int, default=3,
                        help='seconds of each wrk run (default 3)')
    parser.add_argument('--repeats', type=int, default=3,
                        help='wrk runs per cell; the median is kept (3)')
    parser.add_argument('--connections', default='1,10,50',
                        help='connection counts (default 1,10,50)')
    parser.add_argument('--modes', default='keep-alive,close',
                        help='keep-alive and/or close (default both)')
    parser.add_argument('--servers', default=','.join(ALL_SERVERS),
                        help='server ids to run (default all)')
    parser.add_argument('--threads', type=int, default=1,
                        help='wrk threads (default 1: the machine has few '
                        'cores and the servers are single-threaded)')
    parser.add_argument('--routes', type=int, default=200,
                        help='routes of the many-routes app (default 200)')
    parser.add_argument('--routing-runtimes', default='cpython,micropython')
    parser.add_argument('--skip-routing', action='store_true')
    parser.add_argument('--skip-throughput', action='store_true')
    parser.add_argument('--doc', default=benchlib.DOC,
                        help='markdown file whose bench.py section is '
                        'rewritten (default docs/benchmarks.md)')
    parser.add_argument('--no-doc', action='store_true',
                        help='print only; write no file')
    args = parser.parse_args(argv)
    args.connections = [int(c) for c in args.connections.split(',') if c]
    args.modes = [m for m in args.modes.split(',') if m]
    args.servers = [s for s in args.servers.split(',') if s]
    for s in args.servers:
        if s not in ALL_SERVERS:
            parser.error('unknown server %s (known: %s)'
                         % (s, ', '.join(ALL_SERVERS)))
    for m in args.modes:
        if m not in MODES:
            parser.error('unknown mode ' + m)
    args.routing_runtimes = [r for r in args.routing_runtimes.split(',') if r]
    return args


def run_throughput(args):
    specs = make_specs(args.servers)
    procs = [(spec, ServerProcess(spec.ident, spec.argv, spec.env))
             for spec in specs if not spec.missing]
    cells = {}
    try:
        started = start_all(procs)
        results = {}
        load_round_robin(started, args.modes, args.connections,
                         args.repeats, args.duration, args.threads, results)
        for key, runs in results.items():
            cells[key] = summarize(runs)
    finally:
        for spec, proc in procs:
            proc.__exit__()
    return specs, cells


def run_routing(args):
    """This framework with ``args.routes`` routes against 1, the measured
    route static (``/``) and dynamic (``/last/<int:id>``), keep-alive at
    10 connections (or the largest count asked for below 10)."""
    conns = max([c for c in args.connections if c <= 10] or [1])
    base = make_specs(['this-' + r for r in args.routing_runtimes])
    procs = []
    for spec in base:
        if spec.missing:
            continue
        for target in ('static', 'dynamic'):
            for routes in (1, args.routes):
                proc = ServerProcess('%s/%s/%d' % (spec.runtime, target,
                                                   routes),
                                     spec.argv, spec.env)
                proc.path = '/' if target == 'static' else '/last/42'
                extra = ['--routes', str(routes), '--target', target]
                procs.append((Spec(spec.ident, spec.argv, spec.env, extra),
                              proc))
    rows, costs = [], []
    try:
        started = start_all(procs, 'routing')
        results = {}
        load_round_robin(started, ['keep-alive'], [conns], args.repeats,
                         args.duration, args.threads, results,
                         path_of=lambda proc: proc.path)
        for spec in base:
            for target in ('static', 'dynamic'):
                one = results.get(('%s/%s/1' % (spec.runtime, target),
                                   'keep-alive', conns))
                many = results.get(('%s/%s/%d' % (spec.runtime, target,
                                                  args.routes),
                                    'keep-alive', conns))
                if not one or not many:
                    rows.append([spec.runtime, target, 'n/a', 'n/a', 'n/a',
                                 spec.missing or 'did not run'])
                    continue
                one, many = summarize(one), summarize(many)
                cost = 1 - many['rps'] / one['rps'] if one['rps'] else 1.0
                costs.append((spec.runtime, target, args.routes, cost))
                rows.append([spec.runtime, '`/`' if target == 'static'
                             else '`/last/<int:id>`', _fmt_rps(one['rps']),
                             _fmt_rps(many['rps']), '%.1f%%' % (cost * 100),
                             _fmt_errors(dict(
                                 list(one['errors'].items()) +
                                 list(many['errors'].items())))])
    finally:
        for spec, proc in procs:
            proc.__exit__()
    table = benchlib.table(
        ['runtime', 'route requested', 'req/s, 1 route',
         'req/s, %d routes' % args.routes, 'throughput lost', 'errors'],
        rows)
    return table, costs, conns


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not shutil.which('wrk'):
        raise SystemExit('bench: wrk is not installed (tools/setup.sh '
                         'installs it)')
    started_at = datetime.datetime.now()
    load_before = benchlib.load_average()
    revision = benchlib.git_revision()  # the servers load the code now
    parts = []
    specs, cells = [], {}
    if not args.skip_throughput:
        specs, cells = run_throughput(args)
    routing_table, costs, routing_conns = None, [], None
    if not args.skip_routing:
        routing_table, costs, routing_conns = run_routing(args)
    minutes = (datetime.datetime.now() - started_at).total_seconds() / 60
    command = 'python tools/bench.py' + (
        ' ' + ' '.join(argv if argv is not None else sys.argv[1:])
        if (argv if argv is not None else sys.argv[1:]) else '')
    parts.append('## Throughput (`tools/bench.py`)\n')
    parts.append(
        'Run on %s (%.0f minutes), commit %s. Machine: %s. Command: `%s`.\n'
        % (started_at.strftime('%Y-%m-%d %H:%M'), minutes,
           revision, benchlib.machine_facts(), command))
    parts.append(
        'Each figure is the median of %d `wrk --latency` runs of %d s (%d wrk '
        'thread), the runs interleaved across servers (A, B, C, A, B, C, '
        '...) so that a change in the machine\'s load hits them alike; '
        'errors (wrk\'s socket errors and non-2xx responses) are summed over '
        'the runs. The ratio is to the bare asyncio responder of the same '
        'runtime, mode and connection count. **Caveat: the machine has %d '
        'cores shared with wrk and with other engineers\' test runs (load '
        'average %s before the run, %s after): the figures are noisy; '
        'compare ratios within one run, not figures across runs.**\n'
        % (args.repeats, args.duration, args.threads, os.cpu_count() or 0,
           load_before, benchlib.load_average()))
    spreads = [c['spread'] for c in cells.values() if c['spread'] is not None]
    if spreads:
        parts[-1] = parts[-1].rstrip('\n') + (
            ' The median spread of the runs behind one figure was %.0f%% in '
            'this run (see the details).\n' % (median(spreads) * 100))
    if specs:
        summary, detail = throughput_tables(specs, cells, args.modes,
                                            args.connections)
        parts.append('### Requests per second (ratio to bare asyncio)\n')
        parts.append(summary + '\n')
        note = '`!` marks a cell with errors (see the details).'
        if any(s.kind == 'microdot2' and not s.missing for s in specs):
            note += (' Microdot 2.x answers HTTP/1.0 and closes every '
                     'connection, so its keep-alive rows measure a new '
                     'connection per request.')
        parts.append(note + '\n')
        missing = ['%s on %s: %s' % (s.label, s.runtime, s.missing)
                   for s in specs if s.missing]
        if missing:
            parts.append('Not measured: ' + '; '.join(missing) + '.\n')
        parts.append('### Details\n')
        parts.append(detail + '\n')
        parts.append('Latency is wrk\'s: from writing a request to reading '
                     'its response, so it leaves out the time to connect '
                     '(with `Connection: close` the backlog\'s queue does '
                     'not show in it). Spread: (fastest - slowest run) / '
                     'median req/s, a measure of the noise.\n')
    if routing_table:
        parts.append('### Routing cost (`%d` routes against 1)\n' % args.routes)
        parts.append(
            'This framework, keep-alive, %d connection(s). The many-routes app '
            'registers %d filler routes (half static `/pageN`, half '
            '`/itemsN/<int:id>`) before the measured route, so a router that '
            'tries routes in order walks past all of them.\n'
            % (routing_conns, args.routes - 1))
        parts.append(routing_table + '\n')
    benchlib.publish('bench.py', parts, budget_rows(cells, costs), args.doc,
                     not args.no_doc)


if __name__ == '__main__':
    main()
