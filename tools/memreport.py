"""Memory report on the MicroPython unix port, for this framework and for
Microdot 2.x measured the same way:

1. heap after ``import microdot`` (the core alone), and after the core plus
   the websocket, sse, session, cors and auth extensions (those that exist
   and import), from .py sources and from .mpy files: ``gc.mem_alloc()``
   after ``gc.collect()``, before and after the imports, in a fresh process;
2. garbage per request: the hello app (tools/bench_apps/mem_app.py) turns
   the collector off at ``GET /gc/begin`` and reports the bytes allocated
   since at ``GET /gc/end``; between the two, N requests are served over
   loopback (on one keep-alive connection, then again on a new connection
   each with ``Connection: close``). A begin/end pair with nothing between
   is measured too and subtracted; the rest divided by N is the figure;
3. the smallest ``-X heapsize`` (a multiple of 4 KiB, by bisection) in which
   the hello app running from .mpy files serves 1,000 requests (every 50th
   closes its connection) with every answer right;
4. the .mpy size of each module (tools/build_mpy.py, mpy-cross).

    python tools/memreport.py [--frameworks this,microdot2]
                              [--sections import,garbage,heap,mpy]
                              [--requests 100] [--serve 1000] [--repeats 3]
                              [--build-dir .bench]
                              [--doc docs/benchmarks.md | --no-doc]

Writes its tables into the ``memreport.py`` section of docs/benchmarks.md.
Never asserts a figure."""
import argparse
import datetime
import http.client
import json
import os
import subprocess
import sys
import time

import benchlib
import build_mpy
from benchlib import (APPS, BENCH, SRC, ServerProcess, clean_env, fetch,
                      is_hello, log, median)

FRAMEWORKS = ('this', 'microdot2')
LABELS = {'this': 'this framework', 'microdot2': 'Microdot 2.x'}
SECTIONS = ('import', 'garbage', 'heap', 'mpy')
EXTENSIONS = ('websocket', 'sse', 'session', 'cors', 'auth')
BIG_HEAP = '8m'  # for the garbage count: N requests with no collection

# run inside micropython: prints the heap taken by the imports and the
# modules they loaded
_IMPORT_PROBE = """
import gc, sys
gc.collect()
before = gc.mem_alloc()
known = set(sys.modules)
import microdot
failed = {}
for name in %r:
    try:
        __import__('microdot.' + name)
    except Exception as exc:
        failed[name] = '%%s: %%s' %% (type(exc).__name__, exc)
gc.collect()
used = gc.mem_alloc() - before
print('RESULT', used, ' '.join(sorted(m for m in sys.modules
                                      if m not in known)), '|',
      ';'.join('%%s=%%s' %% kv for kv in failed.items()))
"""


class Framework:
    """Where a framework's .py and .mpy files are for MicroPython."""

    def __init__(self, name, build_dir=BENCH):
        self.name = name
        self.label = LABELS[name]
        self.py_path = SRC if name == 'this' else benchlib.MICRODOT2_MP
        self.mpy_path = os.path.join(build_dir, 'mpy-' + name)
        self.mpy_sizes = {}
        self.mpy_failed = {}
        self.missing = None

    def sources(self):
        package = os.path.join(self.py_path, 'microdot')
        return sorted(f[:-3] for f in os.listdir(package)
                      if f.endswith('.py'))

    def build_mpy(self):
        """Compile every module (one by one: a module that does not compile
        is reported, not fatal)."""
        import shutil
        shutil.rmtree(self.mpy_path, ignore_errors=True)
        cross = build_mpy.find_mpy_cross()
        package = os.path.join(self.py_path, 'microdot')
        dest = os.path.join(self.mpy_path, 'microdot')
        os.makedirs(dest)
        for name in self.sources():
            target = os.path.join(dest, name + '.mpy')
            out = subprocess.run(
                [cross, '-o', target, '-s', name + '.py',
                 os.path.join(package, name + '.py')],
                capture_output=True, text=True, timeout=120)
            if out.returncode:
                self.mpy_failed[name] = (out.stderr or out.stdout).strip()
            else:
                self.mpy_sizes[name] = os.path.getsize(target)


