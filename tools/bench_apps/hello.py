"""The hello-world app of the benchmarks: ``GET /`` answers
``{"hello": "world"}``. Written against the Microdot 2.x API, so the very
same file runs on this framework and on Microdot 2.x (whichever ``microdot``
package is on the path), on CPython and on MicroPython.

    python|micropython hello.py PORT [--routes N] [--target static|dynamic]
                                     [--asgi]

``--routes N``: the app has N routes; N - 1 filler routes (half static, half
with an ``<int:id>`` argument) are registered BEFORE the measured one, so a
router that tries routes in order walks past all of them. The measured route
is ``/`` (``--target static``) or ``/last/<int:id>`` (``--target dynamic``,
requested as ``/last/42``); both answer the same JSON.

``--asgi`` (CPython only): the app is ``microdot.asgi.Microdot`` served by
uvicorn with uvloop and httptools.

Listens on 127.0.0.1 only."""
import sys


async def hello(request, id=None):
    return {'hello': 'world'}


async def filler(request, id=None):
    return {'filler': True}


def make_app(microdot_class, routes=1, target='static'):
    """The benchmark app: ``routes`` routes in all, the measured one last."""
    app = microdot_class()
    for i in range(routes - 1):
        if i % 2:
            app.route('/items%d/<int:id>' % i)(filler)
        else:
            app.route('/page%d' % i)(filler)
    app.route('/' if target == 'static' else '/last/<int:id>')(hello)
    return app


def main(argv):
    port = int(argv[0])
    routes = 1
    target = 'static'
    asgi = False
    i = 1
    while i < len(argv):
        if argv[i] == '--routes':
            routes = int(argv[i + 1])
            i += 1
        elif argv[i] == '--target':
            target = argv[i + 1]
            i += 1
        elif argv[i] == '--asgi':
            asgi = True
        else:
            raise SystemExit('unknown option ' + argv[i])
        i += 1
    if asgi:
        import uvicorn
        from microdot.asgi import Microdot
        app = make_app(Microdot, routes, target)
        uvicorn.run(app, host='127.0.0.1', port=port, loop='uvloop',
                    http='httptools', log_level='warning', access_log=False)
    else:
        from microdot import Microdot
        app = make_app(Microdot, routes, target)
        app.run(host='127.0.0.1', port=port)


if __name__ == '__main__':
    main(sys.argv[1:])
