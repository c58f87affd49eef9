"""The app that tests/test_multipart_e2e.py runs as a subprocess, under
CPython and under MicroPython (with a device-sized heap), for uploads sent
by requests and curl.

    python tests/apps/upload_app.py PORT DIR
    micropython -X heapsize=64k tests/apps/upload_app.py PORT DIR

Files are saved in DIR, the folder of the temporary copies too.
"""
import gc
import os
import sys


def _repo_root():
    path = globals().get('__file__') or sys.argv[0]
    for _ in range(3):  # .../tests/apps/upload_app.py -> the repository
        i = path.rfind('/')
        path = path[:i] if i > 0 else '.'
    return path


# appended: a build of .mpy files in MICROPYPATH comes first
sys.path.append(_repo_root() + '/microdot_src')

from microdot import Microdot, Request  # noqa: E402
from microdot.multipart import FileUpload, FormDataIter, \
    with_form_data  # noqa: E402

Request.max_content_length = 16 * 1024 * 1024  # uploads up to 16 MB
DIR = sys.argv[2] if len(sys.argv) > 2 else '.'
FileUpload.tmp_dir = DIR
app = Microdot()


def _saved(field, upload, path):
    return [field, upload.filename, upload.content_type, os.stat(path)[6]]


@app.post('/upload')
@with_form_data
async def upload(request):
    files = []
    for field in request.files:
        for f in request.files.getlist(field):
            path = DIR + '/' + field + '-' + f.filename
            await f.save(path)
            files.append(_saved(field, f, path))
    return {'form': request.form.to_dict(), 'files': files}


@app.post('/stream')
async def stream(request):
    # no copies: each file goes straight from the socket to its file
    form = {}
    files = []
    async for field, value in FormDataIter(request):
        if isinstance(value, FileUpload):
            path = DIR + '/' + field + '-' + value.filename
            await value.save(path)
            files.append(_saved(field, value, path))
        else:
            form[field] = value
    return {'form': form, 'files': files}


@app.get('/mem')
async def mem(request):
    gc.collect()
    if hasattr(gc, 'mem_free'):
        return {'free': gc.mem_free(), 'alloc': gc.mem_alloc()}
    return {}


@app.get('/')
async def index(request):
    return 'ok'


if __name__ == '__main__':
    app.run(host='127.0.0.1', port=int(sys.argv[1]))