def run_mp(argv, env, timeout=60):
    mp = benchlib.micropython()
    return subprocess.run([mp] + argv, env=env, capture_output=True,
                          text=True, timeout=timeout, cwd=APPS)


def import_heap(fw, path, extensions):
    """(bytes, new modules, {extension: error}) for one import probe."""
    out = run_mp(['-c', _IMPORT_PROBE % (tuple(extensions),)],
                 clean_env(MICROPYPATH=path + ':.frozen'))
    for line in out.stdout.splitlines():
        if line.startswith('RESULT '):
            head, _, failed = line[7:].partition(' | ')
            used, _, modules = head.partition(' ')
            errors = {}
            for item in failed.split(';'):
                if '=' in item:
                    name, _, error = item.partition('=')
                    errors[name] = error
            return int(used), modules.split(), errors
    raise RuntimeError('%s: import probe failed: %s' % (
        fw.label, (out.stdout + out.stderr).strip()[-1500:]))


def measure_imports(fw):
    """Heap after the imports: core alone and core + extensions, from .py
    and .mpy files."""
    result = {'extensions': [], 'missing': [], 'failed': {}}
    package = os.path.join(fw.py_path, 'microdot')
    for name in EXTENSIONS:
        if os.path.exists(os.path.join(package, name + '.py')):
            result['extensions'].append(name)
        else:
            result['missing'].append(name)
    for kind, path in (('py', fw.py_path), ('mpy', fw.mpy_path)):
        used, modules, _ = import_heap(fw, path, ())
        result['core_' + kind] = used
        result['core_modules'] = modules
        used, _, failed = import_heap(fw, path, result['extensions'])
        result['full_' + kind] = used
        result['failed'].update(failed)
    return result


def _probe(conn, path):
    status, body = fetch(conn, path)
    if status != 200:
        raise RuntimeError('%s answered %s %r' % (path, status, body[:200]))
    return body


