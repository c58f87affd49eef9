"""The Redis nonce store against a real redis-server (started here on a
free 127.0.0.1 port, nothing saved to disk, always killed): a signed call
replayed to another uvicorn process, or to the other worker of a
two-worker uvicorn, is refused; with the in-memory store it would not be
(the control that shows the test can tell)."""
import contextlib
import http.client
import os
import shutil
import subprocess
import sys
import time

import support
from e2e_helpers import ROOT, T, free_port, launch
from microdot.action_signing import call_body, sign, unix_time

RUNTIMES = ('cpython',)
SECRET = 'shared-by-the-workers-32-bytes!!'
APPS = os.path.join(ROOT, 'tests', 'apps')

try:
    import redis
except ImportError:  # pragma: no cover
    redis = None


@contextlib.contextmanager
def redis_server():
    if redis is None or not shutil.which('redis-server'):
        support.skip('redis-server and the redis package are needed '
                     '(tools/setup.sh installs them)')
    port = free_port()
    proc = subprocess.Popen(['redis-server', '--port', str(port), '--bind',
                             '127.0.0.1', '--save', '', '--appendonly', 'no'],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = 'redis://127.0.0.1:%d/0' % port
    try:
        client = redis.Redis.from_url(url, socket_timeout=2)
        deadline = time.monotonic() + T
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError('redis-server did not start')
                time.sleep(0.05)
        yield url, client
    finally:
        proc.kill()
        proc.wait(T)


def uvicorn(env, *options):
    port = free_port()
    env = dict(os.environ, ACTIONS_SECRET=SECRET, **env)
    return launch([sys.executable, '-m', 'uvicorn', '--app-dir', APPS,
                   '--host', '127.0.0.1', '--port', str(port),
                   '--log-level', 'warning'] + list(options) +
                  ['actions_asgi_app:app'], port, 'uvicorn', env=env)


def post(port, body, headers):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=T)
    try:
        h = {'Content-Type': 'application/json'}
        h.update(headers)
        conn.request('POST', '/_actions', body, h)
        res = conn.getresponse()
        return res.status, res.getheader('X-Worker-Pid'), res.read()
    finally:
        conn.close()


def test_store_against_redis():
    from microdot.actions_redis import RedisNonceStore
    with redis_server() as (url, client):
        store = RedisNonceStore(url, prefix='t:')
        now = unix_time()
        assert store.add_sync('n1', now + 60) is True
        assert store.add_sync('n1', now + 60) is False
        assert 55 <= client.ttl('t:n1') <= 60
        assert support.run(store.add('n2', now + 60)) is True
        assert support.run(store.add('n2', now + 60)) is False
        assert store.add_sync('old', now - 5) is True  # gone at once
        assert client.exists('t:old') == 0
        other = RedisNonceStore(client=client)  # another prefix
        assert other.add_sync('n1', now + 60) is True


def test_replay_to_another_uvicorn_process_is_refused():
    with redis_server() as (url, client):
        env = {'REDIS_URL': url}
        with uvicorn(env) as a, uvicorn(env) as b:
            body = call_body('Worker.pid')
            headers = sign(SECRET, body)
            status, pid_a, data = post(a, body, headers)
            assert status == 200, data
            status, pid_b, data = post(b, body, headers)
            assert pid_a != pid_b
            assert status == 403 and b'replayed' in data, data
            assert post(a, body, headers)[0] == 403
            # a fresh call goes through on either
            assert post(b, body, sign(SECRET, body))[0] == 200
        assert len(client.keys('microdot:action-nonce:*')) == 2


def replays_across_workers(env):
    """Send a signed call to a two-worker uvicorn, then replay it until a
    worker other than the one that accepted it answers; return the
    statuses of the replays."""
    with uvicorn(env, '--workers', '2') as port:
        body = call_body('Worker.pid')
        headers = sign(SECRET, body)
        status, first, data = None, None, b''
        for _ in range(100):  # until both workers are up
            status, first, data = post(port, body, headers)
            if status == 200:
                break
            headers = sign(SECRET, body)
            time.sleep(0.05)
        assert status == 200, data
        statuses = []
        for _ in range(300):
            status, pid, data = post(port, body, headers)
            statuses.append(status)
            if pid != first:
                return statuses
        raise AssertionError('the second worker never answered')


def test_replay_to_the_other_worker_is_refused():
    with redis_server() as (url, client):
        statuses = replays_across_workers({'REDIS_URL': url})
        assert set(statuses) == {403}
    # the control: each worker remembers only its own nonces
    statuses = replays_across_workers({})
    assert statuses[-1] == 200
