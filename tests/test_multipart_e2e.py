"""End-to-end: a 10 MB upload, sent by requests and by curl, passes through
tests/apps/upload_app.py running under MicroPython with a device-sized
heap (the framework compiled to .mpy, as on a board) and under CPython; the
saved file's sha256 matches, and a malformed body gets 400 while the server
keeps serving."""
RUNTIMES = ('cpython',)  # drives micropython subprocesses

import hashlib
import os
import sys

import requests

import support
from e2e_helpers import ROOT, curl, free_port, interpreter, launch

sys.path.insert(0, os.path.join(ROOT, 'tools'))
import build_mpy  # noqa: E402

APP = os.path.join(ROOT, 'tests', 'apps', 'upload_app.py')
# the interpreter, the core and multipart take about 72 KB of the heap on
# the unix port before the first request; a 10 MB upload went through with
# 96k, but below 128k the heap is so tight that fragmentation now and then
# makes a request answer 503 (MemoryError) instead of its status
HEAP = os.environ.get('MP_UPLOAD_HEAP', '128k')
SIZE = 10 * 1024 * 1024
T = 120  # seconds for one 10 MB upload


def _big_file(folder):
    path = os.path.join(folder, 'big.bin')
    digest = hashlib.sha256()
    with open(path, 'wb') as f:
        for _ in range(SIZE // 65536):
            block = os.urandom(65536)
            digest.update(block)
            f.write(block)
    return path, digest.hexdigest()


def _sha(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(65536), b''):
            digest.update(block)
    return digest.hexdigest()


def _servers():
    """(label, command, env) for MicroPython with a small heap and the
    framework as .mpy files, and for CPython."""
    build = support.tmpdir()
    build_mpy.build(build, list(build_mpy.CORE) + ['multipart'])
    env = dict(os.environ, MICROPYPATH=build + ':.frozen')
    return [('micropython heap ' + HEAP,
             [interpreter('micropython'), '-X', 'heapsize=' + HEAP, APP],
             env),
            ('cpython', [interpreter('cpython'), APP], None)]


def test_10mb_upload_through_a_small_heap_server():
    source, want = _big_file(support.tmpdir())
    for label, cmd, env in _servers():
        folder = support.tmpdir()
        port = free_port()
        with launch(cmd + [str(port), folder], port, label, env=env):
            url = 'http://127.0.0.1:%d' % port
            try:
                # requests: with_form_data (a temporary copy, then moved)
                with open(source, 'rb') as f:
                    r = requests.post(url + '/upload', data={'name': 'x'},
                                      files={'doc': ('big.bin', f)},
                                      timeout=T)
                assert r.status_code == 200, r.text
                assert r.json() == {'form': {'name': 'x'}, 'files': [
                    ['doc', 'big.bin', 'application/octet-stream', SIZE]]}
                assert _sha(os.path.join(folder, 'doc-big.bin')) == want
                # curl: FormDataIter, straight from the socket to the file
                out = curl('--max-time', str(T), '-F', 'name=y', '-F',
                           'doc=@%s;filename=../../c.bin' % source,
                           url + '/stream')
                assert requests.compat.json.loads(out)['files'] == [
                    ['doc', 'c.bin', 'application/octet-stream', SIZE]]
                assert _sha(os.path.join(folder, 'doc-c.bin')) == want
                # no temporary file left behind
                assert sorted(os.listdir(folder)) == ['doc-big.bin',
                                                      'doc-c.bin']
                r = requests.get(url + '/mem', timeout=10)
                print(label, 'heap after two 10 MB uploads:', r.json())
                assert requests.get(url + '/', timeout=10).text == 'ok'
            except Exception as exc:
                raise AssertionError('[%s] %s: %s' % (
                    label, type(exc).__name__, exc)) from exc


def test_malformed_upload_is_400_and_server_goes_on():
    for label, cmd, env in _servers():
        port = free_port()
        with launch(cmd + [str(port), support.tmpdir()], port, label,
                    env=env):
            url = 'http://127.0.0.1:%d' % port
            for body in (b'--b\r\nContent-Disposition: form-data\r\n\r\n'
                         b'x\r\n--b--\r\n',  # no name
                         b'--b\r\nContent-Disposition: form-data; name="a"'
                         b'\r\n\r\n' + b'x' * 1000,  # truncated
                         b'--bXContent-Disposition: form-data; name="a"'
                         b'\r\n\r\nx\r\n--b--\r\n'):  # no CRLF
                r = requests.post(url + '/upload', data=body, timeout=10,
                                  headers={'Content-Type':
                                           'multipart/form-data; boundary=b'})
                assert r.status_code == 400, (label, r.status_code)
            assert requests.get(url + '/', timeout=10).text == 'ok'
