"""Run the shared test files on a MicroPython board through mpremote, with the
runner CI uses on the unix port (tools/mp_runner.py).

    python tools/board_test.py --port /dev/ttyUSB0                 # every shared file
    python tools/board_test.py --port /dev/ttyACM0 tests/test_routing.py -k static

It copies into ``mdtest/`` on the board (``--root``), skipping unchanged
files as tools/deploy.py does: ``tools/mp_runner.py``, the test files, the
helper modules they import from ``tests/`` (and ``board_examples/`` when a
test reads an example from there) and the modules of the package
they need (the core and the extensions they import, as .mpy unless
``--source``, in ``mdtest/microdot_src/microdot``, which the runner puts
first on ``sys.path``, so an app's ``/lib/microdot`` does not interfere).
Then it runs each file in its own ``mpremote exec`` (no soft reset between
files: the unix port ends on one) with a per-file timeout. Files whose
``RUNTIMES`` excludes micropython are left out. The last line printed is

    board: N passed, N failed, N skipped

and the exit status is 1 if any test failed or none ran.
"""
import argparse
import ast
import os
import re
import sys
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TOOLS)
sys.path.insert(0, TOOLS)
import build_mpy  # noqa: E402
import deploy  # noqa: E402
import mip_packages  # noqa: E402
from run_mp_tests import RESULT_RE, FileResult, discover  # noqa: E402

TESTS = os.path.join(ROOT, 'tests')

# Runs on the board, in its own mpremote exec for each file.
_RUN = '''
import os, sys
_cwd = os.getcwd()
os.chdir(%(root)r)
try:
    _tools = os.getcwd() + '/tools'
    if _tools not in sys.path:
        sys.path.insert(0, _tools)
    import mp_runner
    mp_runner.main(%(args)r)
finally:
    os.chdir(_cwd)
'''


def runtimes(path):
    """The literal module-level RUNTIMES of a test file, or None."""
    with open(path, 'rb') as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == 'RUNTIMES'
                for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    return None


def shared(paths):
    return [p for p in paths if 'micropython' in (runtimes(p) or
                                                  ('micropython',))]


def _imported_names(source):
    return set(re.findall(r'^\s*(?:from|import)\s+(\w+)', source, re.M))


def test_files_and_helpers(paths):
    """The test files and, transitively, the modules of tests/ they import
    (support.py always), and board_examples/ if a test mentions it:
    [(local path, path under the board's root)], and the sources read."""
    files = {}
    todo = [(p, 'tests/' + os.path.basename(p)) for p in paths]
    todo.append((os.path.join(TESTS, 'support.py'), 'tests/support.py'))
    sources = []
    while todo:
        local, target = todo.pop()
        if target in files:
            continue
        files[target] = local
        with open(local) as f:
            source = f.read()
        sources.append(source)
        for name in _imported_names(source):
            helper = os.path.join(TESTS, name + '.py')
            if os.path.isfile(helper):
                todo.append((helper, 'tests/' + name + '.py'))
    if any('board_examples' in source for source in sources):
        # tests that load an example read it from board_examples/
        examples = os.path.join(ROOT, 'board_examples')
        for local, rel in deploy.app_files([examples]):
            files['board_examples/' + rel] = local
            if local.endswith('.py'):
                with open(local) as f:
                    sources.append(f.read())
    return sorted((l, t) for t, l in files.items()), sources


def package_files_for(sources):
    """The core plus every module of the package the sources import."""
    used = set()
    for source in sources:
        used |= mip_packages.imports_in(source)
    mods = mip_packages.closure(set(build_mpy.CORE) | used)
    names = set(m + '.py' for m in mods)
    names.update(f for f in mip_packages.tree_files()
                  if not f.endswith('.py') and f.rsplit('.', 1)[0] in mods)
    return sorted(names)


def run_file(board, root, path, keyword, timeout):
    """Run one test file on the board; a FileResult."""
    args = ['-v'] + (['-k', keyword] if keyword else []) + [path]
    result = FileResult(path)
    start = time.monotonic()
    board.timeout = timeout
    try:
        result.output = board.exec(_RUN % {'root': root or '.', 'args': args})
    except deploy.DeployError as exc:
        result.output = str(exc)
        result.problem = str(exc).splitlines()[0]
    result.seconds = time.monotonic() - start
    matches = list(RESULT_RE.finditer(result.output))
    if matches:
        m = matches[-1]
        result.passed, result.failed, result.skipped = (
            int(g) for g in m.group(1, 2, 3))
        result.failures = [f for f in (m.group(4) or '').split(',') if f]
    elif result.problem is None:
        result.problem = 'no RESULT line'
    if result.problem is not None:
        result.failed += 1
        result.failures.append(path + ' [' + result.problem + ']')
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Run the shared test files on a board through mpremote.')
    parser.add_argument('files', nargs='*',
                        help='test files (default: every shared tests/test_*.py)')
    parser.add_argument('--port', required=True, help='the mpremote device')
    parser.add_argument('--root', default='mdtest',
                        help='directory on the board for the tests (mdtest)')
    parser.add_argument('--source', action='store_true',
                        help='copy the package as .py instead of .mpy')
    parser.add_argument('-k', dest='keyword',
                        help='only tests whose id contains this')
    parser.add_argument('--timeout', type=float, default=300,
                        help='seconds per file (300)')
    parser.add_argument('-v', '--verbose', action='store_true',
                        help='print the output of every file')
    parser.add_argument('--mpremote', help='the mpremote to run')
    args = parser.parse_args(argv)

    paths = [os.path.abspath(f) for f in args.files] or \
        [os.path.join(ROOT, f) for f in discover()]
    paths = shared(paths)
    tests, sources = test_files_and_helpers(paths)
    apps = [(os.path.join(TOOLS, 'mp_runner.py'), 'tools/mp_runner.py')]
    apps += tests
    board = deploy.Board(args.port, args.mpremote)
    try:
        summary = deploy.deploy(board, apps, source=args.source,
                                root=args.root, lib='microdot_src',
                                files=package_files_for(sources),
                                log=lambda line: None)
    except deploy.DeployError as exc:
        print('board_test: ' + str(exc))
        print('board: 0 passed, 1 failed, 0 skipped')
        return 1
    print('copied %d files (%d bytes), %d unchanged' % (
        len(summary['copied']), summary['bytes'], summary['unchanged']))
    sys.stdout.flush()

    results = []
    for path in paths:
        r = run_file(board, args.root, 'tests/' + os.path.basename(path),
                     args.keyword, args.timeout)
        results.append(r)
        print('  %s %s (%d passed / %d failed / %d skipped, %.1fs)%s' % (
            'FAIL' if r.failed else 'ok  ', r.path, r.passed, r.failed,
            r.skipped, r.seconds, ' ' + r.problem if r.problem else ''))
        sys.stdout.flush()
    for r in results:
        if r.failed or args.verbose:
            print('\n==================== %s ====================' % r.path)
            print(r.output.rstrip('\n'))
    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    skipped = sum(r.skipped for r in results)
    print('board: %d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed or not passed + failed else 0


if __name__ == '__main__':
    sys.exit(main())
