"""Helpers for the CPython-driven attack tests (tests/test_security_*.py):
tests/apps/security_app.py served under each runtime, with a static root
that has a secret file just outside it, and a raw-socket exchange."""
import contextlib
import os
import secrets
import shutil
import socket
import tempfile

from e2e_helpers import ROOT, T, free_port, interpreter, launch

APP = os.path.join(ROOT, 'tests', 'apps', 'security_app.py')
SECRET = secrets.token_urlsafe(32)  # a fresh random key per run
OUTSIDE = b'TOP-SECRET-OUTSIDE-THE-ROOT'


@contextlib.contextmanager
def static_site():
    """A directory holding ``www/`` (the static root: index.html,
    css/site.css) and ``secret.txt`` next to it; yield the root's path."""
    base = tempfile.mkdtemp(prefix='mdsec-')
    try:
        os.makedirs(os.path.join(base, 'www', 'css'))
        for name, data in (('www/index.html', b'<h1>home</h1>'),
                           ('www/css/site.css', b'body{}'),
                           ('secret.txt', OUTSIDE)):
            with open(os.path.join(base, name), 'wb') as f:
                f.write(data)
        yield os.path.join(base, 'www')
    finally:
        shutil.rmtree(base)


@contextlib.contextmanager
def security_server(runtime, root, secret=SECRET):
    port = free_port()
    with launch([interpreter(runtime), APP, str(port), root, secret], port,
                runtime) as port:
        yield port


def each_runtime(check, secret=SECRET):
    """Call ``check(port, root)`` against the app on each runtime."""
    with static_site() as root:
        for runtime in ('cpython', 'micropython'):
            with security_server(runtime, root, secret) as port:
                try:
                    check(port, root)
                except Exception as exc:
                    raise AssertionError('[%s] %s: %s' % (
                        runtime, type(exc).__name__, exc)) from exc


def exchange(port, raw):
    """Send ``raw`` bytes, read until the server closes: all it sent."""
    with socket.create_connection(('127.0.0.1', port), T) as s:
        s.sendall(raw)
        data = b''
        while True:
            try:
                chunk = s.recv(4096)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
    return data


def parse(data):
    """``(status, headers, body)`` of the one response in ``data`` (a whole
    exchange on a ``Connection: close`` request), parsed by h11 as a client
    would; anything after it (a split response) fails the test."""
    import h11
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method='GET', target='/', headers=[('Host', 'x')]))
    conn.send(h11.EndOfMessage())
    conn.receive_data(data)
    conn.receive_data(b'')
    head, body = None, b''
    while True:
        event = conn.next_event()
        if isinstance(event, h11.Response):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            break
        else:
            raise AssertionError('incomplete response: %r' % (data,))
    extra = conn.trailing_data[0]
    assert not extra, 'more after the response: %r' % (extra,)
    headers = {}
    for name, value in head.headers:
        headers.setdefault(name.decode(), []).append(value.decode())
    return head.status_code, headers, body
