#!/usr/bin/env python3
"""Run the test suite on the MicroPython unix port (runs on CPython).

Each test file runs in its own `micropython tools/mp_runner.py FILE` process,
two at a time, with a per-file timeout. The last line printed is

    micropython: N passed, N failed, N skipped

and the exit status is non-zero if any test failed (a timeout or crash counts
as a failure) or if no test ran at all.

    python tools/run_mp_tests.py [--heapsize 256k] [-k SUBSTRING] [FILE ...]
"""

import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNER = os.path.join('tools', 'mp_runner.py')
RESULT_RE = re.compile(
    r'^RESULT passed=(\d+) failed=(\d+) skipped=(\d+)(?: failures=(\S*))?\s*$', re.M)


def find_micropython(explicit=None):
    candidates = []
    if explicit:
        candidates.append(explicit)
    if os.environ.get('MICROPYTHON'):
        candidates.append(os.environ['MICROPYTHON'])
    candidates.append(os.path.join(os.path.dirname(sys.executable), 'micropython'))
    candidates.append(os.path.join(ROOT, '.venv', 'bin', 'micropython'))
    for candidate in candidates:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which('micropython')


def discover():
    files = glob.glob(os.path.join(ROOT, 'tests', '**', 'test_*.py'), recursive=True)
    return sorted(os.path.relpath(f, ROOT) for f in files)


class FileResult:
    def __init__(self, path):
        self.path = path
        self.passed = self.failed = self.skipped = 0
        self.failures = []
        self.output = ''
        self.returncode = None
        self.seconds = 0.0
        self.problem = None  # timeout / crash / no RESULT line


def run_file(micropython, path, heapsize, keyword, timeout):
    cmd = [micropython]
    if heapsize:
        cmd += ['-X', 'heapsize=' + heapsize]
    # always -v: the PASS lines show where a file that timed out got to;
    # the output is printed only for failed files (or with --verbose)
    cmd += [RUNNER, '-v']
    if keyword:
        cmd += ['-k', keyword]
    cmd.append(path)
    result = FileResult(path)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        out, _ = proc.communicate()
        result.problem = 'timed out after %ss (killed)' % timeout
    result.seconds = time.monotonic() - start
    result.returncode = proc.returncode
    result.output = out.decode('utf-8', 'replace')
    matches = list(RESULT_RE.finditer(result.output))
    if matches:
        m = matches[-1]
        result.passed, result.failed, result.skipped = (int(g) for g in m.group(1, 2, 3))
        result.failures = [f for f in (m.group(4) or '').split(',') if f]
    if result.problem is None:
        if not matches:
            result.problem = 'no RESULT line (exit status %s)' % proc.returncode
        elif proc.returncode != 0 and result.failed == 0:
            result.problem = 'exit status %s' % proc.returncode
    if result.problem is not None:
        # the file as a whole failed, whatever it managed to report
        result.failed += 1
        result.failures.append(path + ' [' + result.problem + ']')
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('files', nargs='*', help='test files (default: tests/**/test_*.py)')
    parser.add_argument('--heapsize', help="MicroPython heap size, e.g. 256k (-X heapsize=)")
    parser.add_argument('-k', dest='keyword', help='only tests whose id contains this')
    parser.add_argument('--timeout', type=float, default=300, help='seconds per file (300)')
    parser.add_argument('-j', '--jobs', type=int, default=2, help='parallel files (2)')
    parser.add_argument('-v', '--verbose', action='store_true',
                        help='print every test and the output of every file')
    parser.add_argument('--micropython', help='path of the micropython executable')
    args = parser.parse_args(argv)

    micropython = find_micropython(args.micropython)
    if not micropython:
        print('run_mp_tests: no micropython executable found (run tools/setup.sh)')
        print('micropython: 0 passed, 1 failed, 0 skipped')
        return 1
    files = [os.path.relpath(os.path.abspath(f), ROOT) for f in args.files] or discover()
    print('micropython executable: %s' % micropython)
    print('heap size: %s' % (args.heapsize or 'default'))
    sys.stdout.flush()

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_file, micropython, f, args.heapsize, args.keyword,
                               args.timeout) for f in files]
        for future in concurrent.futures.as_completed(futures):
            r = future.result()
            results.append(r)
            status = 'FAIL' if r.failed else 'ok  '
            print('  %s %s (%d passed / %d failed / %d skipped, %.1fs)%s' % (
                status, r.path, r.passed, r.failed, r.skipped, r.seconds,
                ' ' + r.problem if r.problem else ''))
            sys.stdout.flush()
    results.sort(key=lambda r: r.path)

    for r in results:
        if r.failed or args.verbose:
            print('\n' + '=' * 20 + ' ' + r.path + ' ' + '=' * 20)
            print(r.output.rstrip('\n'))
    failures = [f for r in results for f in r.failures]
    if failures:
        print('\nfailed:')
        for f in failures:
            print('  ' + f)

    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    skipped = sum(r.skipped for r in results)
    if passed + failed == 0:
        print('run_mp_tests: no test ran')
    print('heap size: %s' % (args.heapsize or 'default'))
    print('micropython: %d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed or passed + failed == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
