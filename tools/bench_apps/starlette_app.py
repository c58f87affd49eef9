"""The hello-world app on Starlette, served by uvicorn with uvloop and
httptools: the CPython reference point of the benchmarks.

    python starlette_app.py PORT"""
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def hello(request):
    return JSONResponse({'hello': 'world'})


app = Starlette(routes=[Route('/', hello)])

if __name__ == '__main__':
    uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[1]), loop='uvloop',
                http='httptools', log_level='warning', access_log=False)
