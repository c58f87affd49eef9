"""The hello app with two probes for tools/memreport.py (MicroPython):

- ``GET /gc/begin`` collects, DISABLES the garbage collector and notes
  ``gc.mem_alloc()``;
- ``GET /gc/end`` reports how many bytes were allocated since (nothing was
  freed in between, so that is everything the requests allocated, garbage or
  not), then enables and runs the collector again.

Whatever the probes themselves allocate is measured by a begin/end pair with
no request in between and subtracted by memreport.

    micropython mem_app.py PORT"""
import gc
import sys

from hello import make_app

from microdot import Microdot

app = make_app(Microdot)
mark = [0]


@app.route('/gc/begin')
async def begin(request):
    gc.collect()
    gc.disable()
    mark[0] = gc.mem_alloc()
    return 'ok'


@app.route('/gc/end')
async def end(request):
    allocated = gc.mem_alloc() - mark[0]
    gc.enable()
    gc.collect()
    return {'allocated': allocated, 'free': gc.mem_free()}


if __name__ == '__main__':
    app.run(host='127.0.0.1', port=int(sys.argv[1]))
