"""Slowloris (slowhttptest, 100 connections that never finish their request
head) against a real server on each runtime, a few seconds of
tools/slowloris.py (its long run is recorded in docs/hardening.md): a
normal client is answered throughout, and afterwards the server's
connections, open files and heap are back to their baseline."""
RUNTIMES = ('cpython',)  # drives subprocess servers and slowhttptest

import os
import shutil
import sys

import support
from e2e_helpers import ROOT

sys.path.insert(0, os.path.join(ROOT, 'tools'))
import slowloris  # noqa: E402

if not shutil.which('slowhttptest'):
    support.skip('slowhttptest is not installed (tools/setup.sh)')

SHORT = ('header_timeout=2', 'idle_timeout=5')


def _attack(*settings):
    for runtime in slowloris.RUNTIMES:
        r = slowloris.attack(runtime, 100, 4, SHORT + settings)
        print(slowloris.report(r))
        assert not r['failures'], r
        assert r['freed'], r
        yield r


def test_slowloris_while_others_are_answered():
    for r in _attack():
        assert set(r['answers']) == {200}, r
        # the attack was real: the server held most of its connections at
        # once (each lives header_timeout seconds)
        assert r['most_connections'] > 50, r


def test_slowloris_against_a_connection_cap():
    # past the cap the normal client is refused with 503 (never left
    # waiting), and answered again as the slow heads time out
    for r in _attack('max_connections=30'):
        assert set(r['answers']) <= {200, 503}, r
        assert r['answers'].get(200), r
