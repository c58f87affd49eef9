"""The hello-world app for the device-sized memory check: serves GET / and
reports its heap at GET /mem. Usage: micropython hello_app.py PORT"""
import gc
import sys
from microdot import Microdot

app = Microdot()


@app.get('/')
async def index(request):
    return {'hello': 'world'}


@app.get('/mem')
async def mem(request):
    gc.collect()
    return {'free': gc.mem_free(), 'alloc': gc.mem_alloc()}


if __name__ == '__main__':
    app.run(host='127.0.0.1', port=int(sys.argv[1]), max_connections=4)
