"""microdot.wsgi under a real gunicorn, with sync workers and with gthread
workers (threads, each with its own event loop): the same HTTP checks as
under uvicorn, plus shutdown and the development server of ``app.run()``."""
import os
import subprocess
import sys
import tempfile
import threading

import requests

import gateway_checks as checks
from e2e_helpers import ROOT, T, free_port
from gateway_helpers import ModuleServer, gunicorn, serve, wait_until

RUNTIMES = ('cpython',)

sync = ModuleServer(gunicorn)
gthread = ModuleServer(gunicorn, '--worker-class', 'gthread', '--threads', '4')


def setup_module(module):
    sync.start()
    gthread.start()


def teardown_module(module):
    gthread.stop()
    sync.stop()


def both(check):
    for url in (sync.url, gthread.url):
        check(url)


def test_get():
    both(checks.check_get)


def test_post_json():
    both(checks.check_post_json)


def test_streamed_response_arrives_in_pieces():
    both(checks.check_streamed_in_pieces)


def test_large_body_in_request_stream():
    both(checks.check_large_body_streamed)


def test_too_large_body_413():
    both(checks.check_too_large)


def test_head_has_no_body():
    both(checks.check_head)


def test_cookies_and_errors():
    both(checks.check_cookies_and_errors)


def test_client_gone_stops_streamed_body():
    both(checks.check_disconnect_stops_stream)


def test_gthread_requests_at_once():
    # requests in several threads of one worker at once, each thread
    # running the app in its own event loop
    results = []

    def get(i):
        res = requests.get(gthread.url + '/info?a=%d' % i, timeout=T)
        results.append(res.json()['args'])

    threads = [threading.Thread(target=get, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(T)
    assert sorted(results) == [[str(i)] for i in range(8)]


def test_app_shutdown_stops_gunicorn():
    with gunicorn() as server:
        assert requests.get(server.url + '/shutdown', timeout=T).text == 'bye'
        wait_until(lambda: server.proc.poll() is not None,
                   'gunicorn to exit')
        assert server.proc.returncode == 0


def test_run_serves_with_the_development_server():
    # app.run() uses the standard library's wsgiref server
    script = os.path.join(tempfile.mkdtemp(prefix='mdgw-'), 'run_app.py')
    with open(script, 'w') as f:
        f.write('import sys\n'
                'sys.path.insert(0, %r)\n'
                'from gateway_app import wsgi_app\n'
                'wsgi_app.run(host="127.0.0.1", port=int(sys.argv[1]))\n'
                % os.path.join(ROOT, 'tests', 'apps'))
    port = free_port()
    with serve([sys.executable, script, str(port)], port) as server:
        checks.check_get(server.url)
        # wsgiref's input is the socket: the body must be read to its
        # length and no further, or the request would hang
        checks.check_post_json(server.url)
        res = requests.post(server.url + '/upload', data=b'u' * 100000,
                            timeout=T)
        assert res.json()['length'] == 100000
        res = requests.get(server.url + '/sync-stream', timeout=T)
        assert res.text == 'line 0\nline 1\nline 2\n'
        assert requests.get(server.url + '/shutdown', timeout=T).text == \
            'bye'
        try:
            server.proc.wait(T)
        except subprocess.TimeoutExpired:
            raise AssertionError('app.run() did not return after shutdown')
        assert server.proc.returncode == 0
