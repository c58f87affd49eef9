"""End-to-end: tests/apps/sse_app.py runs as a subprocess under CPython and
MicroPython, and httpx-sse, an independent client, reads its event streams:
names, ids, JSON and multi-line data, retry, resuming with Last-Event-ID,
and a client that leaves ends its stream while the server goes on."""
RUNTIMES = ('cpython',)

import os
import time

import httpx
from httpx_sse import connect_sse

from e2e_helpers import ROOT, T, free_port, interpreter, launch

APP = os.path.join(ROOT, 'tests', 'apps', 'sse_app.py')


def each_runtime(check):
    for runtime in ('cpython', 'micropython'):
        port = free_port()
        with launch([interpreter(runtime), APP, str(port)], port, runtime):
            try:
                check('http://127.0.0.1:%d' % port)
            except Exception as exc:
                raise AssertionError('[%s] %s: %s' % (
                    runtime, type(exc).__name__, exc)) from exc


def test_httpx_sse_reads_every_kind_of_event():
    def check(url):
        with httpx.Client(timeout=T) as client:
            with connect_sse(client, 'GET', url + '/events') as source:
                r = source.response
                assert r.headers['content-type'] == 'text/event-stream'
                assert r.headers['cache-control'] == 'no-cache'
                events = list(source.iter_sse())
        counts = [e for e in events if e.event == 'count']
        assert [e.json()['n'] for e in counts] == [0, 1, 2]
        assert [e.id for e in counts] == ['0', '1', '2']
        rt = counts[0].json()['runtime']
        assert rt in ('cpython', 'micropython')
        rest = [(e.event, e.data, e.retry) for e in events[3:]]
        assert rest == [('text', 'two\nlines', None),
                        ('message', 'bytes', 1500),
                        ('message', 'unnamed', None)], rest
    each_runtime(check)


def test_resume_with_last_event_id():
    def check(url):
        with httpx.Client(timeout=T) as client:
            with connect_sse(client, 'GET', url + '/events',
                             headers={'Last-Event-ID': '6'}) as source:
                ids = [e.id for e in source.iter_sse() if e.event == 'count']
        assert ids == ['7', '8', '9']
    each_runtime(check)


def test_client_leaving_ends_the_stream_and_server_goes_on():
    def check(url):
        with httpx.Client(timeout=T) as client:
            for _ in range(3):
                with connect_sse(client, 'GET', url + '/forever') as source:
                    for event in source.iter_sse():
                        if event.data == '3':
                            break
            # the server notices each client left at its next write or
            # keep-alive, cancels the handler and keeps serving
            deadline = time.monotonic() + T
            while True:
                counts = client.get(url + '/streams').json()
                if counts == {'open': 0, 'served': 3} or \
                        time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            assert counts == {'open': 0, 'served': 3}
    each_runtime(check)
