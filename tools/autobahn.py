#!/usr/bin/env python3
"""Run the Autobahn WebSocket conformance cases (with `kosoku`, from PyPI)
against the echo server tests/apps/ws_app.py under CPython and under
MicroPython, and print the verdicts:

    .venv/bin/python tools/autobahn.py                # both runtimes
    .venv/bin/python tools/autobahn.py --runtime micropython -i '5.*'
    .venv/bin/python tools/autobahn.py -x none -i '9.*'   # performance

By default every case runs except 9.* (performance), 12.* and 13.*
(permessage-deflate, which the server does not offer). One line per
runtime, e.g.

    cpython: 247 cases, 247 passed (INFORMATIONAL 3, OK 244), 0 failed, 6.5 s

then the cases that were not plain OK. The exit status is 1 if any case
failed. tests/test_websocket_autobahn.py runs this in the test suite. For
Autobahn's HTML reports, point the kosoku command at a running server:
``kosoku ws://127.0.0.1:PORT/echo -x '9.*' -x '12.*' -x '13.*' -o DIR``.
"""
import argparse
import asyncio
import collections
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests'))

from e2e_helpers import free_port, interpreter, launch  # noqa: E402

APP = os.path.join(ROOT, 'tests', 'apps', 'ws_app.py')
EXCLUDE = ['9.*', '12.*', '13.*']


async def run_cases(url, include, exclude):
    import kosoku
    try:
        return await kosoku.run_fuzzingclient(url, include, exclude)
    except kosoku.FailureError as failure:
        return failure.results


def run(runtime, include, exclude):
    """Run the cases against ws_app under ``runtime``; print the summary;
    return the number of failed cases."""
    port = free_port()
    start = time.monotonic()
    with launch([interpreter(runtime), APP, str(port)], port, runtime):
        results = asyncio.run(run_cases('ws://127.0.0.1:%d/echo' % port,
                                        include, exclude))
    verdicts = collections.Counter(r.behavior.value for r in results)
    failed = [r for r in results if not r.passed]
    print('%s: %d cases, %d passed (%s), %d failed, %.1f s' % (
        runtime, len(results), len(results) - len(failed),
        ', '.join('%s %d' % kv for kv in sorted(verdicts.items())),
        len(failed), time.monotonic() - start))
    for r in results:
        if r.behavior.value != 'OK' or r.behavior_close.value != 'OK':
            print('  %s %s %s / %s, close code %s%s' % (
                'ok  ' if r.passed else 'FAIL', r.case_id, r.behavior.value,
                r.behavior_close.value, r.remote_close_code,
                '' if r.passed else ': ' + r.result + ' ' + r.result_close))
    sys.stdout.flush()
    return len(failed) if results else 1


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0])
    parser.add_argument('--runtime', choices=('cpython', 'micropython'),
                        action='append', help='default: both')
    parser.add_argument('-i', '--include', action='append', metavar='CASE',
                        help='case id or glob to run (repeatable)')
    parser.add_argument('-x', '--exclude', action='append', metavar='CASE',
                        help="case id or glob to leave out (repeatable; "
                        "default 9.* 12.* 13.*; 'none' for none)")
    args = parser.parse_args()
    exclude = args.exclude or EXCLUDE
    if exclude == ['none']:
        exclude = None
    failed = 0
    for runtime in args.runtime or ('cpython', 'micropython'):
        failed += run(runtime, args.include, exclude)
    # kosoku's runtime may still hold threads: leave without finalizing
    os._exit(1 if failed else 0)


if __name__ == '__main__':
    main()
