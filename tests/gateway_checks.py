"""HTTP checks that tests/test_asgi_e2e.py runs against uvicorn and
tests/test_wsgi_e2e.py against gunicorn, both serving
tests/apps/gateway_app.py: the same app must behave the same under both.
Each check takes the server's base URL."""
import os
import socket
import tempfile

import h11
import httpx
import requests

from e2e_helpers import T
from gateway_helpers import read_until, wait_until


def check_get(url):
    res = requests.get(url + '/info?a=1&a=%20x%2F', timeout=T,
                       headers={'X-Thing': 'yes', 'Cookie': 'k=v; w=z'})
    assert res.status_code == 200
    assert res.headers['Content-Type'] == 'application/json; charset=UTF-8'
    got = res.json()
    assert got['method'] == 'GET'
    assert got['path'] == '/info'
    assert got['url'] == '/info?a=1&a=%20x%2F'
    assert got['args'] == ['1', ' x/']
    assert got['x'] == 'yes'
    assert got['cookies'] == {'k': 'v', 'w': 'z'}
    assert got['scheme'] == 'http'
    assert got['client'][0] == '127.0.0.1'
    assert requests.get(url + '/', timeout=T).text == 'hello'
    assert requests.get(url + '/nowhere', timeout=T).status_code == 404
    res = requests.post(url + '/', timeout=T)
    assert res.status_code == 405
    assert 'GET' in res.headers['Allow']


def check_post_json(url):
    res = httpx.post(url + '/json', json={'a': [1, 'é']}, timeout=T)
    assert res.status_code == 201
    assert res.json() == {'got': {'a': [1, 'é']}, 'type': 'application/json'}
    res = httpx.post(url + '/json', content=b'{not json',
                     headers={'Content-Type': 'application/json'}, timeout=T)
    assert res.status_code == 400


def check_streamed_in_pieces(url):
    # the app makes the second piece only once this test has created the
    # flag file, which it does only after the first piece has arrived: so
    # the pieces cannot have been sent together
    flag = os.path.join(tempfile.mkdtemp(prefix='mdgw-'), 'flag')
    with httpx.stream('GET', url + '/stream', params={'flag': flag},
                      timeout=T) as res:
        assert res.status_code == 200
        assert res.headers['Content-Type'] == 'text/plain'
        assert 'Content-Length' not in res.headers
        pieces = res.iter_bytes()
        got = read_until(pieces, b'first\n')
        open(flag, 'w').close()
        got += b''.join(pieces)
    assert got == b'first\nsecond\nlast\n'
    res = requests.get(url + '/sync-stream', timeout=T)
    assert res.text == 'line 0\nline 1\nline 2\n'


def check_large_body_streamed(url):
    # over max_body_length (1 KB): left in request.stream, read in pieces
    body = os.urandom(200 * 1024)
    res = requests.post(url + '/upload', data=body, timeout=T)
    assert res.status_code == 200
    assert res.json()['length'] == len(body)
    assert res.json()['in_body'] == 0
    # a small body is in request.body, and the stream gives it too
    res = requests.post(url + '/upload', data=b'x' * 100, timeout=T)
    assert res.json() == {'length': 100, 'in_body': 100, 'pieces': 1}
    # sent chunked (no Content-Length): the server de-chunks it
    res = requests.post(url + '/upload', data=iter([b'a' * 700, b'b' * 700]),
                        timeout=T)
    assert res.status_code == 200
    assert res.json()['length'] == 1400


def check_too_large(url):
    # over max_content_length (256 KB): 413 without reading it
    res = requests.post(url + '/upload', data=b'x' * (300 * 1024),
                        timeout=T)
    assert res.status_code == 413
    # sent chunked: the limit holds too
    res = requests.post(url + '/upload', timeout=T,
                        data=iter([b'y' * (64 * 1024)] * 6))
    assert res.status_code == 413
    assert requests.get(url + '/', timeout=T).text == 'hello'


def check_head(url):
    # h11 on a raw socket: a HEAD answer must carry no body at all
    with socket.create_connection(('127.0.0.1', int(url.rsplit(':', 1)[1])),
                                  T) as sock:
        conn = h11.Connection(h11.CLIENT)
        sock.sendall(conn.send(h11.Request(
            method='HEAD', target='/',
            headers=[('Host', 'x'), ('Connection', 'close')])))
        sock.sendall(conn.send(h11.EndOfMessage()))
        events = []
        while not events or type(events[-1]) not in (h11.EndOfMessage,
                                                     h11.ConnectionClosed):
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(sock.recv(65536))
            else:
                events.append(event)
    assert events[0].status_code == 200
    assert dict(events[0].headers)[b'content-length'] == b'5'
    assert not [e for e in events if isinstance(e, h11.Data)]


def check_cookies_and_errors(url):
    res = requests.get(url + '/cookies', timeout=T)
    assert res.cookies.get('a') == '1' and res.cookies.get('b') == '2'
    raw = res.raw.headers.getlist('Set-Cookie')
    assert raw == ['a=1', 'b=2; HttpOnly']
    res = requests.get(url + '/boom', timeout=T)
    assert res.status_code == 500
    # a header holding CR/LF is never sent: 500 instead
    res = requests.get(url + '/bad-header', timeout=T)
    assert res.status_code == 500
    assert 'Injected' not in res.headers


def check_disconnect_stops_stream(url):
    before = requests.get(url + '/closed', timeout=T).json()['closed']
    with httpx.stream('GET', url + '/endless', timeout=T) as res:
        read_until(res.iter_bytes(), b'tick\ntick\n')
    # the client is gone: the endless body must be closed by the server
    wait_until(lambda: requests.get(url + '/closed', timeout=T)
               .json()['closed'] > before, 'the endless body to be closed')


ALL = (check_get, check_post_json, check_streamed_in_pieces,
       check_large_body_streamed, check_too_large, check_head,
       check_cookies_and_errors, check_disconnect_stops_stream)
