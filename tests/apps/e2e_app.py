"""The app that tests/test_server_e2e.py runs as a subprocess, under CPython
and under MicroPython, and talks to with curl, h11 and requests.

    python tests/apps/e2e_app.py PORT [CERTFILE KEYFILE]
    micropython tests/apps/e2e_app.py PORT [CERTFILE KEYFILE]

With a certificate and key it serves HTTPS. It listens on 127.0.0.1 only.
"""
import sys
import time


def _repo_root():
    path = globals().get('__file__') or sys.argv[0]
    for _ in range(3):  # .../tests/apps/e2e_app.py -> the repository
        i = path.rfind('/')
        path = path[:i] if i > 0 else '.'
    return path


sys.path.insert(0, _repo_root() + '/microdot_src')

from microdot import Microdot, Response  # noqa: E402

app = Microdot()


@app.route('/')
async def index(req):
    return 'hello'


@app.route('/q')
async def query(req):
    return req.args.get('n') or ''


@app.route('/echo', methods=['POST'])
async def echo(req):
    return req.body


@app.route('/json', methods=['POST'])
async def json_echo(req):
    return {'got': req.json, 'runtime': sys.implementation.name}


@app.route('/stream')
async def stream(req):
    def gen():
        for part in (b'one,', b'two,', b'three'):
            yield part
    return Response(gen())


@app.route('/sleep')
def sleep(req):
    # a plain def: on CPython it runs in a worker thread, so it must not
    # stall the event loop (on MicroPython it runs inline)
    time.sleep(0.5)
    return 'slept'


@app.route('/fast')
async def fast(req):
    return 'fast'


def main():
    port = int(sys.argv[1])
    ctx = None
    if len(sys.argv) > 3:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    app.run(host='127.0.0.1', port=port, ssl=ctx)


if __name__ == '__main__':
    main()
