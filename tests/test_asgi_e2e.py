"""microdot.asgi under a real uvicorn: HTTP requests and responses
(streamed ones too), body limits, lifespan and shutdown. The WebSocket side
is in test_asgi_websocket.py."""
import os
import tempfile

import requests

import gateway_checks as checks
from e2e_helpers import T
from gateway_helpers import ModuleServer, uvicorn, wait_until

RUNTIMES = ('cpython',)

shared = ModuleServer(uvicorn)


def setup_module(module):
    shared.start()


def teardown_module(module):
    shared.stop()


def test_get():
    checks.check_get(shared.url)


def test_post_json():
    checks.check_post_json(shared.url)


def test_streamed_response_arrives_in_pieces():
    checks.check_streamed_in_pieces(shared.url)


def test_large_body_in_request_stream():
    checks.check_large_body_streamed(shared.url)


def test_too_large_body_413():
    checks.check_too_large(shared.url)


def test_head_has_no_body():
    checks.check_head(shared.url)


def test_cookies_and_errors():
    checks.check_cookies_and_errors(shared.url)


def test_client_gone_stops_streamed_body():
    checks.check_disconnect_stops_stream(shared.url)


def test_lifespan_startup_and_shutdown():
    log = os.path.join(tempfile.mkdtemp(prefix='mdgw-'), 'lifespan.log')
    with uvicorn(env={'GATEWAY_LOG': log}) as server:
        res = requests.get(server.url + '/lifespan', timeout=T)
        assert res.json() == {'started': True}
        assert open(log).read() == 'startup lifespan\n'
        # a graceful stop; uvicorn re-raises the SIGTERM once it is done
        assert server.stop() in (0, -15)
    assert open(log).read() == 'startup lifespan\nshutdown lifespan\n'


def test_app_shutdown_stops_the_server():
    log = os.path.join(tempfile.mkdtemp(prefix='mdgw-'), 'lifespan.log')
    with uvicorn(env={'GATEWAY_LOG': log}) as server:
        res = requests.get(server.url + '/shutdown', timeout=T)
        assert res.text == 'bye'
        wait_until(lambda: server.proc.poll() is not None,
                   'uvicorn to exit')
        assert server.proc.returncode in (0, -15)
    assert open(log).read().endswith('shutdown lifespan\n')


def test_root_path():
    # behind a proxy that serves the app under /api and strips the prefix:
    # uvicorn puts it back into the scope's path, the app routes without it
    with uvicorn('--root-path', '/api') as server:
        res = requests.get(server.url + '/info?a=2', timeout=T)
        assert res.status_code == 200
        assert res.json()['path'] == '/info'
        assert res.json()['url'] == '/info?a=2'
        assert res.json()['args'] == ['2']
