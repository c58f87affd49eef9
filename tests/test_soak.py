"""A few seconds of tools/soak.py on each runtime (the 60-second run is
recorded in docs/hardening.md): wrk with keep-alive, then with a new
connection per request, answered without an error, and the server's heap
(and RSS on CPython) back to its baseline afterwards."""
RUNTIMES = ('cpython',)  # drives subprocess servers and wrk

import os
import shutil
import sys

import support
from e2e_helpers import ROOT

sys.path.insert(0, os.path.join(ROOT, 'tools'))
import soak  # noqa: E402

if not shutil.which('wrk'):
    support.skip('wrk is not installed (tools/setup.sh)')


def _soak(close):
    for runtime in soak.RUNTIMES:
        r = soak.soak(runtime, duration=3, close=close)
        print(soak.report(r))
        assert r['requests'] > 0 and not r['errors'], r
        assert r['flat'], soak.report(r)


def test_soak_keep_alive():
    _soak(False)


def test_soak_connection_close():
    _soak(True)