def allocated_between(port, n, close):
    """Bytes allocated by the server from /gc/begin to /gc/end, with n
    hello requests between (keep-alive or one connection each)."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    try:
        _probe(conn, '/gc/begin')
        for _ in range(n):
            if close:
                other = http.client.HTTPConnection('127.0.0.1', port,
                                                   timeout=10)
                try:
                    ok = is_hello(*fetch(other, '/', close=True))
                finally:
                    other.close()
            else:
                ok = is_hello(*fetch(conn, '/'))
            if not ok:
                raise RuntimeError('a hello request failed')
        return json.loads(_probe(conn, '/gc/end'))['allocated']
    finally:
        conn.close()


def measure_garbage(fw, n, repeats):
    """Bytes allocated per request, keep-alive and with Connection: close."""
    mp = benchlib.micropython()
    server = ServerProcess(fw.name + '-mem', [
        mp, '-X', 'heapsize=' + BIG_HEAP, os.path.join(APPS, 'mem_app.py')],
        clean_env(MICROPYPATH=fw.py_path + ':.frozen'), cwd=APPS)
    with server:
        server.start().wait_ready()
        conn = http.client.HTTPConnection('127.0.0.1', server.port,
                                          timeout=10)
        try:  # warm up: lazily loaded code, first-use caches
            for i in range(30):
                fetch(conn, '/', close=i % 10 == 9)
        finally:
            conn.close()
        for _ in range(2):
            allocated_between(server.port, 0, False)
        base = median([allocated_between(server.port, 0, False)
                       for _ in range(repeats)])
        result = {'base': base, 'n': n}
        for mode, close in (('keep-alive', False), ('close', True)):
            runs = [allocated_between(server.port, n, close)
                    for _ in range(repeats)]
            result[mode] = (median(runs) - base) / n
        if not server.alive():
            raise RuntimeError(fw.label + ': the server died: ' +
                               server.output()[-1500:])
    return result


def serves(fw, heap_kib, requests):
    """Does the hello app from .mpy serve ``requests`` requests in a heap of
    ``heap_kib`` KiB?"""
    mp = benchlib.micropython()
    server = ServerProcess('%s-%dk' % (fw.name, heap_kib), [
        mp, '-X', 'heapsize=%dk' % heap_kib,
        os.path.join(APPS, 'hello.py')],
        clean_env(MICROPYPATH=fw.mpy_path + ':.frozen'), cwd=APPS)
    with server:
        try:
            server.start().wait_ready(timeout=15)
        except RuntimeError:
            return False
        conn = http.client.HTTPConnection('127.0.0.1', server.port,
                                          timeout=5)
        try:
            for i in range(requests):
                if not is_hello(*fetch(conn, '/', close=i % 50 == 49)):
                    return False
        except (OSError, http.client.HTTPException, ValueError):
            return False
        finally:
            conn.close()
        return server.alive()


def smallest_heap(fw, requests):
    """The smallest heap (KiB, a multiple of 4) that serves, by bisection
    between a heap that fails and one that serves; the figure found is
    checked once more (a failure there moves it up a step)."""
    fails, ok = 4, 64
    while not serves(fw, ok, requests):
        log('memreport: %s does not serve in %d KiB' % (fw.label, ok))
        fails, ok = ok, ok * 2
        if ok > 2048:
            raise RuntimeError(fw.label + ' does not serve in 2 MiB')
    while ok - fails > 4:
        mid = (fails + ok) // 2 // 4 * 4
        if serves(fw, mid, requests):
            ok = mid
        else:
            fails = mid
        log('memreport: %s %d KiB %s' % (fw.label, mid,
                                         'serves' if ok == mid else 'fails'))
    while not serves(fw, ok, requests):
        ok += 4
    return ok


# ---- the report ---------------------------------------------------------------

def _kib(n):
    return 'n/a' if n is None else '{:,} ({:.1f} KiB)'.format(n, n / 1024)


def _kb(n):
    return 'n/a' if n is None else '{:,.0f} B'.format(n)


def report(frameworks, data, args, started_at):
    parts = ['## Memory on MicroPython (`tools/memreport.py`)\n']
    argv = args.argv
    parts.append(
        'Run on %s, commit %s. Machine: %s. Command: `python '
        'tools/memreport.py%s`. Figures in bytes (1 KiB = 1,024 B) on the '
        '64-bit unix port; a 32-bit device needs less for the same objects. '
        'Memory figures do not depend on the machine\'s load.\n'
        % (started_at.strftime('%Y-%m-%d %H:%M'), args.revision,
           benchlib.machine_facts(), ' ' + ' '.join(argv) if argv else ''))
    budget = []

    def add(line, limit, value, shown, ok):
        if value is not None:
            budget.append([line, limit, shown, 'yes' if ok else '**no**'])

    this = data.get('this', {})
    if 'import' in args.sections:
        rows = []
        for fw in frameworks:
            d = data[fw.name].get('import')
            if not d:
                rows.append([fw.label] + ['n/a'] * 5)
                continue
            rows.append([fw.label, _kib(d['core_py']), _kib(d['core_mpy']),
                         _kib(d['full_py']), _kib(d['full_mpy']),
                         ', '.join(n for n in d['extensions']
                                   if n not in d['failed']) or 'none'])
        parts.append('### Heap after import\n')
        parts.append(benchlib.table(
            ['framework', '`import microdot`, .py', '`import microdot`, .mpy',
             'core + extensions, .py', 'core + extensions, .mpy',
             'extensions imported'], rows) + '\n')
        notes = []
        for fw in frameworks:
            d = data[fw.name].get('import')
            if not d:
                continue
            if d['missing']:
                notes.append('%s has no %s module' % (
                    fw.label, ', '.join(d['missing'])))
            for name, error in sorted(d['failed'].items()):
                notes.append('%s: `microdot.%s` does not import (%s)'
                             % (fw.label, name, error))
            notes.append('%s: `import microdot` loads %s' % (
                fw.label, ', '.join('`%s`' % m for m in d['core_modules'])))
        parts.append('`gc.mem_alloc()` after `gc.collect()`, before and '
                     'after the imports, in a fresh `micropython` process; the '
                     'extensions are websocket, sse, session, cors and auth. '
                     + '. '.join(notes) + '.\n')
        d = this.get('import')
        if d:
            add('heap after `import microdot` (.mpy)', '<= 20 KB',
                d['core_mpy'], _kib(d['core_mpy']), d['core_mpy'] <= 20000)
            add('heap after `import microdot` (.py)', '<= 20 KB',
                d['core_py'], _kib(d['core_py']), d['core_py'] <= 20000)
    if 'garbage' in args.sections:
        rows = []
        for fw in frameworks:
            d = data[fw.name].get('garbage')
            rows.append([fw.label] + ([_kb(d['keep-alive']), _kb(d['close']),
                                       _kb(d['base'])] if d
                                      else ['n/a'] * 3))
        parts.append('### Garbage per request\n')
        parts.append(benchlib.table(
            ['framework', 'keep-alive', 'new connection each '
             '(`Connection: close`)', 'probe pair subtracted'], rows) + '\n')
        parts.append(
            'The hello app with two probes (`tools/bench_apps/mem_app.py`, '
            'heap %s): `GET /gc/begin` runs `gc.collect()`, then '
            '`gc.disable()`, and notes `gc.mem_alloc()`; `GET /gc/end` reports '
            'the bytes allocated since. Between them %d `GET /` requests are '
            'served over loopback, all on one keep-alive connection, or each '
            'on a new connection with `Connection: close` (the probes keep '
            'their own connection). Nothing is freed while the collector is '
            'off, so this counts every byte the server allocated for the '
            'requests: what a device must collect. The probes\' own cost (a '
            'begin/end pair with no request between) is subtracted; each '
            'figure is the median of %d runs after 30 warm-up requests. '
            'Microdot 2.x closes every connection, so both of its columns '
            'include a new connection per request.\n'
            % (BIG_HEAP, args.requests, args.repeats))
        d = this.get('garbage')
        if d:
            add('garbage per request (keep-alive)', '<= 3 KB',
                d['keep-alive'], _kb(d['keep-alive']),
                d['keep-alive'] <= 3000)
    if 'heap' in args.sections:
        rows = []
        for fw in frameworks:
            k = data[fw.name].get('heap')
            rows.append([fw.label, 'n/a' if k is None else '%d KiB' % k])
        parts.append('### Smallest heap that serves %s requests\n'
                     % '{:,}'.format(args.serve))
        parts.append(benchlib.table(['framework', '`-X heapsize`'], rows)
                     + '\n')
        parts.append(
            'The hello app (`tools/bench_apps/hello.py`) running from .mpy '
            'files, `micropython -X heapsize=N`, N found by bisection in '
            '4 KiB steps and checked once more: the smallest N in which it '
            'serves %s requests in a row from one client (every 50th with '
            '`Connection: close`, so accepting and closing are exercised) '
            'with every answer `200 {"hello": "world"}`; 4 KiB less fails. '
            'The client is Python\'s http.client; the servers run with their '
            'default options (tests/test_device_heap.py checks a similar '
            'figure with its own app, client and `max_connections=4`).\n'
            % '{:,}'.format(args.serve))
        k = this.get('heap')
        if k is not None:
            add('smallest heap serving %s requests from .mpy'
                % '{:,}'.format(args.serve), '<= 32 KiB', k, '%d KiB' % k,
                k <= 32)
    if 'mpy' in args.sections:
        parts.append('### .mpy size of each module\n')
        for fw in frameworks:
            core = set(m.split('.', 1)[1] if '.' in m else '__init__'
                       for m in (data[fw.name].get('import') or {}).get(
                           'core_modules', []) if m.startswith('microdot'))
            listed = set(build_mpy.CORE) if fw.name == 'this' else set()
            rows = []
            for name in sorted(fw.mpy_sizes):
                marks = []
                if name in core:
                    marks.append('imported')
                if name in listed:
                    marks.append('CORE')
                rows.append(['`%s`' % name, '{:,}'.format(fw.mpy_sizes[name]),
                             ', '.join(marks)])
            for name in sorted(fw.mpy_failed):
                rows.append(['`%s`' % name, 'does not compile', ''])
            total_core = sum(fw.mpy_sizes.get(n, 0) for n in core)
            rows.append(['**loaded by `import microdot`**',
                         '**{:,}**'.format(total_core), ''])
            if listed:
                total_listed = sum(fw.mpy_sizes.get(n, 0) for n in listed)
                rows.append(['**CORE of tools/build_mpy.py**',
                             '**{:,}**'.format(total_listed), ''])
            rows.append(['**all modules**',
                         '**{:,}**'.format(sum(fw.mpy_sizes.values())), ''])
            parts.append('%s:\n' % fw.label)
            parts.append(benchlib.table(['module', 'bytes', ''], rows) + '\n')
            if fw.name == 'this':
                if core:
                    add('core .mpy: the modules `import microdot` loads',
                        '<= 12,000 B', total_core,
                        '{:,} B'.format(total_core), total_core <= 12000)
                add('core .mpy: CORE of tools/build_mpy.py (with the '
                    'modules loaded on demand)', '<= 12,000 B', total_listed,
                    '{:,} B'.format(total_listed), total_listed <= 12000)
        parts.append('"imported": in RAM after `import microdot`; "CORE": '
                     'what tools/build_mpy.py --core copies to a device (the '
                     'imported modules and those a plain app loads on '
                     'demand).\n')
    problems = [p for fw in frameworks for p in data[fw.name].get(
        'problems', [])]
    if problems:
        parts.append('Not measured: ' + '; '.join(problems) + '.\n')
    return parts, budget


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--frameworks', default=','.join(FRAMEWORKS))
    parser.add_argument('--sections', default=','.join(SECTIONS))
    parser.add_argument('--requests', type=int, default=100,
                        help='requests per garbage measurement (100)')
    parser.add_argument('--serve', type=int, default=1000,
                        help='requests the smallest heap must serve (1000)')
    parser.add_argument('--repeats', type=int, default=3,
                        help='runs of each garbage measurement (median)')
    parser.add_argument('--build-dir', default=BENCH,
                        help='where the .mpy files are compiled (.bench)')
    parser.add_argument('--doc', default=benchlib.DOC)
    parser.add_argument('--no-doc', action='store_true')
    args = parser.parse_args(argv)
    args.argv = list(argv)
    args.frameworks = [f for f in args.frameworks.split(',') if f]
    args.sections = [s for s in args.sections.split(',') if s]
    for f in args.frameworks:
        if f not in FRAMEWORKS:
            parser.error('unknown framework ' + f)
    for s in args.sections:
        if s not in SECTIONS:
            parser.error('unknown section ' + s)
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not benchlib.micropython():
        raise SystemExit('memreport: micropython is not installed '
                         '(tools/setup.sh installs it)')
    started_at = datetime.datetime.now()
    args.revision = benchlib.git_revision()
    frameworks = [Framework(name, args.build_dir)
                  for name in args.frameworks]
    data = {}
    for fw in frameworks:
        d = data[fw.name] = {'problems': []}
        if fw.name == 'microdot2':
            try:
                benchlib.ensure_microdot2()
            except RuntimeError as exc:
                d['problems'].append('%s: %s' % (fw.label, exc))
                continue
        fw.build_mpy()
        steps = [('import', measure_imports, ()),
                 ('garbage', measure_garbage, (args.requests, args.repeats)),
                 ('heap', smallest_heap, (args.serve,))]
        for section, measure, extra in steps:
            if section not in args.sections:
                continue
            log('memreport: %s: %s' % (fw.label, section))
            begun = time.time()
            try:
                d[section] = measure(fw, *extra)
            except (OSError, RuntimeError, ValueError, KeyError,
                    http.client.HTTPException, subprocess.SubprocessError) \
                    as exc:
                d['problems'].append('%s, %s: %s' % (fw.label, section, exc))
            log('memreport: %s: %s done in %.0f s: %r' % (
                fw.label, section, time.time() - begun, d.get(section)))
    parts, budget = report(frameworks, data, args, started_at)
    benchlib.publish('memreport.py', parts, budget, args.doc,
                     not args.no_doc)


if __name__ == '__main__':
    main()
