"""End-to-end: tests/apps/e2e_app.py runs as a subprocess under CPython and
MicroPython; curl, h11 (framing) and requests talk to it on 127.0.0.1. Each
test loops over both runtimes and a failure names the runtime."""
RUNTIMES = ('cpython',)

import json
import os
import socket
import subprocess
import tempfile
import time

import h11
import pytest
import requests

from e2e_helpers import T, curl, each_runtime, head_of, server


def test_curl_status_headers_and_http10():
    def check(port):
        url = 'http://127.0.0.1:%d/' % port
        line, h, body = head_of(curl('-i', url))
        assert (line, h['content-length'], body) == ('HTTP/1.1 200 OK', '5',
                                                     b'hello')
        assert h['content-type'].startswith('text/plain')
        line, h, body = head_of(curl('-i', '--http1.0', url + 'stream'))
        assert line.startswith('HTTP/1.0 200') and body == b'one,two,three'
        assert 'transfer-encoding' not in h
        assert curl('-o', '/dev/null', '-w', '%{http_code}',
                    url + 'nope') == b'404'
    each_runtime(check)


def test_curl_reuses_keep_alive_connection():
    def check(port):
        url = 'http://127.0.0.1:%d/' % port
        out = curl('-o', '/dev/null', '-o', '/dev/null', '-w',
                   '%{num_connects} ', url, url + 'q?n=1')
        assert out.split() == [b'1', b'0'], out  # the 2nd reused the 1st
    each_runtime(check)


def test_curl_chunked_upload():
    data = b'x' * 3000 + b'end'

    def check(port):
        out = curl('-i', '-H', 'Transfer-Encoding: chunked', '--data-binary',
                   '@-', 'http://127.0.0.1:%d/echo' % port, stdin=data)
        line, h, body = head_of(out)
        assert line == 'HTTP/1.1 200 OK' and body == data
        assert h['content-length'] == str(len(data))
    each_runtime(check)


def test_requests_json_round_trip():
    def check(port):
        data = {'a': [1, 2, {'b': 'é'}], 'n': None, 't': True}
        r = requests.post('http://127.0.0.1:%d/json' % port, json=data,
                          timeout=T)
        assert (r.status_code, r.json()['got']) == (200, data)
    each_runtime(check)


class H11:
    """A raw socket driven by an h11 client connection."""

    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), T)
        self.conn = h11.Connection(our_role=h11.CLIENT)

    def request(self, method, target, body=b'', wire=True):
        """Send a request (wire=False: only tell h11 it was sent)."""
        headers = [('Host', 'localhost')]
        if body:
            headers.append(('Content-Length', str(len(body))))
        data = self.conn.send(h11.Request(method=method, target=target,
                                          headers=headers))
        data += self.conn.send(h11.Data(data=body)) if body else b''
        data += self.conn.send(h11.EndOfMessage())
        if wire:
            self.sock.sendall(data)

    def event(self):
        while True:
            ev = self.conn.next_event()
            if ev is not h11.NEED_DATA:
                return ev
            self.conn.receive_data(self.sock.recv(65536))

    def response(self):
        """(h11.Response, body, number of Data events)."""
        res = self.event()
        assert isinstance(res, h11.Response), res
        parts = []
        while True:
            ev = self.event()
            if isinstance(ev, h11.EndOfMessage):
                break
            assert isinstance(ev, h11.Data), ev
            parts.append(ev.data)
        if self.conn.our_state is h11.DONE and \
                self.conn.their_state is h11.DONE:
            self.conn.start_next_cycle()
        return res, b''.join(parts), len(parts)

    def closed(self):
        """True when the server ended the connection after the response."""
        if self.conn.their_state is not h11.MUST_CLOSE:
            return False
        try:
            return isinstance(self.event(), h11.ConnectionClosed)
        except ConnectionResetError:
            return True


def test_h11_framing_keep_alive_and_head():
    def check(port):
        c = H11(port)
        c.request('GET', '/')
        res, body, _ = c.response()
        assert (res.status_code, body) == (200, b'hello')
        assert dict(res.headers)[b'content-length'] == b'5'
        c.request('GET', '/stream')
        res, body, n = c.response()
        assert (res.status_code, body) == (200, b'one,two,three')
        assert dict(res.headers)[b'transfer-encoding'] == b'chunked' and n >= 1
        c.request('POST', '/echo', b'ping')
        res, body, _ = c.response()
        assert (res.status_code, body) == (200, b'ping')
        c.request('HEAD', '/')
        res, body, _ = c.response()
        assert (res.status_code, body) == (200, b'')
        assert dict(res.headers)[b'content-length'] == b'5'
        c.request('GET', '/q?n=after-head')  # no stray body bytes in between
        assert c.response()[1] == b'after-head'
        c.sock.close()
    each_runtime(check)


def test_h11_expect_100_continue():
    def check(port):
        c = H11(port)
        c.sock.sendall(c.conn.send(h11.Request(
            method='POST', target='/echo', headers=[
                ('Host', 'x'), ('Content-Length', '4'),
                ('Expect', '100-continue')])))
        ev = c.event()  # bounded by the socket timeout
        assert isinstance(ev, h11.InformationalResponse), ev
        c.sock.sendall(c.conn.send(h11.Data(data=b'body')) +
                       c.conn.send(h11.EndOfMessage()))
        res, body, _ = c.response()
        assert (res.status_code, body) == (200, b'body')
        c.sock.close()
    each_runtime(check)


def test_h11_pipelining():
    def check(port):
        c = H11(port)
        wire = b''.join(h11.Connection(h11.CLIENT).send(h11.Request(
            method='GET', target='/q?n=%d' % i, headers=[('Host', 'x')]))
            for i in range(3))
        c.sock.sendall(wire)  # all three at once, then read in order
        for i in range(3):
            c.request('GET', '/q?n=%d' % i, wire=False)
            res, body, _ = c.response()
            assert (res.status_code, body) == (200, str(i).encode())
        c.sock.close()
    each_runtime(check)


BAD = (
    (400, b'GET /\r\n\r\n'),
    (400, b'GET / HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n'),
    # HTTP/1.1 without Host (RFC 9112, section 3.2)
    (400, b'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n'),
    # bare LF: refused at once, not 408 after the header timeout
    (400, b'GET / HTTP/1.1\nHost: x\n\n'),
    (400, b'GET / HTTP/1.1\r\nHost: x\n\r\n'),
    (413, b'POST /echo HTTP/1.1\r\nHost: x\r\n'
          b'Content-Length: 999999999\r\n\r\n'),
    (414, b'GET /' + b'a' * 9000 + b' HTTP/1.1\r\nHost: x\r\n\r\n'),
    (431, b'GET / HTTP/1.1\r\nHost: x\r\nX-A: ' + b'a' * 9000 + b'\r\n\r\n'),
    (501, b'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: br\r\n\r\n'),
)


def test_h11_error_responses_close_the_connection():
    def check(port):
        for status, raw in BAD:
            c = H11(port)
            c.sock.sendall(raw)
            c.request('GET', '/', wire=False)
            res, body, _ = c.response()
            assert res.status_code == status, (raw[:40], res)
            assert c.closed(), raw[:40]
            c.sock.close()
        c = H11(port)  # and the server goes on
        c.request('GET', '/')
        assert c.response()[1] == b'hello'
    each_runtime(check)


def recv_until(sock, tail):
    data = b''
    while not data.endswith(tail):
        chunk = sock.recv(4096)
        assert chunk, data
        data += chunk


def test_sync_handler_does_not_block_the_loop_cpython():
    with server('cpython') as port:
        slow = socket.create_connection(('127.0.0.1', port), T)
        slow.sendall(b'GET /sleep HTTP/1.1\r\nHost: x\r\n\r\n')
        time.sleep(0.1)  # let the server start the 0.5 s sleep
        fast = socket.create_connection(('127.0.0.1', port), T)
        fast.sendall(b'GET /fast HTTP/1.1\r\nHost: x\r\n\r\n')
        recv_until(fast, b'fast')
        slow.setblocking(False)
        try:  # the sleeping request has not been answered yet
            assert slow.recv(4096) == b'', 'the slow one answered first'
        except BlockingIOError:
            pass
        slow.settimeout(T)
        recv_until(slow, b'slept')
        slow.close()
        fast.close()


def test_tls_with_curl():
    with tempfile.TemporaryDirectory(prefix='mdtest-tls-') as tmp:
        key, cert = os.path.join(tmp, 'key.pem'), os.path.join(tmp, 'cert.pem')
        for cmd in (['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj',
                     '/CN=localhost', '-days', '1', '-keyout', key, '-out',
                     cert],
                    # the unix port's mbedTLS refuses PEM keys ('invalid
                    # key') but loads DER
                    ['rsa', '-in', key, '-outform', 'DER', '-out',
                     key + '.der'],
                    ['x509', '-in', cert, '-outform', 'DER', '-out',
                     cert + '.der']):
            subprocess.run(['openssl'] + cmd, check=True, capture_output=True,
                           timeout=60)
        for runtime, ext in (('cpython', ''), ('micropython', '.der')):
            try:
                with server(runtime, cert + ext, key + ext) as port:
                    url = 'https://127.0.0.1:%d/' % port
                    line, h, body = head_of(curl('-k', '-i', url))
                    assert (line, body) == ('HTTP/1.1 200 OK', b'hello')
                    out = curl('-k', '-H', 'Content-Type: application/json',
                               '--data', '{"x": 1}', url + 'json')
                    assert json.loads(out) == {'got': {'x': 1},
                                               'runtime': runtime}
            except AssertionError as exc:
                if runtime == 'micropython' and 'invalid key' in str(exc):
                    pytest.skip('the MicroPython unix port cannot load the '
                                'TLS key: %s' % exc)
                raise AssertionError('[%s] %s' % (runtime, exc)) from exc
